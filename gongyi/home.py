"""Panels of the home page: later apps register what each role has waiting (``add_home_panel``).

A panel is a function of the user that returns ``HomePanel`` or None; the home page shows them in
the order they were added, above the role's own content.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse


@dataclass
class HomeItem:
    label: str
    count: int
    url_name: str = ""
    query: str = ""

    @property
    def url(self) -> str:
        if not self.url_name:
            return ""
        return reverse(self.url_name) + (f"?{self.query}" if self.query else "")


@dataclass
class HomePanel:
    title: str
    items: list[HomeItem] = field(default_factory=list)


HOME_PANELS: list[Callable[[object], HomePanel | None]] = []


def add_home_panel(panel: Callable[[object], HomePanel | None]) -> None:
    if panel not in HOME_PANELS:
        HOME_PANELS.append(panel)


def home_panels(user) -> list[HomePanel]:
    return [p for p in (panel(user) for panel in HOME_PANELS) if p is not None]
