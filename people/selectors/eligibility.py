"""The facts the eligibility rules read (``people.eligibility``), the verdict of one person, the
priority ranking of many, and the same rules as one SQL filter. Each reads any number of people in
a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from gongyi.policy import policy_values
from people.eligibility import (
    MIN_WORKING_AGE,
    GroupFacts,
    PersonFacts,
    Ranked,
    Verdict,
    add_months,
    eligibility,
    rank,
    years_before,
)
from people.enums import SEVERE_GRADES, AgeCondition, DeclarationStatus, GroupArea, Outcome, Sex
from people.external_checks import Applicant, external_checks
from people.models import Person, PersonGroup, Placement, RelativeDeclaration
from people.policy import (
    ELIGIBILITY_KEYS,
    MAX_PLACEMENTS,
    RURAL_AGE_CEILING,
    RURAL_MAX_AGE,
    RURAL_MIN_AGE,
    RURAL_OLDER_MIN_AGE,
    SUBSIDY_MONTHS_PER_PLACEMENT,
    URBAN_MIN_MONTHS_LEFT,
    URBAN_OLDER_MEN_MIN_AGE,
    URBAN_OLDER_WOMEN_MIN_AGE,
    YOUNG_MAX_AGE,
)
from posts.enums import AreaKind


def eligibility_settings(county_code: str, on: dt.date) -> dict[str, Any]:
    """The eligibility settings in force for a county on a day (one query)."""
    return policy_values(county_code, ELIGIBILITY_KEYS, on)


# --- the facts the rules read -------------------------------------------------------------------


def person_facts(
    people: QuerySet, on: dt.date, *, with_external: bool = False
) -> dict[int, PersonFacts]:
    """``PersonFacts`` of every person in ``people`` on a day, in four queries.

    ``with_external``: also the pre-placement check (前置比对, docs/policy.md §8) of the checks
    registered in ``people.external_checks``, a few queries more for any number of people
    (the application and its approval ask for it; the ranking and search, which only need who
    is eligible, do not: the check never makes anyone ineligible)."""
    rows = list(
        people.values(
            "pk",
            "region_code",
            "id_number",
            "name",
            "sex",
            "birth_date",
            "retirement_date",
            "placements_used",
            "subsidy_months_used",
            "dibao_family",
            "zero_employment_family",
            "disability_grade",
        )
    )
    ids = [r["pk"] for r in rows]
    groups = defaultdict(list)
    for m in PersonGroup.objects.filter(person_id__in=ids, group__is_active=True).values(
        "person_id",
        "recognised_on",
        "group__code",
        "group__name",
        "group__area",
        "group__age_condition",
        "group__priority",
        "group__may_be_placed_again",
    ):
        groups[m["person_id"]].append(
            GroupFacts(
                code=m["group__code"],
                name=m["group__name"],
                area=m["group__area"],
                age_condition=m["group__age_condition"],
                priority=m["group__priority"],
                may_be_placed_again=m["group__may_be_placed_again"],
                recognised_on=m["recognised_on"],
            )
        )
    on_post = set(
        Placement.objects.filter(person_id__in=ids)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .values_list("person_id", flat=True)
    )
    declarations = defaultdict(list)
    for person_id, status in RelativeDeclaration.objects.filter(person_id__in=ids).values_list(
        "person_id", "status"
    ):
        declarations[person_id].append(status)
    external = (
        external_checks([Applicant(r["pk"], r["id_number"], r["region_code"]) for r in rows], on)
        if with_external
        else {}
    )
    return {
        r["pk"]: PersonFacts(
            person_id=r["pk"],
            id_number=r["id_number"],
            name=r["name"],
            sex=r["sex"],
            birth_date=r["birth_date"],
            retirement_date=r["retirement_date"],
            groups=tuple(groups[r["pk"]]),
            placements_used=r["placements_used"],
            subsidy_months_used=r["subsidy_months_used"],
            on_post=r["pk"] in on_post,
            declarations=tuple(declarations[r["pk"]]),
            dibao_family=r["dibao_family"],
            zero_employment_family=r["zero_employment_family"],
            disability_grade=r["disability_grade"],
            external=external.get(r["pk"]),
        )
        for r in rows
    }


def person_verdict(person: Person, area_kind: str, on: dt.date) -> Verdict:
    """The eligibility verdict of one person for a kind of post, under the settings of the
    person's county in force on ``on``."""
    facts = person_facts(Person.objects.filter(pk=person.pk), on, with_external=True)[person.pk]
    return eligibility(facts, area_kind, on, eligibility_settings(person.region_code, on))


@dataclass
class Ranking:
    ranked: list[Ranked]
    not_eligible: list[tuple[PersonFacts, Verdict]]
    #: person id → what must still be done before that person may start (e.g. a declaration)
    attention: dict[int, list[str]]


def rank_people(people: QuerySet, *, area_kind: str, on: dt.date, county_code: str) -> Ranking:
    """The priority order of ``people`` for a post of ``area_kind`` (docs/policy.md §3): the
    eligible
    ranked with reasons, the others listed with their verdicts. Five queries for any number."""
    settings = eligibility_settings(county_code, on)
    eligible, refused, attention = [], [], {}
    for facts in person_facts(people, on).values():
        verdict = eligibility(facts, area_kind, on, settings)
        if verdict.eligible:
            eligible.append((facts, verdict.groups))
            todo = [r.reason for r in verdict.rules if r.outcome == Outcome.ATTENTION]
            if todo:
                attention[facts.person_id] = todo
        else:
            refused.append((facts, verdict))
    refused.sort(key=lambda item: item[0].id_number)
    return Ranking(rank(eligible, on), refused, attention)


# --- the same rules as a filter -----------------------------------------------------------------


def eligible_people(
    people: QuerySet,
    *,
    area_kind: str,
    on: dt.date | None = None,
    settings: dict[str, Any] | None = None,
) -> QuerySet:
    """The people of ``people`` whom ``people.eligibility.eligibility`` finds eligible for a post
    of ``area_kind`` on ``on``, as one SQL filter (for search over hundreds of thousands).

    ``settings``: the county's (``eligibility_settings``); by default those of the county of the
    first row's region. ``tests/people/test_eligibility_filter.py`` holds it to the pure rules.

    The pre-placement check (``external_data``) has no twin here on purpose: it is "needs
    action" or "met", never "not met", so it cannot change who is eligible (docs/policy.md §8),
    and the other departments' lists belong to ``audits``, which ``people`` may not read.
    """
    from django.utils import timezone

    on = on or timezone.localdate()
    if settings is None:
        first = people.values_list("region_code", flat=True).first()
        if first is None:
            return people
        settings = eligibility_settings(first, on)

    def born_by(age: int) -> dt.date:  # age on ``on`` is at least ``age``
        return years_before(on, age)

    def born_after(age: int) -> dt.date:  # age on ``on`` is at most ``age``
        return years_before(on, age + 1)

    group_age = (
        Q(group__age_condition=AgeCondition.NONE)
        | Q(
            group__age_condition=AgeCondition.RURAL_OLDER,
            person__birth_date__lte=born_by(settings[RURAL_OLDER_MIN_AGE]),
            person__birth_date__gt=born_after(settings[RURAL_MAX_AGE]),
        )
        | Q(
            Q(
                person__sex=Sex.FEMALE,
                person__birth_date__lte=born_by(settings[URBAN_OLDER_WOMEN_MIN_AGE]),
            )
            | Q(
                person__sex=Sex.MALE,
                person__birth_date__lte=born_by(settings[URBAN_OLDER_MEN_MIN_AGE]),
            ),
            group__age_condition=AgeCondition.URBAN_OLDER,
            person__retirement_date__gt=on,
        )
        | Q(
            group__age_condition=AgeCondition.YOUNG,
            person__birth_date__lte=born_by(MIN_WORKING_AGE),
            person__birth_date__gt=born_after(settings[YOUNG_MAX_AGE]),
        )
    )
    qualifying = PersonGroup.objects.filter(
        group_age,
        person=OuterRef("pk"),
        recognised_on__lte=on,
        group__is_active=True,
        group__area__in=[area_kind, GroupArea.BOTH],
    )
    if area_kind == AreaKind.RURAL:
        age = Q(
            birth_date__lte=born_by(max(settings[RURAL_MIN_AGE], MIN_WORKING_AGE)),
            birth_date__gt=born_after(min(settings[RURAL_MAX_AGE], RURAL_AGE_CEILING)),
        )
    else:
        age = Q(birth_date__lte=born_by(MIN_WORKING_AGE), retirement_date__gt=on)
        if settings[URBAN_MIN_MONTHS_LEFT]:
            age &= Q(retirement_date__gte=add_months(on, settings[URBAN_MIN_MONTHS_LEFT]))
    most = min(settings[MAX_PLACEMENTS], 2)
    placements = Q(placements_used__lt=most) & (
        Q(placements_used=0)
        | Q(disability_grade__in=list(SEVERE_GRADES))
        | Exists(qualifying.filter(group__may_be_placed_again=True))
    )
    months = Q(subsidy_months_used__lt=most * settings[SUBSIDY_MONTHS_PER_PLACEMENT])
    on_post = Exists(
        Placement.objects.filter(person=OuterRef("pk")).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)
        )
    )
    refused = Exists(
        RelativeDeclaration.objects.filter(person=OuterRef("pk"), status=DeclarationStatus.REFUSED)
    )
    return people.filter(Exists(qualifying), age, placements, months, ~on_post, ~refused)
