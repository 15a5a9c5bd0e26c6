"""File names as the filesystem has them, and as text we can store and show.

Python hands us names that are not valid UTF-8 with the bad bytes as lone
surrogates (PEP 383). SQLite cannot store those, so such a path is stored as
text with the bad bytes escaped (``\\xff``) for display and search, and
exactly, as bytes, in ``path_bytes``.
"""

from __future__ import annotations

import os


def path_for_storage(fs_path: str) -> tuple[str, bytes | None]:
    """(text, exact bytes or None) for a path from os.scandir/os.walk."""
    try:
        fs_path.encode("utf-8")
    except UnicodeEncodeError:
        raw = os.fsencode(fs_path)
        return raw.decode("utf-8", "backslashreplace"), raw
    return fs_path, None


def is_within(path: str, root: str) -> bool:
    """True when `path`, once normalised, is `root` itself or lies below it.

    The one guard between a request and the filesystem: every path a user
    can influence is checked with it against its library root.
    """
    # normcase: Windows compares without case (as commonpath did); a plain prefix test
    # on whole components, a third of commonpath's time (it runs several times per file).
    root = os.path.normcase(os.path.normpath(os.path.abspath(root)))
    path = os.path.normcase(os.path.normpath(os.path.abspath(path)))
    return path == root or path.startswith(root if root.endswith(os.sep) else root + os.sep)


def path_relative(path: str, root: str) -> str:
    """`path` relative to `root` (both normalised, as stored paths and roots are): a slice
    when `path` lies below `root`, a tenth of os.path.relpath's time, which the planner
    would pay several times per file; relpath otherwise."""
    prefix = root if root.endswith(os.sep) else root + os.sep
    if path.startswith(prefix) and len(path) > len(prefix):
        return path[len(prefix) :]
    return os.path.relpath(path, root)


def folder_is_within(folder: str, root: str) -> bool:
    """`is_within` once symbolic links are resolved: a folder inside the library that is a
    link to somewhere else is outside it. Checked right before a move or folder removal."""
    return is_within(os.path.realpath(folder), os.path.realpath(root))
