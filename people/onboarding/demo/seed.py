"""The demo's seeding step: each township's round and its applications, taken to where the plan
stops them through the step services and ``workflow.application_transition``, as the users
would; registered as ``seed_demo``'s "onboarding" step."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyi.calendar import working_days_end
from gongyi.demo import DemoStep, register_demo_step
from gongyi.enums import Department, RegionLevel, Role
from gongyi.models import Region, User
from gongyi.policy import policy_value
from people.demo import county_actor  # importing it registers the people step before this one
from people.eligibility import add_months
from people.models import Person, RelativeDeclaration
from people.onboarding import services
from people.onboarding.demo.plan import (
    AFTER_PUBLICITY,
    AGREED,
    APPLIED_AGO,
    FINDINGS,
    IN_PUBLICITY,
    OBJECTIONS,
    OVER,
    PENDING_DECLARATIONS,
    REJECTED_APPLIED,
    REJECTED_REREVIEW,
    REJECTED_REVIEW,
    REVIEWED_ALL,
    REVIEWED_DISAGREE,
    REVIEWED_SOME,
    SOME_DEPARTMENTS,
    STAGE,
    TAKING_PLACES,
    WITHDRAWN_APPLIED,
    WITHDRAWN_REVIEWED,
    Pool,
    _plan,
    _reaching,
    _with,
)
from people.onboarding.enums import ApplicationState as S
from people.onboarding.enums import Opinion
from people.onboarding.models import Application, Publicity, Round, RoundPost
from people.onboarding.policy import PUBLICITY_WORKING_DAYS, REQUIRED_OPINIONS
from people.onboarding.workflow import application_transition
from people.policy import SUBSIDY_MONTHS_PER_PLACEMENT
from posts.demo import ALLOCATION_2022
from posts.enums import AreaKind, PostStatus
from posts.models import Post

#: The round's title after the township's name: a township that has it was seeded already.
ROUND_TITLE = "城乡公益性岗位招聘（第一批）"


@dataclass
class Actors:
    clerk: User
    county: User
    villages: dict[str, User]  # village code → its committee's user
    reviewers: dict[str, User]  # department → reviewer


def _seed_township(township: Region, actors: Actors, today: dt.date) -> int:
    """The township's round and its applications; returns how many applications."""
    villages = list(Region.objects.filter(parent=township).order_by("code"))
    # Places already proposed or approved (an earlier round's) are not free for this one.
    taken = Count("applications", filter=Q(applications__state__in=TAKING_PLACES))
    posts = list(
        Post.objects.filter(township=township, status__in=[PostStatus.OPEN, PostStatus.VACANT])
        .annotate(taken=taken)
        .order_by("pk")
    )
    for post in posts:
        post.occupied += post.taken  # for ``free_places`` here only; never saved
    posts = [p for p in posts if p.free_places > 0]
    if not villages or not posts:
        return 0
    plan = _plan(villages, posts, Pool(township, today))
    if not plan.entries:
        return 0
    clerk, county = actors.clerk, actors.county
    opens = today - dt.timedelta(days=30)
    round_ = services.round_create(
        actor=clerk,
        places=plan.places,
        title=f"{township.name}{ROUND_TITLE}",
        who_may_apply="脱贫享受政策人口、农村低收入人口、农村残疾人、农村大龄人员；"
        "城镇零就业家庭人员、城镇大龄失业人员",
        opens_on=opens,
        closes_on=today + dt.timedelta(days=15),
        apply_at=f"{township.name}便民服务中心",
        contact="0538-6200000",
    )
    services.round_publish(actor=clerk, round_=round_)
    # Published when its window opened, as its announcement says (the demo starts mid-round).
    Round.objects.filter(pk=round_.pk).update(published_on=opens)
    round_.refresh_from_db()
    people = Person.objects.in_bulk([person for person, _post, _t in plan.entries])
    posts_by_pk = {p.pk: p for p in posts}
    apps: dict[int, str] = {}
    for person, post, target in plan.entries:
        app = services.application_submit(
            actor=clerk,
            round_=round_,
            post=posts_by_pk[post],
            person=people[person],
            applied_on=today - APPLIED_AGO,
            evidence="身份证、户口簿、就业困难人员认定材料复印件",
        )
        apps[app.pk] = target

    # Step 2: the township's initial review.
    for pk in _with(apps, REJECTED_APPLIED):
        application_transition(
            actor=clerk, applications=[pk], to=S.REJECTED, comment="未提供户口簿，材料不全。"
        )
    for pk in _with(apps, WITHDRAWN_APPLIED):
        application_transition(
            actor=clerk, applications=[pk], to=S.WITHDRAWN, comment="本人已在企业就业，申请撤回。"
        )
    application_transition(
        actor=clerk, applications=_reaching(apps, 1), to=S.INITIAL_PASSED, evidence="材料齐全"
    )

    # Step 3: each village's democratic review of its own residents.
    region_of = dict(Application.objects.filter(pk__in=list(apps)).values_list("pk", "region_code"))
    for village in villages:
        own = [pk for pk in apps if region_of[pk].startswith(village.code)]
        results = {pk: (True, 27, "") for pk in own if STAGE[apps[pk]] >= 2}
        results |= {
            pk: (False, 9, "评议认为其家庭有稳定经营收入，不属于就业困难人员。")
            for pk in own
            if apps[pk] == REJECTED_REVIEW
        }
        if results:
            services.democratic_review_record(
                actor=actors.villages.get(village.code, clerk),
                village=village,
                held_on=today - dt.timedelta(days=20),
                attendance=35,
                minutes="村（居）民代表会议对报名人员逐一评议，无记名投票表决。",
                place=f"{village.name}党群服务中心",
                results=results,
            )

    # Step 4: the departments' opinions, then the county's re-review.
    everyone = [*_reaching(apps, 3), *_with(apps, REVIEWED_ALL, WITHDRAWN_REVIEWED)]
    for department, reviewer in actors.reviewers.items():
        agree = [*everyone, *_with(apps, REJECTED_REREVIEW, REVIEWED_DISAGREE)]
        if department in SOME_DEPARTMENTS:
            agree += _with(apps, REVIEWED_SOME)
        disagree = []
        if department == Department.MARKET_REGULATION:
            disagree = _with(apps, REVIEWED_DISAGREE, REJECTED_REREVIEW)
            agree = [pk for pk in agree if pk not in disagree]
        if agree:
            services.opinion_record(actor=reviewer, applications=agree, opinion=Opinion.AGREE)
        if disagree:
            services.opinion_record(
                actor=reviewer,
                applications=disagree,
                opinion=Opinion.DISAGREE,
                comment="比对发现其名下有存续的个体工商户登记。",
            )
    if _reaching(apps, 3):
        application_transition(
            actor=county,
            applications=_reaching(apps, 3),
            to=S.REREVIEW_PASSED,
            evidence="联审比对无异常",
        )
    for pk in _with(apps, REJECTED_REREVIEW):
        application_transition(
            actor=county,
            applications=[pk],
            to=S.REJECTED,
            comment="经市场监管部门比对，其名下有存续的个体工商户，不符合安置条件。",
        )
    for pk in _with(apps, WITHDRAWN_REVIEWED):
        application_transition(
            actor=clerk, applications=[pk], to=S.WITHDRAWN, comment="本人因照顾家中老人申请撤回。"
        )

    # Publicity: the ranking decides who is listed; each lane's stops go by rank.
    round_posts = {rp.post_id: rp for rp in RoundPost.objects.filter(round=round_)}
    # Only posts that have qualified applicants (a small population may leave one without).
    qualified = set(
        Application.objects.filter(round=round_, state=S.REREVIEW_PASSED).values_list(
            "post_id", flat=True
        )
    )
    over_apps: list[Application] = []
    for post in plan.over_posts:
        if post in qualified:
            services.publicity_start(actor=clerk, round_post=round_posts[post])
            over_apps += _publicised(round_, post)
    if over_apps:
        _backdate({a.publicity_id for a in over_apps}, township, today)
    # A pending relative declaration cannot be approved: it stays in publicity.
    pending = set(
        RelativeDeclaration.objects.filter(
            person_id__in=[a.person_id for a in over_apps], status__in=PENDING_DECLARATIONS
        ).values_list("person_id", flat=True)
    )
    over_apps.sort(key=lambda a: a.person_id in pending)
    stops = [*AFTER_PUBLICITY, *[OVER] * len(over_apps)]
    for app, target in zip(over_apps, stops, strict=False):
        apps[app.pk] = OVER if app.person_id in pending else target
    if plan.running_post in qualified:
        services.publicity_start(actor=clerk, round_post=round_posts[plan.running_post])
        running = _publicised(round_, plan.running_post)
        for app, target in zip(running, IN_PUBLICITY, strict=False):
            apps[app.pk] = target
            _object(app, target, actors, today)

    # Steps 5 to 8: approval, agreement, training, start (all today: each follows the other).
    approve = _reaching(apps, 5)
    if approve:
        application_transition(
            actor=county, applications=approve, to=S.APPROVED, evidence="公示期满无异议"
        )
    agree = _reaching(apps, 6)
    if agree:
        application_transition(
            actor=clerk,
            applications=agree,
            to=S.AGREED,
            per_application=_terms(agree, today),
            evidence="协议双方签字",
        )
    trained = _reaching(apps, 7)
    if trained:
        services.training_session_record(
            actor=clerk,
            held_on=today,
            topic="公益性岗位职责、安全生产与考勤制度",
            place=f"{township.name}会议室",
            hours=4,
            trainer="区人社局",
            present=trained,
            absent=_with(apps, AGREED),
        )
    started = _reaching(apps, 8)
    if started:
        application_transition(actor=clerk, applications=started, to=S.STARTED, evidence="已到岗")
    return len(apps)


def _publicised(round_: Round, post: int) -> list[Application]:
    return list(
        Application.objects.filter(round=round_, post_id=post, state=S.PUBLICITY).order_by(
            "rank", "pk"
        )
    )


def _backdate(publicity_ids: set[int], township: Region, today: dt.date) -> None:
    """Move publicity lists into the past, their period over (the demo cannot wait for it)."""
    days = policy_value(township.code, PUBLICITY_WORKING_DAYS, today)
    starts = today - dt.timedelta(days=days * 2 + 4)
    ends = working_days_end(starts, days)
    if ends >= today:  # a long holiday in the window
        starts, ends = starts - (ends - today) - dt.timedelta(days=1), today - dt.timedelta(days=1)
    Publicity.objects.filter(pk__in=publicity_ids).update(starts_on=starts, ends_on=ends)


def _object(app: Application, target: str, actors: Actors, today: dt.date) -> None:
    """An objection to a publicised applicant, received by the village; the township's finding
    on some of them."""
    if target not in OBJECTIONS:
        return
    objection = services.objection_raise(
        actor=actors.villages.get(app.region_code, actors.clerk),
        application=app,
        content=OBJECTIONS[target],
        raised_by="村民（匿名）",
        raised_on=today,
    )
    if target in FINDINGS:
        upheld, finding = FINDINGS[target]
        services.objection_resolve(
            actor=actors.clerk, objection=objection, upheld=upheld, finding=finding
        )


def _terms(ids: list[int], today: dt.date) -> dict[int, dict]:
    """Each agreement's dates: signed today, after the approval; the term from today for the
    subsidy period, and for an urban post no later than the statutory retirement date."""
    terms = {}
    for pk, area_kind, region_code, retirement in Application.objects.filter(
        pk__in=ids
    ).values_list("pk", "post__area_kind", "region_code", "person__retirement_date"):
        months = policy_value(region_code, SUBSIDY_MONTHS_PER_PLACEMENT, today)
        end = add_months(today, months) - dt.timedelta(days=1)
        if area_kind == AreaKind.URBAN and retirement:
            end = min(end, retirement)
        terms[pk] = {"signed_on": today, "term_start": today, "term_end": end}
    return terms


def _actors(county: Region, township: Region) -> Actors | None:
    clerk = (
        User.objects.filter(role=Role.CLERK, region=township, is_active=True).order_by("pk").first()
    )
    approver = county_actor(county)
    if clerk is None or approver is None:
        return None
    villages = {
        user.region.code: user
        for user in User.objects.filter(role=Role.VILLAGE, region__parent=township, is_active=True)
        .select_related("region")
        .order_by("-pk")
    }
    reviewers = {
        user.department: user
        for user in User.objects.filter(
            role=Role.REVIEWER, region=county, is_active=True, department__in=Department.values
        ).order_by("-pk")
    }
    if len(reviewers) < policy_value(county.code, REQUIRED_OPINIONS):
        return None
    return Actors(clerk, approver, villages, reviewers)


def seed_onboarding(*, county: Region, options: dict, stdout) -> None:
    today = timezone.localdate()
    townships = Region.objects.filter(
        code__in=ALLOCATION_2022, parent=county, level=RegionLevel.TOWNSHIP
    ).order_by("code")
    rounds = applications = 0
    for township in townships:
        if Round.objects.filter(township=township, title=f"{township.name}{ROUND_TITLE}").exists():
            continue
        actors = _actors(county, township)
        if actors is None:
            continue
        with transaction.atomic():
            n = _seed_township(township, actors, today)
        rounds += n > 0
        applications += n
    total = Application.objects.filter(region_code__startswith=county.code).count()
    stdout.write(
        _(
            "Demo onboarding: %(rounds)s rounds and %(new)s applications created; "
            "%(total)s applications in %(county)s."
        )
        % {"rounds": rounds, "new": applications, "total": total, "county": county.name}
    )


register_demo_step(DemoStep("onboarding", seed_onboarding))
