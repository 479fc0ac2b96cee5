"""``seed_demo``'s onboarding step (issue 5 part 12): in two demo townships, a recruitment round
whose applications stand at every state, so that every demo user has work waiting.

Everything goes through the real services and the one transition function, so the step records
and the audit trail are those a real round leaves. Only the publicity periods that must be over
are moved into the past afterwards (nobody waits five working days for a demo). Safe to re-run:
a township that has its demo round is left alone.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from gongyi.demo import DemoStep, register_demo_step
from gongyi.enums import Department, RegionLevel, Role
from gongyi.models import Region, User
from people.models import Person
from people.onboarding import services
from people.onboarding.enums import CLOSED_STATES, Opinion
from people.onboarding.enums import ApplicationState as S
from people.onboarding.models import Application, Publicity, Round, RoundPost
from people.onboarding.workflow import application_transition
from people.selectors import eligible_people
from posts.enums import AreaKind, PostStatus
from posts.models import Post

TITLE = "示例：{year}年第二批城乡公益性岗位招聘"
#: The demo townships (their clerks and villages have demo logins).
TOWNSHIPS = ["370902001", "370902100"]
#: What becomes of the applications, in the order the people rank (the first get the places).
PLAN = [
    S.STARTED,
    S.TRAINED,
    S.AGREED,
    S.APPROVED,
    "publicity_over",
    "publicity_objection",
    S.WAITLISTED,
    S.REREVIEW_PASSED,
    S.REVIEWED,
    "reviewed_some_opinions",
    S.INITIAL_PASSED,
    S.APPLIED,
    "rejected_initial",
    "rejected_democratic",
    "rejected_rereview",
    S.WITHDRAWN,
]


class _Actors:
    def __init__(self, township: Region):
        self.clerk = User.objects.get(username=f"clerk_{township.code}")
        self.county = User.objects.get(username="county")
        self.reviewers = list(
            User.objects.filter(role=Role.REVIEWER, department__in=Department.values).order_by(
                "department"
            )
        )

    def village_user(self, code: str) -> User:
        return User.objects.filter(username=f"village_{code}").first() or self.clerk


def _posts(township: Region, places_needed: int) -> list[Post]:
    """Open posts of the township with free places, rural ones first."""
    posts = list(
        Post.objects.filter(
            township=township, status__in=[PostStatus.OPEN, PostStatus.VACANT]
        ).order_by("-area_kind", "pk")
    )
    return [p for p in posts if p.free_places >= places_needed]


def _people(township: Region, post: Post, n: int) -> list[Person]:
    busy = Application.objects.exclude(state__in=list(CLOSED_STATES)).values("person_id")
    candidates = (
        Person.objects.filter(region_code__startswith=township.code, village__isnull=False)
        .exclude(pk__in=busy)
        .exclude(declarations__status__in=["declared", "township_approved", "refused"])
    )
    return list(eligible_people(candidates, area_kind=post.area_kind).order_by("pk")[:n])


def _democratic_review(actors: _Actors, apps: list[Application], today, fail=()) -> None:
    by_village: dict[str, list[Application]] = {}
    for app in apps:
        by_village.setdefault(app.region_code, []).append(app)
    for code, group in by_village.items():
        services.democratic_review_record(
            actor=actors.village_user(code),
            village=Region.objects.get(code=code),
            held_on=today,
            attendance=35,
            place="村（居）民委员会会议室",
            minutes="村（居）民代表会议对报名人员逐一评议，表决通过。",
            results={
                a.pk: (a.pk not in fail, 30 if a.pk not in fail else 9, "多数代表不同意")
                for a in group
            },
        )


def _opinions(actors: _Actors, ids: list[int], how_many: int | None = None) -> None:
    for reviewer in actors.reviewers[:how_many]:
        services.opinion_record(actor=reviewer, applications=ids, opinion=Opinion.AGREE)


def seed_round(township: Region, *, today: dt.date) -> int:
    """One round of one post in ``township`` with an application at every state; returns how
    many applications it made (0 when the township has no post or people for it)."""
    actors = _Actors(township)
    posts = sorted(_posts(township, 2), key=lambda p: (-min(p.free_places, 6), p.pk))
    if not posts:
        return 0
    post = posts[0]
    places = min(post.free_places, 6)
    people = _people(township, post, len(PLAN))
    if len(people) < len(PLAN):
        return 0
    round_ = services.round_create(
        actor=actors.clerk,
        places={post.pk: places},
        title=TITLE.format(year=today.year),
        who_may_apply="符合条件的脱贫享受政策人口、农村低收入人口、农村残疾人、农村大龄人员，"
        "城镇零就业家庭人员和城镇大龄失业人员。",
        opens_on=today - dt.timedelta(days=20),
        closes_on=today + dt.timedelta(days=10),
        apply_at=f"{township.name}便民服务中心",
        contact="0538-8000000",
    )
    services.round_publish(actor=actors.clerk, round_=round_)
    apps = {}
    for state, person in zip(PLAN, people, strict=True):
        apps[state] = services.application_submit(
            actor=actors.clerk,
            round_=round_,
            post=post,
            person=person,
            applied_on=today - dt.timedelta(days=15),
            evidence="身份证、户口簿、认定材料复印件",
        )
    ids = {state: app.pk for state, app in apps.items()}

    def move(states, to, **kw):
        application_transition(
            actor=kw.pop("actor", actors.clerk), applications=[ids[s] for s in states], to=to, **kw
        )

    move(["rejected_initial"], S.REJECTED, comment="不属于本乡镇（街道）户籍")
    move([S.WITHDRAWN], S.WITHDRAWN, comment="本人申请撤回")
    past_applied = [s for s in PLAN if s not in (S.APPLIED, "rejected_initial", S.WITHDRAWN)]
    move(past_applied, S.INITIAL_PASSED, evidence="材料齐全，系统比对无异常")
    reviewed = [s for s in past_applied if s != S.INITIAL_PASSED]
    _democratic_review(
        actors,
        [apps[s] for s in reviewed],
        today,
        fail={ids["rejected_democratic"]},
    )
    rereviewed = [s for s in reviewed if s not in ("rejected_democratic", S.REVIEWED)]
    _opinions(actors, [ids[s] for s in rereviewed if s != "reviewed_some_opinions"])
    _opinions(actors, [ids["reviewed_some_opinions"]], how_many=2)
    _opinions(actors, [ids[S.REVIEWED]], how_many=0)
    passed = [s for s in rereviewed if s not in ("reviewed_some_opinions", "rejected_rereview")]
    move(["rejected_rereview"], S.REJECTED, actor=actors.county, comment="比对发现有工商登记信息")
    move(passed, S.REREVIEW_PASSED, actor=actors.county)
    # The ranking gives the places to the first by priority; the others wait. One re-reviewed
    # applicant is kept out of the ranking, to show a publicity not yet started.
    held_back = ids[S.REREVIEW_PASSED]
    Application.objects.filter(pk=held_back).update(state=S.REVIEWED)
    rp = RoundPost.objects.get(round=round_, post=post)
    services.publicity_start(actor=actors.clerk, round_post=rp, starts_on=today)
    Application.objects.filter(pk=held_back).update(state=S.REREVIEW_PASSED)
    Publicity.objects.filter(round=round_).update(
        starts_on=today - dt.timedelta(days=12), ends_on=today - dt.timedelta(days=4)
    )
    in_publicity = list(
        Application.objects.filter(round=round_, state=S.PUBLICITY).order_by("rank", "pk")
    )
    # The publicised, by rank, end at every later step; with fewer places the later steps come
    # first, and the other township shows the rest.
    outcomes = [S.STARTED, S.TRAINED, S.AGREED, S.APPROVED, S.PUBLICITY, "objection"]
    fate = {app.pk: outcome for app, outcome in zip(in_publicity, outcomes, strict=False)}

    def at(*states):
        return [pk for pk, outcome in fate.items() if outcome in states]

    for pk in at("objection"):
        app = Application.objects.get(pk=pk)
        services.objection_raise(
            actor=actors.village_user(app.region_code),
            application=app,
            content="群众反映其子女在县城经商，家庭收入较高",
            raised_by="匿名",
            raised_on=today - dt.timedelta(days=5),
        )
    if at(S.STARTED, S.TRAINED, S.AGREED, S.APPROVED):
        application_transition(
            actor=actors.county,
            applications=at(S.STARTED, S.TRAINED, S.AGREED, S.APPROVED),
            to=S.APPROVED,
        )
    start = today
    end = start.replace(year=start.year + 3) - dt.timedelta(days=1)
    if at(S.STARTED, S.TRAINED, S.AGREED):
        application_transition(
            actor=actors.clerk,
            applications=at(S.STARTED, S.TRAINED, S.AGREED),
            to=S.AGREED,
            data={"signed_on": start, "term_start": start},
            # An urban post ends by the statutory retirement date (RULES.md §2).
            per_application={
                app.pk: {
                    "term_end": min(end, app.person.retirement_date)
                    if post.area_kind == AreaKind.URBAN
                    else end
                }
                for app in Application.objects.filter(
                    pk__in=at(S.STARTED, S.TRAINED, S.AGREED)
                ).select_related("person")
            },
        )
    if at(S.STARTED, S.TRAINED):
        services.training_session_record(
            actor=actors.clerk,
            held_on=today,
            topic="岗位职责、安全生产和考勤制度",
            place=f"{township.name}会议室",
            hours=4,
            trainer="县人社局",
            present=at(S.STARTED, S.TRAINED),
            absent=at(S.AGREED),
        )
    if at(S.STARTED):
        application_transition(actor=actors.clerk, applications=at(S.STARTED), to=S.STARTED)
    return Application.objects.filter(round=round_).count()


def seed_onboarding(*, county: Region, options: dict, stdout) -> None:
    today = timezone.localdate()
    made = 0
    for code in TOWNSHIPS:
        township = Region.objects.filter(code=code, level=RegionLevel.TOWNSHIP).first()
        if (
            township is None
            or Round.objects.filter(township=township, title=TITLE.format(year=today.year)).exists()
        ):
            continue
        if not User.objects.filter(username=f"clerk_{code}").exists():
            continue
        with transaction.atomic():
            made += seed_round(township, today=today)
    stdout.write(f"Demo onboarding: {made} applications in new rounds.")


register_demo_step(DemoStep("onboarding", seed_onboarding))
