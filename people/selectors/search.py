"""The registry list: search by name or ID number, the filters, a page of rows with their groups,
the export's rows. Every one takes a queryset already scoped by ``gongyi.scoping`` and reads a
page, or an export chunk, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, Value
from django.db.models.functions import Concat

from people.idnumbers import normalise
from people.models import PersonGroup
from people.selectors.eligibility import eligible_people
from posts.enums import AreaKind

PAGE_SIZE = 50


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
