"""Sections a later app adds to a person's trace report (倒查追溯, seed 003 §6): the exits and
debts of ``audits`` among them. A section is a function of (user, person) that returns the HTML
to show (already rendered from a template, through the user's scope) or "" for nothing; the
report shows them in the order they were added, after the applications."""

from __future__ import annotations

from collections.abc import Callable

TRACE_SECTIONS: list[Callable[[object, object], str]] = []


def add_trace_section(section: Callable[[object, object], str]) -> None:
    if section not in TRACE_SECTIONS:
        TRACE_SECTIONS.append(section)


def trace_sections(user, person) -> list[str]:
    return [html for html in (section(user, person) for section in TRACE_SECTIONS) if html]
