"""Where each demo application stops, and who applies for which post of a township's round to
stop there: the targets and how far each goes (``STAGE``), the lanes that use the posts' places,
and the objections and findings of the running publicity."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from gongyi.enums import Department
from gongyi.models import Region
from people.enums import DeclarationStatus
from people.models import Person, RelativeDeclaration
from people.onboarding.enums import CLOSED_STATES, HOLDING_STATES
from people.onboarding.enums import ApplicationState as S
from people.onboarding.models import Application
from people.selectors import eligible_people
from posts.enums import AreaKind
from posts.models import Post

#: The demo's applications were entered this long ago, its meetings held later.
APPLIED_AGO = dt.timedelta(days=25)

# Where each demo application stops; STAGE is how far it goes forward before its last act.
APPLIED, REJECTED_APPLIED, WITHDRAWN_APPLIED = "applied", "rejected@applied", "withdrawn@applied"
INITIAL_PASSED, REJECTED_REVIEW = "initial_passed", "rejected@democratic_review"
REVIEWED_NONE, REVIEWED_SOME = "reviewed:no_opinions", "reviewed:some_opinions"
REVIEWED_ALL, REVIEWED_DISAGREE = "reviewed:all_opinions", "reviewed:disagreement"
REJECTED_REREVIEW, WITHDRAWN_REVIEWED = "rejected@rereview", "withdrawn@reviewed"
REREVIEW_PASSED = "rereview_passed"
RUNNING, OBJECTION_OPEN = "publicity:running", "publicity:objection"
OBJECTION_UPHELD, OBJECTION_DISMISSED = "publicity:upheld", "publicity:dismissed"
OVER, APPROVED, AGREED, TRAINED, STARTED = (
    "publicity:over",
    "approved",
    "agreed",
    "trained",
    "started",
)

STAGE = {
    APPLIED: 0,
    REJECTED_APPLIED: 0,
    WITHDRAWN_APPLIED: 0,
    INITIAL_PASSED: 1,
    REJECTED_REVIEW: 1,
    REVIEWED_NONE: 2,
    REVIEWED_SOME: 2,
    REVIEWED_ALL: 2,
    REVIEWED_DISAGREE: 2,
    REJECTED_REREVIEW: 2,
    WITHDRAWN_REVIEWED: 2,
    REREVIEW_PASSED: 3,
    RUNNING: 4,
    OBJECTION_OPEN: 4,
    OBJECTION_DISMISSED: 4,
    OBJECTION_UPHELD: 4,
    OVER: 4,
    APPROVED: 5,
    AGREED: 6,
    TRAINED: 7,
    STARTED: 8,
}
#: Two of each village's residents wait for its democratic review; the others are spread over
#: the township's villages.
PER_VILLAGE = (INITIAL_PASSED, INITIAL_PASSED)
SPREAD = (
    APPLIED,
    APPLIED,
    REJECTED_APPLIED,
    WITHDRAWN_APPLIED,
    REJECTED_REVIEW,
    REVIEWED_NONE,
    REVIEWED_SOME,
    REVIEWED_SOME,
    REVIEWED_ALL,
    REVIEWED_DISAGREE,
    REJECTED_REREVIEW,
    WITHDRAWN_REVIEWED,
)
#: The publicity that is over, in ranked order: the first goes furthest.
AFTER_PUBLICITY = (STARTED, TRAINED, AGREED, APPROVED, OVER, OVER)
#: The running publicity, in ranked order; one more applicant than places waits for a place.
IN_PUBLICITY = (OBJECTION_OPEN, OBJECTION_DISMISSED, OBJECTION_UPHELD, RUNNING)
#: Departments that have given their opinion on the "some opinions" applications.
SOME_DEPARTMENTS = (Department.CIVIL_AFFAIRS, Department.AGRICULTURE, Department.PUBLIC_SECURITY)
#: States that hold one of the post's places.
TAKING_PLACES = [S.PUBLICITY, *HOLDING_STATES]
#: A person with one of these declarations waits at publicity for the township and the county.
PENDING_DECLARATIONS = (DeclarationStatus.DECLARED, DeclarationStatus.TOWNSHIP_APPROVED)


@dataclass
class Plan:
    """One township's demo: the round's places per post, and who applies for what."""

    places: dict[int, int] = field(default_factory=dict)
    #: (person pk, post pk, where the application stops); publicity's lanes go by the ranking.
    entries: list[tuple[int, int, str]] = field(default_factory=list)
    over_posts: list[int] = field(default_factory=list)
    running_post: int | None = None


class Pool:
    """The township's people who may apply, by kind of post, each taken once."""

    def __init__(self, township: Region, today: dt.date):
        busy = Application.objects.exclude(state__in=list(CLOSED_STATES)).values("person_id")
        pending = RelativeDeclaration.objects.filter(status__in=PENDING_DECLARATIONS).values(
            "person_id"
        )
        people = (
            Person.objects.filter(region_code__startswith=township.code, village__isnull=False)
            .exclude(pk__in=busy)
            .order_by("region_code", "pk")
        )
        self.used: set[int] = set()
        self.by_kind: dict[str, list[tuple[int, int]]] = {}
        self.declared: dict[str, list[int]] = {}
        for kind in AreaKind.values:
            # Eligible on the day they applied and today, when the county approves.
            eligible = eligible_people(
                eligible_people(people, area_kind=kind, on=today - APPLIED_AGO),
                area_kind=kind,
                on=today,
            )
            self.by_kind[kind] = list(
                eligible.exclude(pk__in=pending).values_list("pk", "village_id")
            )
            self.declared[kind] = list(eligible.filter(pk__in=pending).values_list("pk", flat=True))

    def count(self, kind: str, village_id: int | None = None) -> int:
        return sum(
            1 for pk, v in self.by_kind[kind] if pk not in self.used and village_id in (None, v)
        )

    def take(self, kind: str, village_id: int | None = None) -> int | None:
        for pk, v in self.by_kind[kind]:
            if pk not in self.used and village_id in (None, v):
                self.used.add(pk)
                return pk
        return None

    def take_declared(self, kind: str) -> int | None:
        for pk in self.declared[kind]:
            if pk not in self.used:
                self.used.add(pk)
                return pk
        return None


def _plan(villages: list[Region], posts: list[Post], pool: Pool) -> Plan:
    """Which posts the round offers and who applies for each, to stop where.

    The township's main kind of post (the one more of its people may take) carries the lanes
    that use places: a post whose publicity runs (one applicant more than its places), posts
    whose publicity is over (as many applicants as places), and a post whose qualified applicants
    wait to be publicised. The other applications hold no place and go to a post of the kind
    their village's residents may take."""
    plan = Plan()
    by_kind: dict[str, list[Post]] = defaultdict(list)
    for post in sorted(posts, key=lambda p: (-p.free_places, p.pk)):
        by_kind[post.area_kind].append(post)
    main = max(AreaKind.values, key=lambda k: (pool.count(k) if by_kind[k] else -1, k))
    free = list(by_kind[main])
    if not free:
        return plan

    def add(post: Post, target: str, person: int | None) -> None:
        if person is not None:
            plan.places.setdefault(post.pk, post.free_places)
            plan.entries.append((person, post.pk, target))

    # The running publicity: a post of at least two places if there is one.
    running = next((p for p in free if p.free_places >= 2), free[0])
    free.remove(running)
    plan.running_post = running.pk
    plan.places[running.pk] = min(running.free_places, len(IN_PUBLICITY))
    for _i in range(plan.places[running.pk] + 1):
        add(running, RUNNING, pool.take(main))
    # The publicity that is over: its posts' places filled exactly, over as many as it takes.
    wanted = list(AFTER_PUBLICITY)
    declared = pool.take_declared(main)
    while (wanted or declared) and free:
        post = free.pop(0)
        n = min(post.free_places, len(wanted) + (declared is not None))
        plan.places[post.pk] = n
        plan.over_posts.append(post.pk)
        for _i in range(n):
            if declared is not None:
                add(post, OVER, declared)
                declared = None
            else:
                add(post, wanted.pop(0), pool.take(main))
    # Qualified and waiting to be publicised, on a post with places left.
    rereview = free[0] if free else None
    if rereview is not None:
        for _i in range(min(2, rereview.free_places)):
            add(rereview, REREVIEW_PASSED, pool.take(main))
    # The rest hold no place: each village's residents, on a post of their kind.
    place_for = {main: rereview or running}
    for kind, kind_posts in by_kind.items():
        if kind_posts:
            place_for.setdefault(kind, kind_posts[-1])
    slots = [(v, t) for t in PER_VILLAGE for v in villages]
    slots += [(villages[i % len(villages)], t) for i, t in enumerate(SPREAD)]
    for village, target in slots:
        kind = min(place_for, key=lambda k: (-pool.count(k, village.pk), k != main))
        person = pool.take(kind, village.pk)
        if person is None:
            kind, person = main, pool.take(main)
        add(place_for[kind], target, person)
    return plan


def _reaching(apps: dict[int, str], stage: int) -> list[int]:
    return [pk for pk, target in apps.items() if STAGE[target] >= stage]


def _with(apps: dict[int, str], *targets: str) -> list[int]:
    return [pk for pk, target in apps.items() if target in targets]


OBJECTIONS = {
    OBJECTION_OPEN: "反映其配偶在城区经营门店，家庭收入较高。",
    OBJECTION_UPHELD: "反映其目前在外地企业务工，并缴纳社会保险。",
    OBJECTION_DISMISSED: "反映其子女为村干部。",
}
FINDINGS = {
    OBJECTION_UPHELD: (True, "经核查，其在外地企业参保缴费至今，反映属实，不予安置。"),
    OBJECTION_DISMISSED: (False, "经核查，其子女不在本村任职，反映不属实。"),
}
