"""Approvals racing each other against PostgreSQL: two county users
approving the same application at the same moment, and more approvals than places in two
parallel requests. Each thread has its own database connection, as two requests would."""

import threading

import pytest
from django.db import connection

from gongyi.enums import Role
from gongyi.errors import DomainError
from people.onboarding.enums import ApplicationState as S
from people.onboarding.models import Application, StepRecord
from people.onboarding.workflow import application_transition
from posts.models import Post
from tests.factories import UserFactory
from tests.onboarding.conftest import make_applicant

pytestmark = pytest.mark.django_db(transaction=True)


def race(*calls):
    """Run ``calls`` at the same moment in threads; each result is "ok" or the refusal."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            call()
            results[i] = "ok"
        except DomainError as exc:
            results[i] = str(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_county_users_approving_one_application_approve_it_once(journey, applicant, area):
    app = journey.advance(journey.apply(applicant), S.PUBLICITY)
    other = UserFactory(username="county3", role=Role.COUNTY, region=area.county)

    results = race(
        lambda: application_transition(
            actor=journey.approver, applications=[app.pk], to=S.APPROVED
        ),
        lambda: application_transition(actor=other, applications=[app.pk], to=S.APPROVED),
    )

    assert sorted(r == "ok" for r in results) == [False, True]
    assert StepRecord.objects.filter(application=app, to_state=S.APPROVED).count() == 1


def test_parallel_approvals_never_exceed_the_headcount(journey, area, clerk, post):
    people = [make_applicant(area, clerk, n=i) for i in range(2)]
    apps = [journey.advance(journey.apply(p), S.PUBLICITY) for p in people]
    # One place left: both were publicised, then the township cut the headcount to one.
    Post.objects.filter(pk=post.pk).update(headcount=1)
    other = UserFactory(username="county3", role=Role.COUNTY, region=area.county)

    results = race(
        lambda: application_transition(
            actor=journey.approver, applications=[apps[0].pk], to=S.APPROVED
        ),
        lambda: application_transition(actor=other, applications=[apps[1].pk], to=S.APPROVED),
    )

    assert sorted(r == "ok" for r in results) == [False, True]
    assert Application.objects.filter(post=post, state=S.APPROVED).count() == 1
