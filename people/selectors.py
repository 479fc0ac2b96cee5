"""Reads of the person registry: search, the facts the eligibility rules read, the verdict, the
priority ranking. Every one takes a queryset already scoped by ``gongyi.scoping`` (or the actor),
and reads any number of people in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Concat

from gongyi.models import Region
from gongyi.policy import policy_values
from gongyi.scoping import get_scoped_object_or_404, scope_queryset, user_region_code
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
from people.idnumbers import normalise
from people.models import (
    Person,
    PersonDocument,
    PersonGroup,
    Placement,
    RelativeDeclaration,
    TargetGroup,
)
from people.policy import (
    ELIGIBILITY_KEYS,
    MAX_PLACEMENTS,
    RURAL_MAX_AGE,
    RURAL_MIN_AGE,
    RURAL_OLDER_MIN_AGE,
    SUBSIDY_MONTHS_PER_PLACEMENT,
    URBAN_MIN_MONTHS_LEFT,
    URBAN_OLDER_MEN_MIN_AGE,
    URBAN_OLDER_WOMEN_MIN_AGE,
    YOUNG_MAX_AGE,
)
from posts.enums import AreaKind, PostStatus
from posts.models import Post
from posts.selectors import townships_for, villages_for

PAGE_SIZE = 50


def eligibility_settings(county_code: str, on: dt.date) -> dict[str, Any]:
    """The eligibility settings in force for a county on a day (one query)."""
    return policy_values(county_code, ELIGIBILITY_KEYS, on)


# --- what a user may read -----------------------------------------------------------------------


def people_for(user) -> QuerySet[Person]:
    """The people of the user's area."""
    return scope_queryset(user, Person.objects.all())


def person_get(user, pk, *, related: tuple[str, ...] = ()) -> Person:
    """The file ``pk`` if it is in the user's area, with ``related`` read along; else a 404."""
    people = Person.objects.select_related(*related) if related else Person.objects.all()
    return get_scoped_object_or_404(user, people, pk=pk)


def person_membership_get(user, person_pk, pk) -> PersonGroup:
    """A target group membership of the file ``person_pk`` in the user's area; else a 404."""
    return get_scoped_object_or_404(user, PersonGroup.objects.filter(person_id=person_pk), pk=pk)


def person_declaration_get(user, person_pk, pk) -> RelativeDeclaration:
    """A relative declaration of the file ``person_pk`` in the user's area; else a 404."""
    return get_scoped_object_or_404(
        user, RelativeDeclaration.objects.filter(person_id=person_pk), pk=pk
    )


def person_document_get(user, pk) -> PersonDocument:
    """A scan of a file in the user's area; else a 404."""
    return get_scoped_object_or_404(user, PersonDocument.objects.all(), pk=pk)


def person_records(person: Person) -> dict[str, QuerySet]:
    """What a file shows below it, each read when the page shows it: its target groups,
    declarations, documents and placements."""
    return {
        "memberships": person.memberships.select_related("group", "recorded_by"),
        "declarations": person.declarations.all(),
        "documents": person.documents.select_related("uploaded_by"),
        "placements": person.placements.select_related("post"),
    }


def person_api_people(people: QuerySet[Person]) -> QuerySet[Person]:
    """``people`` with what the API's ``PersonSerializer`` reads of each, in three queries."""
    return people.select_related("township", "village").prefetch_related(
        Prefetch("memberships", PersonGroup.objects.select_related("group")),
        "declarations",
    )


def active_groups_for(user) -> QuerySet[TargetGroup]:
    """The target groups in use in the user's county."""
    return scope_queryset(user, TargetGroup.objects.filter(is_active=True))


def list_regions_for(user, township: str) -> tuple[QuerySet[Region], QuerySet[Region] | list]:
    """The townships and villages the registry list offers as filters: the villages of the chosen
    township (all of them for a township's user), none before one is chosen."""
    townships = townships_for(user).only("code", "name")
    if not (township or user.region.level == "township"):
        return townships, []
    return townships, villages_for(user).filter(code__startswith=township).only("code", "name")


def post_for(user, pk: str) -> Post | None:
    """The post ``pk`` (digits) if it is in the user's area."""
    return scope_queryset(user, Post.objects.all()).filter(pk=pk).first()


def _open_posts(user) -> QuerySet[Post]:
    return scope_queryset(
        user, Post.objects.filter(status__in=[PostStatus.OPEN, PostStatus.VACANT])
    )


def township_open_posts(user, person: Person, limit: int = 200) -> QuerySet[Post]:
    """Open and vacant posts of the person's township, to check the person's eligibility for."""
    return (
        _open_posts(user)
        .filter(township=person.township_id)
        .only("pk", "title", "area_kind")[:limit]
    )


def ranking_posts(user, limit: int = 500) -> QuerySet[Post]:
    """The open and vacant posts of the user's area, to choose one to rank people for."""
    return (
        _open_posts(user).select_related("township").only("pk", "title", "township__name")[:limit]
    )


def ranking_post(user, pk: str) -> Post | None:
    """The open or vacant post ``pk`` (digits) if it is in the user's area, with its township."""
    return _open_posts(user).select_related("township").filter(pk=pk).first()


def post_candidates(user, post: Post, on: dt.date) -> Ranking:
    """The people of the user's area in the post's township whom the rules find eligible for it
    on ``on``, in priority order (docs/policy.md §3)."""
    candidates = eligible_people(
        people_for(user).filter(township=post.township_id), area_kind=post.area_kind, on=on
    )
    return rank_people(candidates, area_kind=post.area_kind, on=on, county_code=post.region_code)


# --- search -------------------------------------------------------------------------------------


def search_filter(people: QuerySet, q: str) -> QuerySet:
    """A full ID number (15 or 18 characters), its last digits (4 or more), or the beginning of
    a name. Each is one index lookup (``person_id_tail_idx``, ``person_name_idx``)."""
    q = (q or "").strip()
    if not q:
        return people
    number = normalise(q)
    if len(number) == 18 and number[:17].isdigit():
        return people.filter(id_number=number)
    if number.rstrip("X").isdigit() and len(number) >= 4:
        return people.filter(id_reversed__startswith=number[::-1])
    return people.filter(name__startswith=q)


def _digits(value: str) -> bool:
    return value.isascii() and value.isdigit()


def _eligible_for(people: QuerySet, value: str) -> QuerySet:
    if value not in AreaKind.values:
        return people.none()
    return eligible_people(people, area_kind=value)


PERSON_FILTERS: dict[str, Callable[[QuerySet, str], QuerySet]] = {
    "q": search_filter,
    # Region codes, as the catalogue's filters: a prefix of ``region_code`` (its index).
    "township": lambda qs, v: qs.filter(region_code__startswith=v) if _digits(v) else qs.none(),
    "village": lambda qs, v: qs.filter(region_code=v) if _digits(v) else qs.none(),
    "group": lambda qs, v: (
        qs.filter(Exists(PersonGroup.objects.filter(person=OuterRef("pk"), group_id=v)))
        if _digits(v)
        else qs.none()
    ),
    "residence": lambda qs, v: qs.filter(residence=v),
    "eligible_for": _eligible_for,
}


def person_list_params(query) -> dict[str, str]:
    """The list's filters as given in ``query`` (a QueryDict), cleaned; each key present."""
    return {k: (query.get(k) or "").replace("\x00", "").strip() for k in PERSON_FILTERS}


def page_number(query) -> int:
    """The page asked for in ``query``; the first if it is not a number."""
    try:
        return int(query.get("page", 1))
    except ValueError:
        return 1


def person_list(people: QuerySet, params) -> QuerySet:
    for name, apply in PERSON_FILTERS.items():
        value = (params.get(name) or "").replace("\x00", "").strip()
        if value:
            people = apply(people, value)
    return people


def person_api_list(people: QuerySet, params) -> QuerySet:
    """The API's list: ``person_list`` in the order of its index (region, then file)."""
    return person_list(people, params).order_by("region_code", "id")


@dataclass
class PersonPage:
    count: int
    number: int
    pages: int
    rows: list[dict[str, Any]]

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    # What includes/pagination.html reads off a Django page.
    @property
    def paginator(self) -> SimpleNamespace:
        return SimpleNamespace(num_pages=self.pages, count=self.count)

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


#: Up to this many matches, a page is sorted from the search's own index (see ``person_page``).
FEW_MATCHES = 1000


def person_page(people: QuerySet, page: int) -> PersonPage:
    """One page of the list: a count, 50 rows and their groups, in three queries."""
    count = people.count()
    pages = max(1, -(-count // PAGE_SIZE))
    number = min(max(1, page), pages)
    start = (number - 1) * PAGE_SIZE
    order = ["region_code", "id"]
    if count <= FEW_MATCHES:
        # Few matches: read them off the search's index and sort them. Ordered by the plain
        # column, PostgreSQL may instead walk the list index (region_code, id) until 50 rows
        # match, when its estimate of a name prefix is off: 28 ms instead of 1 ms at 500,000
        # people (bench people_search). The same order, on an expression no index has.
        order[0] = Concat("region_code", Value(""))
    rows = list(people.order_by(*order).values(*LIST_FIELDS)[start : start + PAGE_SIZE])
    return PersonPage(count, number, pages, _with_groups(rows))


LIST_FIELDS = (
    "pk",
    "name",
    "id_number",
    "sex",
    "birth_date",
    "residence",
    "retirement_date",
    "township__name",
    "village__name",
)


def _with_groups(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each row's group names, for all the rows in one query."""
    groups = defaultdict(list)
    for person_id, name in (
        PersonGroup.objects.filter(person_id__in=[r["pk"] for r in rows])
        .order_by("group__priority", "group__code")
        .values_list("person_id", "group__name")
    ):
        groups[person_id].append(name)
    for row in rows:
        row["groups"] = groups[row["pk"]]
    return rows


def person_export_rows(people: QuerySet, chunk: int = 2000):
    """Every row of ``people`` for an export, read in chunks by primary key (two queries a
    chunk, however many rows)."""
    last = 0
    while True:
        rows = list(people.filter(pk__gt=last).order_by("pk").values(*LIST_FIELDS)[:chunk])
        if not rows:
            return
        yield from _with_groups(rows)
        last = rows[-1]["pk"]


def group_counts(user) -> list[TargetGroup]:
    """The groups the user's county uses, each with the number of people of the user's area."""
    area = Q(people__region_code__startswith=user_region_code(user))
    return list(
        scope_queryset(user, TargetGroup.objects.all())
        .annotate(people_count=Count("people", filter=area))
        .order_by("priority", "area", "code")
    )


# --- the facts the rules read -------------------------------------------------------------------


def person_facts(people: QuerySet, on: dt.date) -> dict[int, PersonFacts]:
    """``PersonFacts`` of every person in ``people`` on a day, in four queries."""
    rows = list(
        people.values(
            "pk",
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
        )
        for r in rows
    }


def person_verdict(person: Person, area_kind: str, on: dt.date) -> Verdict:
    """The eligibility verdict of one person for a kind of post, under the settings of the
    person's county in force on ``on``."""
    facts = person_facts(Person.objects.filter(pk=person.pk), on)[person.pk]
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
            birth_date__gt=born_after(min(settings[RURAL_MAX_AGE], 70)),
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
