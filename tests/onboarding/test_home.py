"""Each role's home page shows the workflow's work waiting for it."""

from gongyi.enums import Role
from people.onboarding.enums import ApplicationState as S


def test_the_clerks_home_counts_applications_awaiting_the_initial_review(journey, applicant, login):
    journey.apply(applicant)
    response = login(journey.clerk).get("/")
    panel = response.context["home_panels"][0]
    counts = {item.label: item.count for item in panel.items}
    assert counts[str(S.APPLIED.label)] == 1


def test_every_role_with_work_sees_its_panel_in_a_constant_number_of_queries(
    journey, applicant, users, login, django_assert_max_num_queries
):
    journey.advance(journey.apply(applicant), S.REVIEWED)
    for role in (Role.COUNTY, Role.REVIEWER, Role.VILLAGE, Role.CLERK):
        client = login(users[role])
        with django_assert_max_num_queries(12):
            response = client.get("/")
        assert response.status_code == 200
        assert response.context["home_panels"], role
    reviewer_items = login(users[Role.REVIEWER]).get("/").context["home_panels"][0].items
    assert [i.count for i in reviewer_items] == [1]
