"""guessit alone, mapped like the recogniser: the baseline the tests and the
benchmark compare against (not production code, so it lives with the tests)."""

from __future__ import annotations

from library.services.recognition import Recognition, _build, _path_split, _unknown
from library.services.recognition_folders import FolderContext
from library.services.recognition_guessit import guessit_parse
from library.services.recognition_text import Tags


def recognise_guessit_only(relative_path: str) -> Recognition:
    """guessit alone on the whole path, mapped the same way (no fast path, no folder rules)."""
    folders, stem, extension = _path_split(relative_path)
    if not stem:
        return _unknown(Tags())
    path = "/".join([*folders, f"{stem}.{extension}" if extension else stem])
    return _build(guessit_parse(path), FolderContext())
