"""A TV show's episodes grouped by season, with the gaps in its numbering."""

from __future__ import annotations

from dataclasses import dataclass

from library.models import Library, MediaFile


@dataclass(frozen=True)
class Season:
    number: int | None
    episodes: list[MediaFile]
    gaps: list[int]


def episode_gaps(numbers: set[int]) -> list[int]:
    """Episode numbers missing between 1 and the highest one present."""
    if not numbers:
        return []
    return [n for n in range(1, max(numbers) + 1) if n not in numbers]


def show_seasons(*, library: Library, title: str, year: int | None) -> list[Season]:
    """One show: its title and year ("Doctor Who (1963)" is not "Doctor Who (2005)")."""
    episodes = (
        MediaFile.objects.filter(library=library, title=title, year=year, kind=MediaFile.Kind.VIDEO)
        .exclude(media_type__in=[MediaFile.MediaType.MOVIE, MediaFile.MediaType.UNKNOWN])
        .order_by("season", "episode", "absolute_episode", "name")
    )
    grouped: dict[int | None, list[MediaFile]] = {}
    for media in episodes:
        grouped.setdefault(media.season, []).append(media)
    seasons = []
    for number, items in grouped.items():
        present = {n for media in items if not media.missing for n in (media.episodes or [])}
        seasons.append(
            Season(number=number, episodes=items, gaps=episode_gaps(present) if number else [])
        )
    return seasons
