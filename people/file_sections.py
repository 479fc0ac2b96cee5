"""Sections a later app adds to the person file (一人一档), as the navigation takes entries
(``gongyi.navigation.add_nav_item``): the apps depend one way only, so the person file cannot
read, say, the payout itself; the payout registers its section here from its ``ready``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FileSection:
    #: The template the file includes, given ``section`` (this dict: ``template`` and the data).
    template: str
    #: The roles that see it.
    roles: frozenset
    #: (user, person) → the section's data, read when the page is shown (a few queries at most).
    data: Callable[[Any, Any], dict]


FILE_SECTIONS: list[FileSection] = []


def add_file_section(section: FileSection) -> None:
    if section not in FILE_SECTIONS:
        FILE_SECTIONS.append(section)


def file_sections_for(user, person) -> list[dict]:
    """The sections ``user``'s role sees on ``person``'s file, each with its data."""
    return [
        {"template": s.template, **s.data(user, person)}
        for s in FILE_SECTIONS
        if user.role in s.roles
    ]
