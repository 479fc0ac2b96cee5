"""Fixtures of the workflow's tests: a published round of a rural post in the test village, the
five department reviewers, a second county user, and ``advance`` to bring an application to any
state the way users do (docs/policy.md §6)."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from gongyi.enums import Department, Role
from people.onboarding import services
from people.onboarding.enums import ApplicationState as S
from people.onboarding.enums import Opinion
from people.onboarding.models import Application, Round, RoundPost
from people.onboarding.workflow import application_transition
from tests.factories import PersonFactory, PostFactory, UserFactory, add_group


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def village_user(users):
    return users[Role.VILLAGE]


@pytest.fixture
def approver(area):
    """A second county user: the approver is never the user who entered the application."""
    return UserFactory(username="county2", role=Role.COUNTY, region=area.county)


@pytest.fixture
def reviewers(area, users):
    """One reviewer per department of the joint re-review (seed 003 §5)."""
    out = {Department.CIVIL_AFFAIRS: users[Role.REVIEWER]}
    for dept in Department:
        if dept not in out:
            out[dept] = UserFactory(
                username=f"rev_{dept}", role=Role.REVIEWER, region=area.county, department=dept
            )
    return out


@pytest.fixture
def post(area, users):
    return PostFactory(
        village=area.village,
        area_kind="rural",
        title="村容保洁员",
        headcount=2,
        created_by=users[Role.CLERK],
    )


@pytest.fixture
def round_(clerk, post):
    today = timezone.localdate()
    r = services.round_create(
        actor=clerk,
        places={post.pk: 2},
        title="2026年第二批乡村公益性岗位招聘",
        who_may_apply="脱贫享受政策人口、农村低收入人口、农村残疾人、农村大龄人员",
        opens_on=today - dt.timedelta(days=20),
        closes_on=today + dt.timedelta(days=10),
        apply_at="岱庙街道便民服务中心",
        contact="0538-0000000",
    )
    return services.round_publish(actor=clerk, round_=r)


def make_applicant(area, clerk, n=0, **kw):
    """A rural older person of the test village, eligible for rural posts."""
    kw.setdefault("born", dt.date(1970 - n, 5, 1))
    person = PersonFactory(village=area.village, created_by=clerk, **kw)
    add_group(person, "rural_older", recognised_on=dt.date(2020, 1, 1) + dt.timedelta(days=n))
    return person


@pytest.fixture
def applicant(area, clerk):
    return make_applicant(area, clerk)


#: The states an application passes through on its way to a post, in order.
WAY_TO_POST = [
    S.APPLIED,
    S.INITIAL_PASSED,
    S.REVIEWED,
    S.REREVIEW_PASSED,
    S.PUBLICITY,
    S.APPROVED,
    S.AGREED,
    S.TRAINED,
    S.STARTED,
]


@dataclass
class Journey:
    """Takes an application forward step by step, as each role would."""

    area: object
    clerk: object
    county: object
    approver: object
    village_user: object
    reviewers: dict
    round_: Round

    @property
    def round_post(self) -> RoundPost:
        return self.round_.round_posts.get()

    def apply(self, person, post=None) -> Application:
        post = post or self.round_post.post
        today = timezone.localdate()
        return services.application_submit(
            actor=self.clerk, round_=self.round_, post=post, person=person, applied_on=today
        )

    def advance(self, app: Application, to: str, *, backdate_publicity=True) -> Application:
        """Bring ``app`` forward to ``to`` through every step before it."""
        order = WAY_TO_POST
        today = timezone.localdate()
        app.refresh_from_db()
        while order.index(app.state) < order.index(to):
            nxt = order[order.index(app.state) + 1]
            if nxt == S.INITIAL_PASSED:
                application_transition(actor=self.clerk, applications=[app], to=nxt)
            elif nxt == S.REVIEWED:
                services.democratic_review_record(
                    actor=self.village_user,
                    village=self.area.village,
                    held_on=today,
                    attendance=30,
                    minutes="村民代表会议评议",
                    results={app.pk: (True, 28, "")},
                )
            elif nxt == S.REREVIEW_PASSED:
                for reviewer in self.reviewers.values():
                    services.opinion_record(
                        actor=reviewer, applications=[app.pk], opinion=Opinion.AGREE
                    )
                application_transition(actor=self.county, applications=[app], to=nxt)
            elif nxt == S.PUBLICITY:
                rp = RoundPost.objects.get(round=app.round, post=app.post)
                services.publicity_start(actor=self.clerk, round_post=rp)
                app.refresh_from_db()
                if backdate_publicity and app.publicity is not None:
                    # The period has run its course (the tests cannot wait five working days).
                    p = app.publicity
                    p.starts_on, p.ends_on = (
                        today - dt.timedelta(days=10),
                        today - dt.timedelta(days=1),
                    )
                    p.save()
                if app.state != S.PUBLICITY:
                    return app
            elif nxt == S.APPROVED:
                application_transition(actor=self.approver, applications=[app], to=nxt)
            elif nxt == S.AGREED:
                application_transition(
                    actor=self.clerk,
                    applications=[app],
                    to=nxt,
                    data={
                        "signed_on": today,
                        "term_start": today,
                        "term_end": today.replace(year=today.year + 2),
                    },
                )
            elif nxt == S.TRAINED:
                services.training_session_record(
                    actor=self.clerk,
                    held_on=today,
                    topic="岗位职责与安全",
                    place="街道会议室",
                    hours=4,
                    present=[app.pk],
                )
            elif nxt == S.STARTED:
                application_transition(actor=self.clerk, applications=[app], to=nxt)
            app.refresh_from_db()
        return app


@pytest.fixture
def journey(area, clerk, county, approver, village_user, reviewers, round_) -> Journey:
    return Journey(area, clerk, county, approver, village_user, reviewers, round_)
