"""Factories of the onboarding workflow: rounds and their posts, village reviews and publicity,
applications and everything recorded on them, training and rankings.

Applications are written directly, in the state asked for (``state=``); the workflow
(``people.onboarding.workflow``) is what moves real ones and writes their records, so a test of a
transition starts from a factory row and calls the workflow.
"""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from gongyi.enums import Department, Role
from people.eligibility import age_on
from people.onboarding.enums import (
    ApplicationState,
    ObjectionStatus,
    Opinion,
    RecordKind,
    RoundStatus,
)
from people.onboarding.models import (
    Application,
    DemocraticReview,
    DepartmentOpinion,
    Objection,
    Publicity,
    RankingRecord,
    Round,
    RoundPost,
    StepRecord,
    TrainingAttendance,
    TrainingSession,
)
from tests.factories.gongyi import TownshipFactory, UserFactory, VillageFactory
from tests.factories.people import PersonFactory
from tests.factories.posts import PostFactory


def _user_of(role: str, region_path: str):
    """A new user with ``role`` in the region at ``region_path`` (a SelfAttribute path)."""
    return factory.SubFactory(UserFactory, role=role, region=factory.SelfAttribute(region_path))


class RoundFactory(factory.django.DjangoModelFactory):
    """A township's published round, open from 2026-03-01 to 2026-03-15."""

    class Meta:
        model = Round

    township = factory.SubFactory(TownshipFactory)
    region_code = factory.LazyAttribute(lambda o: o.township.code)
    title = factory.Sequence(lambda n: f"测试招聘{n}")
    who_may_apply = "本乡镇符合条件的就业困难人员"
    opens_on = dt.date(2026, 3, 1)
    closes_on = dt.date(2026, 3, 15)
    apply_at = "乡镇便民服务中心"
    status = RoundStatus.PUBLISHED
    published_on = factory.LazyAttribute(lambda o: o.opens_on)
    created_by = _user_of(Role.CLERK, "..township")


def _post_of_round():
    """A post of the round's township, made by the round's clerk."""
    return factory.SubFactory(
        PostFactory,
        township=factory.SelfAttribute("..round.township"),
        created_by=factory.SelfAttribute("..round.created_by"),
    )


class RoundPostFactory(factory.django.DjangoModelFactory):
    """A post of the round's township, offered with one place."""

    class Meta:
        model = RoundPost
        django_get_or_create = ("round", "post")

    round = factory.SubFactory(RoundFactory)
    post = _post_of_round()
    places = 1


class DemocraticReviewFactory(factory.django.DjangoModelFactory):
    """A village's review meeting on 2026-03-20, recorded by the village committee."""

    class Meta:
        model = DemocraticReview

    village = factory.SubFactory(VillageFactory)
    region_code = factory.LazyAttribute(lambda o: o.village.code)
    held_on = dt.date(2026, 3, 20)
    place = "村委会会议室"
    attendance = 25
    minutes = "评议通过"
    created_by = _user_of(Role.VILLAGE, "..village")


class PublicityFactory(factory.django.DjangoModelFactory):
    """A village's five-working-day publicity (docs/policy.md §6) for a round of its township."""

    class Meta:
        model = Publicity

    village = factory.SubFactory(VillageFactory)
    region_code = factory.LazyAttribute(lambda o: o.village.code)
    round = factory.SubFactory(RoundFactory, township=factory.SelfAttribute("..village.parent"))
    starts_on = dt.date(2026, 3, 23)  # a Monday
    ends_on = dt.date(2026, 3, 27)
    working_days = 5
    created_by = _user_of(Role.VILLAGE, "..village")


def _verdict(o) -> dict:
    """An eligibility verdict as ``Verdict.as_dict`` stores it: eligible, nothing left to do."""
    return {
        "area_kind": o.post.area_kind,
        "on": o.applied_on.isoformat(),
        "eligible": True,
        "ready": True,
        "groups": [],
        "rules": [],
    }


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A person of the round's township applying for a post the round offers (the RoundPost is
    made with it), entered by the round's clerk; ``state`` applied unless asked otherwise."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    round = factory.SubFactory(RoundFactory)
    post = _post_of_round()
    person = factory.SubFactory(
        PersonFactory,
        township=factory.SelfAttribute("..round.township"),
        created_by=factory.SelfAttribute("..round.created_by"),
    )
    region_code = factory.LazyAttribute(lambda o: o.person.region_code)
    state = ApplicationState.APPLIED
    state_changed_at = factory.LazyFunction(timezone.now)
    applied_on = factory.LazyAttribute(lambda o: o.round.opens_on)
    eligibility = factory.LazyAttribute(_verdict)
    created_by = factory.SelfAttribute("round.created_by")

    @factory.post_generation
    def _offered(obj, create, extracted, **kwargs):
        if create:
            RoundPostFactory(round=obj.round, post=obj.post)


class StepRecordFactory(factory.django.DjangoModelFactory):
    """The record of the application's first step (报名申请), by the clerk who entered it."""

    class Meta:
        model = StepRecord

    application = factory.SubFactory(ApplicationFactory)
    region_code = factory.LazyAttribute(lambda o: o.application.region_code)
    kind = RecordKind.TRANSITION
    from_state = ""
    to_state = factory.LazyAttribute(lambda o: o.application.state)
    actor = factory.SelfAttribute("application.created_by")
    actor_role = factory.LazyAttribute(lambda o: o.actor.role)
    at = factory.LazyFunction(timezone.now)


class DepartmentOpinionFactory(factory.django.DjangoModelFactory):
    """Civil affairs agrees, in the county's re-review of an application past the village."""

    class Meta:
        model = DepartmentOpinion

    application = factory.SubFactory(ApplicationFactory, state=ApplicationState.REVIEWED)
    department = Department.CIVIL_AFFAIRS
    opinion = Opinion.AGREE
    reviewer = factory.SubFactory(
        UserFactory,
        role=Role.REVIEWER,
        department=factory.SelfAttribute("..department"),
        region=factory.SelfAttribute("..application.round.township.parent"),
    )
    at = factory.LazyFunction(timezone.now)


class ObjectionFactory(factory.django.DjangoModelFactory):
    """An objection to an application in publicity, received by the round's clerk, open."""

    class Meta:
        model = Objection

    application = factory.SubFactory(ApplicationFactory, state=ApplicationState.PUBLICITY)
    raised_on = dt.date(2026, 3, 24)
    raised_by = "村民张某"
    content = "家庭收入情况与申报不符"
    status = ObjectionStatus.OPEN
    received_by = factory.SelfAttribute("application.created_by")


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    """A township's four-hour pre-job training on 2026-03-30."""

    class Meta:
        model = TrainingSession

    township = factory.SubFactory(TownshipFactory)
    region_code = factory.LazyAttribute(lambda o: o.township.code)
    held_on = dt.date(2026, 3, 30)
    topic = "岗位职责与安全"
    place = "乡镇会议室"
    hours = Decimal("4.0")
    trainer = "李老师"
    created_by = _user_of(Role.CLERK, "..township")


class TrainingAttendanceFactory(factory.django.DjangoModelFactory):
    """An applicant with a signed agreement, present at a session of the round's township."""

    class Meta:
        model = TrainingAttendance

    session = factory.SubFactory(TrainingSessionFactory)
    application = factory.SubFactory(
        ApplicationFactory,
        state=ApplicationState.AGREED,
        round__township=factory.SelfAttribute("...session.township"),
    )
    present = True


def _ranked_row(application: Application, on: dt.date) -> dict:
    """A row as ``Ranked.as_dict`` writes it, first place, with no priority group."""
    person = application.person
    return {
        "position": 1,
        "person": person.pk,
        "name": person.name,
        "group": None,
        "age": age_on(person.birth_date, on),
        "recognised_on": None,
        "family": person.dibao_family or person.zero_employment_family,
        "reason": "",
        "application": application.pk,
    }


class RankingRecordFactory(factory.django.DjangoModelFactory):
    """The ranking of a post in a round on 2026-03-21, kept with its rows (docs/policy.md §3)."""

    class Meta:
        model = RankingRecord

    class Params:
        #: The one applicant ranked: past the re-review, for this post in this round.
        application = factory.SubFactory(
            ApplicationFactory,
            state=ApplicationState.REREVIEW_PASSED,
            round=factory.SelfAttribute("..round_post.round"),
            post=factory.SelfAttribute("..round_post.post"),
        )

    round_post = factory.SubFactory(RoundPostFactory)
    region_code = factory.LazyAttribute(lambda o: o.round_post.round.region_code)
    made_on = dt.date(2026, 3, 21)
    places = factory.LazyAttribute(lambda o: o.round_post.places)
    rows = factory.LazyAttribute(lambda o: [_ranked_row(o.application, o.made_on)])
    made_by = factory.SelfAttribute("round_post.round.created_by")
