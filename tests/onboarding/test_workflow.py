"""The state machine (docs/policy.md §6)."""

import datetime as dt

import pytest
from django.utils import timezone

from gongyi.errors import DomainError
from gongyi.models import AuditEntry
from people.enums import DeclarationStatus
from people.models import Placement, RelativeDeclaration
from people.onboarding import services
from people.onboarding.enums import ApplicationState as S
from people.onboarding.enums import ObjectionStatus, RecordKind
from people.onboarding.models import Application, StepRecord
from people.onboarding.workflow import TRANSITIONS, application_transition
from tests.onboarding.conftest import WAY_TO_POST, make_applicant


def test_the_whole_journey_ends_on_post_with_a_record_of_every_step(journey, applicant, post):
    app = journey.apply(applicant)
    app = journey.advance(app, S.STARTED)

    assert app.state == S.STARTED
    placement = Placement.objects.get(person=applicant)
    assert (placement.post_id, placement.end_date) == (post.pk, None)
    assert placement.monthly_subsidy == post.monthly_subsidy
    assert placement.subsidy_start == app.term_start
    post.refresh_from_db()
    applicant.refresh_from_db()
    assert (post.occupied, applicant.placements_used) == (1, 1)
    steps = list(
        StepRecord.objects.filter(application=app, kind=RecordKind.TRANSITION).values_list(
            "to_state", flat=True
        )
    )
    assert steps == WAY_TO_POST
    assert StepRecord.objects.filter(application=app, kind=RecordKind.OPINION).count() == 5
    assert (
        AuditEntry.objects.filter(
            object_type="onboarding.application", object_pk=str(app.pk), action="transition"
        ).count()
        == 8
    )


@pytest.mark.parametrize(
    "state,to",
    [
        (S.APPLIED, S.REVIEWED),
        (S.APPLIED, S.APPROVED),
        (S.INITIAL_PASSED, S.PUBLICITY),
        (S.REREVIEW_PASSED, S.APPROVED),  # skipping publicity
        (S.APPROVED, S.TRAINED),
        (S.AGREED, S.STARTED),  # starting without training
        (S.PUBLICITY, S.REVIEWED),  # going back
    ],
)
def test_a_skip_or_a_step_back_is_refused_with_the_next_step(journey, applicant, state, to):
    app = journey.advance(journey.apply(applicant), state)
    actor = journey.approver if to == S.APPROVED else journey.clerk
    with pytest.raises(DomainError, match="不能从"):
        application_transition(actor=actor, applications=[app], to=to)
    app.refresh_from_db()
    assert app.state == state


def test_every_move_in_the_table_goes_forward_or_ends_the_application():
    order = list(S)
    for (source, target), t in TRANSITIONS.items():
        assert target in (S.REJECTED, S.WITHDRAWN) or order.index(target) >= order.index(source)
        assert t.roles


def test_a_role_outside_the_move_is_refused(journey, applicant, village_user):
    app = journey.apply(applicant)
    with pytest.raises(DomainError, match="角色"):
        application_transition(actor=village_user, applications=[app], to=S.INITIAL_PASSED)


def test_an_application_outside_the_area_is_not_found(journey, applicant, area):
    from gongyi.enums import Role
    from tests.factories import UserFactory

    app = journey.apply(applicant)
    other = UserFactory(username="other_clerk", role=Role.CLERK, region=area.other_township)
    with pytest.raises(DomainError, match="管辖范围"):
        application_transition(actor=other, applications=[app], to=S.INITIAL_PASSED)


def test_a_rejection_needs_its_reason_and_keeps_it(journey, applicant):
    app = journey.apply(applicant)
    with pytest.raises(DomainError):
        application_transition(actor=journey.clerk, applications=[app], to=S.REJECTED)
    application_transition(
        actor=journey.clerk, applications=[app], to=S.REJECTED, comment="材料不全"
    )
    app.refresh_from_db()
    assert (app.state, app.rejected_state, app.rejected_reason) == (
        S.REJECTED,
        S.APPLIED,
        "材料不全",
    )


def test_the_re_review_waits_for_the_required_opinions(journey, applicant):
    app = journey.advance(journey.apply(applicant), S.REVIEWED)
    first = next(iter(journey.reviewers.values()))
    services.opinion_record(actor=first, applications=[app.pk], opinion="agree")
    with pytest.raises(DomainError, match="1"):
        application_transition(actor=journey.county, applications=[app], to=S.REREVIEW_PASSED)


def test_approving_ones_own_entry_is_refused(journey, applicant, county):
    # The county enters the application on the township's behalf.
    app = services.application_submit(
        actor=county, round_=journey.round_, post=journey.round_post.post, person=applicant
    )
    app = journey.advance(app, S.PUBLICITY)
    with pytest.raises(DomainError, match="另一名"):
        application_transition(actor=county, applications=[app], to=S.APPROVED)


def test_approval_waits_for_the_end_of_the_publicity_period(journey, applicant):
    app = journey.advance(journey.apply(applicant), S.PUBLICITY, backdate_publicity=False)
    with pytest.raises(DomainError, match="公示期"):
        application_transition(actor=journey.approver, applications=[app], to=S.APPROVED)


def test_an_open_objection_blocks_approval_until_the_finding(journey, applicant):
    app = journey.advance(journey.apply(applicant), S.PUBLICITY)
    objection = services.objection_raise(
        actor=journey.village_user,
        application=app,
        content="反映其家中有经营性车辆",
        raised_on=app.publicity.ends_on,
    )
    with pytest.raises(DomainError, match="异议"):
        application_transition(actor=journey.approver, applications=[app], to=S.APPROVED)
    services.objection_resolve(
        actor=journey.clerk, objection=objection, upheld=False, finding="经核查，车辆已于2023年转让"
    )
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.DISMISSED
    application_transition(actor=journey.approver, applications=[app], to=S.APPROVED)


def test_an_upheld_objection_ends_the_application_with_the_finding(journey, applicant):
    app = journey.advance(journey.apply(applicant), S.PUBLICITY)
    objection = services.objection_raise(
        actor=journey.clerk,
        application=app,
        content="已在企业就业",
        raised_on=app.publicity.starts_on,
    )
    services.objection_resolve(
        actor=journey.clerk, objection=objection, upheld=True, finding="经核查属实"
    )
    app.refresh_from_db()
    assert (app.state, app.rejected_reason) == (S.REJECTED, "经核查属实")


def test_a_relative_declaration_needs_the_townships_decision_and_the_countys_filing(
    journey, applicant
):
    declaration = RelativeDeclaration.objects.create(
        person=applicant,
        relation="sibling",
        relative_name="王某",
        relative_kind="cadre",
        relative_post="某村村委会委员",
        declared_on=timezone.localdate(),
        created_by=journey.clerk,
    )
    app = journey.advance(journey.apply(applicant), S.PUBLICITY)
    assert app.declaration_id == declaration.pk
    with pytest.raises(DomainError, match="亲属"):
        application_transition(actor=journey.approver, applications=[app], to=S.APPROVED)
    services.declaration_decide(
        actor=journey.clerk, declaration=declaration, approve=True, comment="党委会研究通过"
    )
    with pytest.raises(DomainError, match="备案"):
        application_transition(actor=journey.approver, applications=[app], to=S.APPROVED)
    services.declaration_file(actor=journey.county, declaration=declaration)
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.FILED
    application_transition(actor=journey.approver, applications=[app], to=S.APPROVED)


def test_more_qualified_than_places_the_ranking_decides_and_is_kept(journey, area, clerk):
    people = [make_applicant(area, clerk, n=i) for i in range(3)]
    apps = [journey.apply(p) for p in people]
    for app in apps:
        journey.advance(app, S.REREVIEW_PASSED)
    services.publicity_start(actor=clerk, round_post=journey.round_post)
    states = dict(Application.objects.values_list("person_id", "state"))
    # Two places: the two oldest (people[2] born 1968, people[1] 1969) are publicised.
    assert [states[p.pk] for p in people] == [S.WAITLISTED, S.PUBLICITY, S.PUBLICITY]
    ranks = dict(Application.objects.values_list("person_id", "rank"))
    assert [ranks[p.pk] for p in people] == [3, 2, 1]
    from people.onboarding.models import RankingRecord

    record = RankingRecord.objects.get()
    assert [row["position"] for row in record.rows] == [1, 2, 3]
    assert all(row["reason"] for row in record.rows)


def test_approvals_never_exceed_the_headcount(journey, area, clerk, post):
    people = [make_applicant(area, clerk, n=i) for i in range(3)]
    apps = [journey.advance(journey.apply(p), S.PUBLICITY) for p in people[:2]]
    # A third person, publicised before the headcount shrank.
    post.headcount = 1
    post.save()
    with pytest.raises(DomainError, match="名额"):
        application_transition(actor=journey.approver, applications=apps, to=S.APPROVED)
    assert Application.objects.filter(state=S.APPROVED).count() == 0  # all or none
    application_transition(actor=journey.approver, applications=apps[:1], to=S.APPROVED)
    with pytest.raises(DomainError):
        application_transition(actor=journey.approver, applications=apps[1:], to=S.APPROVED)


def test_applying_outside_the_window_is_refused(journey, applicant):
    r = journey.round_
    with pytest.raises(DomainError, match="报名时间"):
        services.application_submit(
            actor=journey.clerk,
            round_=r,
            post=journey.round_post.post,
            person=applicant,
            applied_on=r.opens_on - dt.timedelta(days=1),
        )


def test_applying_twice_is_refused(journey, applicant):
    journey.apply(applicant)
    with pytest.raises(DomainError, match="正在办理"):
        journey.apply(applicant)


def test_applying_for_a_full_post_is_refused(journey, applicant, post):
    post.occupied = post.headcount
    post.status = "filled"
    post.save()
    with pytest.raises(DomainError, match="没有空余"):
        journey.apply(applicant)


def test_applying_with_two_placements_used_is_refused(journey, applicant):
    applicant.placements_used = 2
    applicant.save()
    with pytest.raises(DomainError, match="不符合条件"):
        journey.apply(applicant)
    assert not Application.objects.exists()


def test_applying_while_on_another_post_is_refused(journey, applicant, area, clerk):
    from tests.factories import PostFactory

    other = PostFactory(village=area.village, area_kind="rural", created_by=clerk)
    Placement.objects.create(
        person=applicant, post=other, region_code=other.region_code, start_date=dt.date(2025, 1, 1)
    )
    with pytest.raises(DomainError, match="不符合条件"):
        journey.apply(applicant)
