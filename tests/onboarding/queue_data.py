"""Many applications at once, for the queues' tests and benchmarks (the county's
queue with 100,000 applications).

``make_queue_rows(n)`` writes ``n`` applications of one county with COPY (``gongyi.db``): a person
each, spread over the county's villages, in a mix of states with what each state has on record
(the village's democratic review, the department opinions, the publicity list, some open
objections and pending relative declarations). The people are rural older people, eligible for
the rural posts they apply for, so that the applications in publicity can be approved. No step
records or audit entries: these rows are a load for reads, not a history. 100,000 take about
half a minute on a small machine.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from gongyi.db import copy_insert
from gongyi.enums import Department, RegionLevel, Role
from gongyi.models import Region, User
from people.enums import DeclarationStatus
from people.idnumbers import check_character
from people.models import Person, PersonGroup, RelativeDeclaration, TargetGroup
from people.onboarding.enums import ApplicationState as S
from people.onboarding.enums import ObjectionStatus, Opinion, RoundStatus
from people.onboarding.models import (
    Application,
    DemocraticReview,
    DepartmentOpinion,
    Objection,
    Publicity,
    Round,
    RoundPost,
)
from people.retirement import default_category, retirement_date
from posts.models import Post, PostType

#: The address code of the generated people's ID numbers: no real county has it, so they never
#: meet the people of ``seed_demo`` (only the date and the check character are validated).
ID_AREA = "379999"
#: state → share of the applications (the queues' two states are most of them).
DEFAULT_MIX = {
    S.REVIEWED: 0.35,
    S.PUBLICITY: 0.25,
    S.APPLIED: 0.08,
    S.INITIAL_PASSED: 0.08,
    S.REREVIEW_PASSED: 0.06,
    S.APPROVED: 0.06,
    S.REJECTED: 0.08,
    S.WITHDRAWN: 0.04,
}
CHUNK = 5000
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "秀英桂兰玉梅建国志强春华丽娟明海红霞永刚德福淑珍"
_AFTER_REVIEW = {
    S.REVIEWED,
    S.REREVIEW_PASSED,
    S.PUBLICITY,
    S.APPROVED,
}


@dataclass
class QueueRows:
    """What ``make_queue_rows`` wrote."""

    county: Region
    counts: dict[str, int] = field(default_factory=dict)
    application_ids: list[int] = field(default_factory=list)


#: Birth dates of the generated people: aged 46 to 60 in 2026, rural older people (45–65).
BORN_FROM, BORN_DAYS = dt.date(1966, 1, 1), 5000


def _id_number(serial: int) -> tuple[str, dt.date, bool]:
    if serial >= 500 * BORN_DAYS:
        raise ValueError("make_queue_rows makes at most 2,500,000 people")
    birth = BORN_FROM + dt.timedelta(days=serial // 500)
    male = serial % 2 == 1
    order = (serial % 500) * 2 + (1 if male else 0)
    first17 = f"{ID_AREA}{birth:%Y%m%d}{order:03d}"
    return first17 + check_character(first17), birth, male


def _setup(county: Region, actor: User, villages: list[Region], today: dt.date):
    """A published round per township, a rural post per village offered in it, and a
    democratic review and a publicity list per village."""
    post_type = PostType.objects.filter(county=None).order_by("pk").first()
    townships = {v.parent_id: v.parent for v in villages}
    rounds = {}
    for township in townships.values():
        rounds[township.pk] = Round.objects.create(
            township=township,
            region_code=township.code,
            title=f"{township.name}公益性岗位招聘（批量）",
            who_may_apply="农村大龄人员",
            opens_on=today - dt.timedelta(days=60),
            closes_on=today + dt.timedelta(days=30),
            apply_at=f"{township.name}便民服务中心",
            status=RoundStatus.PUBLISHED,
            published_on=today - dt.timedelta(days=60),
            created_by=actor,
        )
    posts, reviews, publicities = {}, {}, {}
    for village in villages:
        posts[village.pk] = Post.objects.create(
            post_type=post_type,
            title=f"{village.name}保洁员",
            area_kind="rural",
            work_pattern="full_time",
            township=village.parent,
            village=village,
            region_code=village.code,
            department=Department.CIVIL_AFFAIRS,
            duties="村内道路保洁",
            headcount=100_000,
            monthly_subsidy=1700,
            insurance_kind="accident_insurance",
            plan_year=today.year,
            status="open",
            opened_on=today - dt.timedelta(days=90),
            created_by=actor,
        )
        RoundPost.objects.create(
            round=rounds[village.parent_id], post=posts[village.pk], places=100_000
        )
        reviews[village.pk] = DemocraticReview.objects.create(
            village=village,
            region_code=village.code,
            held_on=today - dt.timedelta(days=30),
            attendance=40,
            minutes="村民代表会议评议",
            created_by=actor,
        )
        publicities[village.pk] = Publicity.objects.create(
            village=village,
            region_code=village.code,
            round=rounds[village.parent_id],
            starts_on=today - dt.timedelta(days=12),
            ends_on=today - dt.timedelta(days=5),
            working_days=5,
            created_by=actor,
        )
    return rounds, posts, reviews, publicities


def make_queue_rows(
    n: int,
    *,
    county: Region | str = "370902",
    actor: User | None = None,
    mix: dict[str, float] | None = None,
    seed: int = 0,
    villages: list[Region] | None = None,
) -> QueueRows:
    """Write ``n`` applications of ``county`` (a Region or its code) in the states of ``mix``.

    Needs the county's villages (or ``villages``, some of them) and a county user (``actor``,
    else the county's first); the applications are entered by each township's clerk if it has
    one (so that ``actor`` may approve them), else by ``actor``. Of the
    re-review's applications, a third have all five department opinions (one in ten with a
    disagreement) and a third some; of those in publicity, one in twenty has an open objection
    and one in twenty a pending relative declaration. Safe to call twice (new people each time).
    """
    rng = random.Random(seed)
    if isinstance(county, str):
        county = Region.objects.get(code=county)
    actor = actor or User.objects.filter(role=Role.COUNTY, region=county).order_by("pk").first()
    if actor is None:
        raise ValueError(f"{county.code} has no county user")
    chosen = Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith=county.code)
    if villages is not None:
        chosen = chosen.filter(pk__in=[v.pk for v in villages])
    villages = list(chosen.select_related("parent").order_by("code"))
    if not villages:
        raise ValueError(f"{county.code} has no villages")
    mix = mix or DEFAULT_MIX
    states = list(mix)
    weights = [mix[s] for s in states]
    today = timezone.localdate()
    now = timezone.now()
    result = QueueRows(county)
    start = Person.objects.filter(id_number__startswith=ID_AREA).count()
    departments = list(Department.values)
    rural_older = TargetGroup.objects.get(code="rural_older", county=None)
    with transaction.atomic():
        rounds, posts, reviews, publicities = _setup(county, actor, villages, today)
        # Entered by the township's clerk where it has one, as applications are: the county
        # user may then approve them (the approver is never the user who entered one).
        clerks = {}
        for clerk in User.objects.filter(
            role=Role.CLERK, region__in=[v.parent_id for v in villages], is_active=True
        ).order_by("-pk"):
            clerks[clerk.region_id] = clerk
        for offset in range(0, n, CHUNK):
            size = min(CHUNK, n - offset)
            people, apps = [], []
            for i in range(size):
                number, birth, male = _id_number(start + offset + i)
                village = villages[rng.randrange(len(villages))]
                sex = "male" if male else "female"
                category = default_category(sex)
                people.append(
                    Person(
                        id_number=number,
                        name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                        sex=sex,
                        birth_date=birth,
                        registration="local",
                        township=village.parent,
                        village=village,
                        region_code=village.code,
                        residence="rural",
                        retirement_category=category,
                        retirement_date=retirement_date(category, birth),
                        created_by=actor,
                    )
                )
                state = rng.choices(states, weights)[0]
                reviewed = state in _AFTER_REVIEW or (
                    state in (S.REJECTED, S.WITHDRAWN) and rng.random() < 0.5
                )
                apps.append(
                    Application(
                        round=rounds[village.parent_id],
                        post=posts[village.pk],
                        region_code=village.code,
                        state=state,
                        state_changed_at=now,
                        applied_on=today - dt.timedelta(days=40),
                        eligibility={"eligible": True, "rules": []},
                        democratic_review=reviews[village.pk] if reviewed else None,
                        votes_for=30 if reviewed else None,
                        publicity=publicities[village.pk]
                        if state in (S.PUBLICITY, S.APPROVED)
                        else None,
                        rank=i + 1 if state in (S.PUBLICITY, S.APPROVED) else None,
                        rejected_reason="材料不全" if state in (S.REJECTED, S.WITHDRAWN) else "",
                        created_by=clerks.get(village.parent_id, actor),
                    )
                )
            copy_insert(Person, people)
            # Each is a rural older person (农村大龄人员), so that approval finds them eligible.
            copy_insert(
                PersonGroup,
                [
                    PersonGroup(
                        person=p,
                        group=rural_older,
                        recognised_on=dt.date(2020, 1, 1),
                        evidence="农村大龄人员认定",
                        recorded_by=actor,
                    )
                    for p in people
                ],
            )
            for person, app in zip(people, apps, strict=True):
                app.person_id = person.pk
            copy_insert(Application, apps)
            opinions, objections, declarations = [], [], []
            for app, person in zip(apps, people, strict=True):
                if app.state == S.REVIEWED:
                    roll = rng.random()
                    given = 5 if roll < 1 / 3 else (rng.randint(1, 4) if roll < 2 / 3 else 0)
                    for k, dept in enumerate(departments[:given]):
                        disagree = k == 0 and rng.random() < 0.1
                        opinions.append(
                            DepartmentOpinion(
                                application_id=app.pk,
                                department=dept,
                                opinion=Opinion.DISAGREE if disagree else Opinion.AGREE,
                                comment="比对发现疑点" if disagree else "",
                                reviewer=actor,
                                at=now,
                            )
                        )
                elif app.state == S.PUBLICITY:
                    roll = rng.random()
                    if roll < 0.05:
                        objections.append(
                            Objection(
                                application_id=app.pk,
                                raised_on=today - dt.timedelta(days=8),
                                raised_by="村民",
                                content="反映其家庭有经营性收入",
                                status=ObjectionStatus.OPEN,
                                received_by=actor,
                            )
                        )
                    elif roll < 0.10:
                        declarations.append(
                            RelativeDeclaration(
                                person_id=person.pk,
                                relation="sibling",
                                relative_name="王某",
                                relative_kind="cadre",
                                relative_post="村委会委员",
                                declared_on=today - dt.timedelta(days=45),
                                status=DeclarationStatus.DECLARED,
                                created_by=actor,
                            )
                        )
                result.counts[app.state] = result.counts.get(app.state, 0) + 1
                result.application_ids.append(app.pk)
            copy_insert(DepartmentOpinion, opinions)
            copy_insert(Objection, objections)
            copy_insert(RelativeDeclaration, declarations)
    return result
