"""The workflow's queues: the county's review and approval queue and the department reviewers'
queue, with the filters they share. Each takes the user and reads through ``gongyi.scoping``; a
page of any queue takes the same few queries whatever the number of applications (STYLE.md "Data
at scale").

The queues page by key (the last id seen), newest first, 50 at a time, and count at most
``COUNT_CAP`` matches: at 100,000 applications an exact count of a county's queue reads tens of
thousands of index entries on every page, and nobody pages to the thousandth.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from gongyi.models import Region
from gongyi.scoping import scope_queryset
from people.enums import DeclarationStatus
from people.models import Person, RelativeDeclaration
from people.onboarding.enums import ApplicationState, ObjectionStatus, Opinion
from people.onboarding.models import (
    Application,
    DepartmentOpinion,
    Objection,
    Round,
    RoundPost,
)
from people.selectors import search_filter
from posts.selectors import townships_for

S = ApplicationState
PAGE_SIZE = 50
#: Counts above this are shown as "more than" it.
COUNT_CAP = 1000
#: The county's queue: awaiting the re-review, and awaiting approval after publicity.
COUNTY_QUEUE_STATES = (S.REVIEWED, S.PUBLICITY)
#: Relative declarations that stop an approval (``workflow.steps._approvable``).
PENDING_DECLARATION = (
    DeclarationStatus.DECLARED,
    DeclarationStatus.TOWNSHIP_APPROVED,
    DeclarationStatus.REFUSED,
)
#: Why an application of the queue cannot be approved yet (``county_queue_rows``' ``hold``).
HOLD_NOT_IN_PUBLICITY = "not_in_publicity"
HOLD_OBJECTION = "objection"
HOLD_DECLARATION = "declaration"
HOLD_PERIOD = "period"
#: The fields a queue row shows, read with ``values()`` (no model instance per row).
ROW_FIELDS = (
    "pk",
    "state",
    "region_code",
    "applied_on",
    "created_by_id",
    "round_id",
    "round__title",
    "post_id",
    "post__title",
    "person_id",
    "person__name",
    "person__id_number",
    "person__village__name",
    "votes_for",
    "rank",
    "publicity__starts_on",
    "publicity__ends_on",
)


def _digits(value: str) -> bool:
    return bool(value) and value.isascii() and value.isdigit()


def clean_params(params, names) -> dict[str, str]:
    """The query parameters ``names``, stripped, without NUL characters (PostgreSQL refuses
    them)."""
    return {k: (params.get(k) or "").replace("\x00", "").strip()[:100] for k in names}


QUEUE_PARAMS = ("state", "township", "round", "post", "q", "before", "after")


#: Up to this many people match a search, their ids go to the queue's query as a list (see
#: ``queue_filter``).
FEW_PEOPLE = 1000


def queue_filter(user, apps: QuerySet, params: dict[str, str]) -> QuerySet:
    """The filters the queues share: township (a region-code prefix, the index's second
    column), round, post and the applicant's name or ID number (``people.selectors``)."""
    if params.get("township"):
        township = params["township"]
        apps = apps.filter(region_code__startswith=township) if _digits(township) else apps.none()
    for name in ("round", "post"):
        value = params.get(name)
        if value:
            apps = apps.filter(**{f"{name}_id": value}) if _digits(value) else apps.none()
    if params.get("q"):
        people = search_filter(scope_queryset(user, Person.objects.all()), params["q"])
        ids = list(people.order_by().values_list("pk", flat=True)[: FEW_PEOPLE + 1])
        # A few people: their ids, which PostgreSQL counts exactly and looks up by person
        # (1 ms). As a subquery it misjudges a name prefix and walks the whole queue newest
        # first looking for them (40-90 ms at 100,000 applications). Many people: they are
        # everywhere in the queue, and that walk finds a page at once.
        apps = apps.filter(person_id__in=ids if len(ids) <= FEW_PEOPLE else people)
    return apps


@dataclass
class QueuePage:
    """One page of a queue: its rows, the key links, and the capped count of each state."""

    rows: list[dict[str, Any]]
    counts: dict[str, int]
    next_key: int | None = None
    previous_key: int | None = None
    cap: int = COUNT_CAP
    first: bool = True

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def capped(self) -> bool:
        return any(n > self.cap for n in self.counts.values())

    def shown_count(self, n: int) -> str:
        return f"{self.cap}+" if n > self.cap else str(n)

    @property
    def count_labels(self) -> dict[str, str]:
        return {state: self.shown_count(n) for state, n in self.counts.items()}


def capped_counts(querysets: dict[str, QuerySet], cap: int = COUNT_CAP) -> dict[str, int]:
    """The number of rows of each queryset, counted up to ``cap`` + 1, all in one query: each
    count stops at the ``LIMIT`` instead of reading every matching index entry."""
    if not querysets:
        return {}
    parts, params = [], []
    for qs in querysets.values():
        sql, p = qs.order_by().values("pk")[: cap + 1].query.sql_with_params()
        parts.append(f"(SELECT count(*) FROM ({sql}) AS q)")
        params.extend(p)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        values = cursor.fetchone()
    return dict(zip(querysets, values, strict=True))


def keyset_ids(apps: QuerySet, params: dict[str, str], size: int = PAGE_SIZE):
    """The ids of one page, newest first: before the key ``before`` (next pages) or after the key
    ``after`` (back). One query on the primary key order; the plan stops after ``size`` + 1."""
    before, after = params.get("before", ""), params.get("after", "")
    if _digits(after):
        ids = list(
            apps.filter(pk__gt=int(after)).order_by("pk").values_list("pk", flat=True)[: size + 1]
        )
        more_after = len(ids) > size
        ids = ids[:size][::-1]
        return ids, True, more_after
    if _digits(before):
        apps = apps.filter(pk__lt=int(before))
    ids = list(apps.order_by("-pk").values_list("pk", flat=True)[: size + 1])
    return ids[:size], len(ids) > size, _digits(before)


def _page(rows, ids, has_older, has_newer, counts, params) -> QueuePage:
    by_pk = {r["pk"]: r for r in rows}
    ordered = [by_pk[pk] for pk in ids if pk in by_pk]
    return QueuePage(
        rows=ordered,
        counts=counts,
        next_key=ordered[-1]["pk"] if has_older and ordered else None,
        previous_key=ordered[0]["pk"] if has_newer and ordered else None,
        first=not (params.get("before") or params.get("after")),
    )


def county_queue_base(user, params: dict[str, str]) -> QuerySet:
    """The county's queue before the state filter: applications of the user's area awaiting
    the re-review or approval, filtered."""
    apps = scope_queryset(user, Application.objects.filter(state__in=list(COUNTY_QUEUE_STATES)))
    return queue_filter(user, apps, params)


def county_queue_rows(ids: list[int], today: dt.date) -> list[dict[str, Any]]:
    """The queue's rows for ``ids``, each with, in the same query: the number of department
    opinions in and of disagreements, whether an objection is open or a relative declaration
    pending, and ``ready`` (approvable as far as the list can tell: the period over, no open
    objection, no pending declaration)."""
    opinions = DepartmentOpinion.objects.filter(application=OuterRef("pk"))
    open_objection = Exists(
        Objection.objects.filter(application=OuterRef("pk"), status=ObjectionStatus.OPEN)
    )
    pending_declaration = Exists(
        RelativeDeclaration.objects.filter(
            person=OuterRef("person_id"), status__in=list(PENDING_DECLARATION)
        )
    )
    rows = list(
        Application.objects.filter(pk__in=ids)
        .annotate(
            opinions_in=_count(opinions),
            disagreements=_count(opinions.filter(opinion=Opinion.DISAGREE)),
            # Why an application in publicity cannot be approved yet ("" when it can).
            hold=Case(
                When(~Q(state=S.PUBLICITY), then=Value(HOLD_NOT_IN_PUBLICITY)),
                When(open_objection, then=Value(HOLD_OBJECTION)),
                When(pending_declaration, then=Value(HOLD_DECLARATION)),
                When(publicity__ends_on__gte=today, then=Value(HOLD_PERIOD)),
                default=Value(""),
                output_field=CharField(),
            ),
        )
        .values(*ROW_FIELDS, "opinions_in", "disagreements", "hold")
    )
    # Read off ``hold`` here: as a second CASE in SQL it ran the objection and declaration
    # subqueries twice per row.
    for row in rows:
        row["ready"] = row["hold"] == ""
    return rows


def _count(queryset: QuerySet) -> Subquery:
    """The number of rows of a correlated queryset, as a column (no GROUP BY of the outer rows)."""
    return Subquery(
        queryset.order_by()
        .values(one=Value(1))
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n"),
        output_field=IntegerField(),
    )


def county_queue(user, params: dict[str, str], *, today: dt.date | None = None) -> QueuePage:
    """One page of the county's review and approval queue (``COUNTY_QUEUE_STATES``), newest
    first; ``params`` as ``QUEUE_PARAMS``. Three queries: the capped count of each state, the
    page's ids, its rows."""
    today = today or timezone.localdate()
    base = county_queue_base(user, params)
    counts = capped_counts({s.value: base.filter(state=s) for s in COUNTY_QUEUE_STATES})
    state = params.get("state")
    apps = base.filter(state=state) if state in COUNTY_QUEUE_STATES else base
    ids, has_older, has_newer = keyset_ids(apps, params)
    rows = county_queue_rows(ids, today) if ids else []
    return _page(rows, ids, has_older, has_newer, counts, params)


def opinion_queue(user, params: dict[str, str]) -> QueuePage:
    """One page of the department reviewers' queue: applications of the area awaiting the
    re-review, each with the user's department's opinion if it has given one and the number of
    opinions in. ``params["given"]``: "no" (not yet given by the department), "yes", or all."""
    department = getattr(user, "department", "") or ""
    base = queue_filter(
        user, scope_queryset(user, Application.objects.filter(state=S.REVIEWED)), params
    )
    given = Exists(
        DepartmentOpinion.objects.filter(application=OuterRef("pk"), department=department)
    )
    counts = capped_counts(
        {"no": base.filter(~given), "yes": base.filter(given)} if department else {"all": base}
    )
    apps = base
    if department and params.get("given") == "no":
        apps = base.filter(~given)
    elif department and params.get("given") == "yes":
        apps = base.filter(given)
    ids, has_older, has_newer = keyset_ids(apps, params)
    mine = DepartmentOpinion.objects.filter(application=OuterRef("pk"), department=department)
    rows = (
        list(
            Application.objects.filter(pk__in=ids)
            .annotate(
                opinions_in=Count("opinions"),
                my_opinion=Subquery(mine.values("opinion")[:1], output_field=CharField()),
                my_comment=Subquery(mine.values("comment")[:1], output_field=CharField()),
            )
            .values(*ROW_FIELDS, "opinions_in", "my_opinion", "my_comment")
        )
        if ids
        else []
    )
    return _page(rows, ids, has_older, has_newer, counts, params)


def queue_townships(user) -> QuerySet[Region]:
    """Townships of the user's area for a filter, by code."""
    return townships_for(user).only("code", "name")


def queue_rounds(user, limit: int = 200) -> QuerySet:
    """Rounds of the user's area for a filter, newest first."""
    return scope_queryset(user, Round.objects.exclude(status="draft")).only(
        "pk", "title", "region_code", "opens_on"
    )[:limit]


def round_posts(user, round_id: str) -> list[RoundPost]:
    """The posts a round offers, for the post filter once a round is chosen."""
    if not _digits(round_id):
        return []
    return list(
        scope_queryset(user, RoundPost.objects.filter(round_id=round_id))
        .select_related("post")
        .only("pk", "post__pk", "post__title")
    )
