"""Moving media files without ever overwriting one.

`rename_no_clobber` is an atomic rename that fails with FileExistsError when
the target exists: renameat2(RENAME_NOREPLACE) on Linux (falling back to
link + unlink where the filesystem does not support it), renamex_np
(RENAME_EXCL) on macOS, os.rename on Windows (which never replaces). There
is no moment where an existing file could be replaced, unlike an
exists()-then-rename check.

`file_move` adds the cross-filesystem case (EXDEV): copy to a temporary name
beside the target, fsync, verify the checksum, rename into place without
clobbering, and only then delete the source. An import also copies
(`file_copy`: the same verified copy, the source kept) or links (`file_link`:
a hard link checked to be the same inode, or a symbolic link), never over an
existing name.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
import sys
from collections.abc import Callable, Iterable

from library.models import FileOperation
from library.services.checksum import checksum_matches
from library.services.paths import folder_is_within, is_within


def folders_sync(paths: Iterable[str]) -> None:
    """fsync the folder of each path once, so the renames in them survive a power cut.

    A folder that is gone, or a system that cannot open one (Windows), is skipped:
    there is nothing there to make durable, or the filesystem does it itself.
    """
    for folder in {os.path.dirname(path) for path in paths}:
        try:
            fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except OSError:
            continue
        try:
            os.fsync(fd)
        except OSError:
            pass  # a filesystem that cannot sync a folder (EINVAL): nothing more to do
        finally:
            os.close(fd)


_AT_FDCWD = -100
_RENAME_NOREPLACE = 1
_RENAME_EXCL = 0x4
# Errors meaning "this kernel or filesystem cannot do renameat2 flags".
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, getattr(errno, "ENOTSUP", errno.EOPNOTSUPP)}


def _libc_function(name: str) -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    except OSError:
        return None
    return getattr(libc, name, None)


_renameat2 = _libc_function("renameat2") if sys.platform.startswith("linux") else None
_renamex_np = _libc_function("renamex_np") if sys.platform == "darwin" else None


def _raise_errno(source: str, target: str) -> None:
    err = ctypes.get_errno()
    raise OSError(err, os.strerror(err), source, None, target)


def _remove_created(path: str, created: os.stat_result) -> None:
    """Remove the file this move just put at `path`, unless another file has taken its place."""
    try:
        current = os.lstat(path)
    except FileNotFoundError:
        return
    if (current.st_dev, current.st_ino) == (created.st_dev, created.st_ino):
        os.unlink(path)


def _unlink_source_or_undo(source: str, target: str, created: os.stat_result) -> None:
    """Delete the source; if it cannot be deleted (read-only folder), remove the file the
    move put at `target` and re-raise, so the move changes nothing on disk."""
    try:
        os.unlink(source)
    except BaseException as exc:
        try:
            _remove_created(target, created)
        except OSError as cleanup:
            # Both files now exist: say so, so the journal does not hide the copy.
            raise OSError(
                cleanup.errno,
                f"{error_text(exc)}; the new file at {target} could not be removed either "
                f"({cleanup.strerror}), so both now exist",
            ) from exc
        raise


def _link_then_unlink(source: str, target: str) -> None:
    # os.link fails with FileExistsError when the target exists: no clobber.
    os.link(source, target, follow_symlinks=False)
    _unlink_source_or_undo(source, target, os.lstat(target))


def rename_no_clobber(source: str, target: str) -> None:
    """Rename atomically, or raise FileExistsError if `target` exists (OSError EXDEV across
    filesystems)."""
    if _renameat2 is not None:
        if (
            _renameat2(
                _AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), _RENAME_NOREPLACE
            )
            == 0
        ):
            return
        if ctypes.get_errno() not in _UNSUPPORTED:
            _raise_errno(source, target)
        _link_then_unlink(source, target)
    elif _renamex_np is not None:
        if _renamex_np(os.fsencode(source), os.fsencode(target), _RENAME_EXCL) != 0:
            _raise_errno(source, target)
    elif sys.platform == "win32":
        os.rename(source, target)
    else:
        _link_then_unlink(source, target)


def temp_path_for(target: str, token: str) -> str:
    """The temporary name a cross-filesystem copy uses, beside its target."""
    return os.path.join(os.path.dirname(target), f".plexomatic-{token}.partial")


def _copy_verified(source: str, target: str, *, checksum: str, token: str) -> os.stat_result:
    """Copy to a temporary name beside the target, fsync, verify the checksum, then
    rename into place without clobbering; the stat of the new file."""
    temp = temp_path_for(target, token)
    try:
        with open(source, "rb") as src, open(temp, "xb") as dst:
            shutil.copyfileobj(src, dst, length=1024 * 1024)
            dst.flush()
            os.fsync(dst.fileno())
            copy = os.fstat(dst.fileno())
        shutil.copystat(source, temp)
        if not checksum_matches(temp, checksum):
            raise OSError(
                errno.EIO, "The copy does not match the original (checksum mismatch)", target
            )
        rename_no_clobber(temp, target)
    except BaseException:
        # The partial copy is ours; the source is untouched.
        if os.path.lexists(temp):
            os.unlink(temp)
        raise
    return copy


def _rename_or_copy(*, source: str, target: str, checksum: str, token: str) -> None:
    try:
        rename_no_clobber(source, target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        copy = _copy_verified(source, target, checksum=checksum, token=token)
        _unlink_source_or_undo(source, target, copy)


def _hardlink(source: str, target: str) -> None:
    """A second name for the file; checked to be the same inode (a filesystem that
    emulates links by copying would otherwise pass unnoticed)."""
    os.link(source, target, follow_symlinks=False)  # FileExistsError: no clobber
    linked, original = os.lstat(target), os.lstat(source)
    if (linked.st_dev, linked.st_ino) != (original.st_dev, original.st_ino):
        _remove_created(target, linked)
        raise OSError(errno.EIO, "The hard link is not the same file as the original", target)


def _symlink(source: str, target: str) -> None:
    os.symlink(source, target)  # FileExistsError: no clobber


def file_move(*, source: str, target: str, checksum: str, token: str) -> None:
    """Move one file, creating the target's folders; never overwrites, never half-done.

    `token` names the temporary copy (`temp_path_for`) so crash recovery can
    find and remove it. A move that fails removes the folders it created.
    """
    _with_folders(
        target,
        lambda: _rename_or_copy(source=source, target=target, checksum=checksum, token=token),
    )


def file_copy(*, source: str, target: str, checksum: str, token: str) -> None:
    """Copy one file (temporary name, fsync, checksum verified, no-clobber rename); the
    source stays."""
    _with_folders(target, lambda: _copy_verified(source, target, checksum=checksum, token=token))


def file_link(*, source: str, target: str, symbolic: bool = False) -> None:
    """A hard link (same inode, checked) or a symbolic link to `source` at `target`;
    EXDEV for a hard link across filesystems, FileExistsError when `target` exists."""
    _with_folders(target, lambda: (_symlink if symbolic else _hardlink)(source, target))


def same_filesystem(path: str, folder: str) -> bool:
    """Whether a hard link from `path` can be made in `folder` (or its nearest existing
    parent): both on one device."""
    while not os.path.isdir(folder) and os.path.dirname(folder) != folder:
        folder = os.path.dirname(folder)
    return os.stat(path).st_dev == os.stat(folder).st_dev


def _with_folders(target: str, action: Callable[[], object]) -> None:
    """Run `action`, creating the target's missing folders when it fails for lack of
    them; the folders created are removed again if it fails."""
    created: list[str] = []
    try:
        try:
            action()
        except FileNotFoundError:
            # Most files go into a folder that is there already: it is made when missing.
            created = _folders_make(os.path.dirname(target))
            if not created:
                raise  # the source is gone
            action()
    except BaseException:
        for folder in reversed(created):
            try:
                os.rmdir(folder)  # refuses a folder something else has filled meanwhile
            except OSError:
                break
        raise


def _folders_make(folder: str) -> list[str]:
    """Create `folder` and its missing parents; the ones created, outermost first."""
    missing = []
    current = os.path.normpath(os.path.abspath(folder))
    while not os.path.isdir(current) and os.path.dirname(current) != current:
        missing.append(current)
        current = os.path.dirname(current)
    os.makedirs(folder, exist_ok=True)
    return list(reversed(missing))


MOVE_LEAVES_ROOT = "Refused: a folder of this move is a link to a place outside the library folder."


class FolderCheck:
    """Whether both folders of a move, links resolved, are inside the library `root`.

    Each folder is resolved once per batch (an lstat per component): a batch's
    moves share a few folders. The check refuses links the library holds; a
    folder swapped for a link while the batch runs is a race that no check
    before a rename can close.
    """

    def __init__(self, root: str) -> None:
        self.path = os.path.normpath(root)
        self.root = os.path.realpath(root)
        self.inside: dict[str, bool] = {}

    def move_stays_inside(self, operation: FileOperation) -> bool:
        return all(self.holds(path) for path in (operation.original_path, operation.new_path))

    def holds(self, path: str) -> bool:
        """Whether the folder of `path`, links resolved, is inside the root."""
        return self._folder_inside(os.path.dirname(path))

    def _folder_inside(self, folder: str) -> bool:
        inside = self.inside.get(folder)
        if inside is None:
            inside = self.inside[folder] = is_within(os.path.realpath(folder), self.root)
        return inside


def folders_remove_empty(*, root: str, folders: Iterable[str]) -> int:
    """Remove each folder and its parents while empty, stopping at (never removing) `root`."""
    removed = 0
    root = os.path.normpath(root)
    for folder in sorted(set(folders), key=len, reverse=True):
        current = os.path.normpath(folder)
        while current != root and is_within(current, root) and folder_is_within(current, root):
            try:
                os.rmdir(current)  # refuses a folder that is not empty
            except OSError:
                break
            removed += 1
            current = os.path.dirname(current)
    return removed


def error_text(exc: BaseException) -> str:
    """One sentence for the journal and the user, from an OSError or anything else."""
    if isinstance(exc, FileExistsError):
        return f"The target already exists and was not overwritten: {exc.filename2 or exc.filename}"
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        # Said once the operation's own cleanup ran (a partial copy, new folders).
        return (
            "Not done: the target's disk is full (no space left on device); "
            "nothing of it is left there."
        )
    if isinstance(exc, OSError) and exc.strerror:
        where = exc.filename2 or exc.filename
        return f"{exc.strerror}: {where}" if where else exc.strerror
    return str(exc) or exc.__class__.__name__
