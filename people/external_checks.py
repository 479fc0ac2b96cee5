"""The pre-placement check (前置比对, docs/policy.md §8; seed 003 §7): what other departments'
data say of people about to be placed, for the eligibility verdict (``people.eligibility``).

The apps depend one way only, so ``people`` cannot read the external datasets, which belong to
``audits``: ``audits`` registers its check here from its ``ready`` (as the person file takes
sections, ``people.file_sections``). A check reads any number of people in a few queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from people.eligibility import ExternalCheck


@dataclass(frozen=True)
class Applicant:
    """Who a check looks up: the person, the ID number, and the county whose data apply."""

    person_id: int
    id_number: str
    region_code: str


#: (applicants, day) → person id → what the data say of that person (every person in the
#: argument has an entry, with the lists consulted even where nothing was found).
Check = Callable[[Sequence[Applicant], dt.date], dict[int, ExternalCheck]]

EXTERNAL_CHECKS: list[Check] = []


def add_external_check(check: Check) -> None:
    if check not in EXTERNAL_CHECKS:
        EXTERNAL_CHECKS.append(check)


def external_checks(applicants: Sequence[Applicant], on: dt.date) -> dict[int, ExternalCheck]:
    """Person id → the registered checks' lists and hits together; empty when none is
    registered (the verdict then has no such rule)."""
    if not EXTERNAL_CHECKS or not applicants:
        return {}
    merged: dict[int, ExternalCheck] = {a.person_id: ExternalCheck() for a in applicants}
    for check in EXTERNAL_CHECKS:
        for person_id, found in check(applicants, on).items():
            before = merged[person_id]
            merged[person_id] = ExternalCheck(
                sources=before.sources + found.sources, hits=before.hits + found.hits
            )
    return merged
