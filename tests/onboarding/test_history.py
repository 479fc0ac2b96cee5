"""A history as a county officer reads it: field names, labels, names with links, the verdict as
the application page writes it, local times, the operator's name and role. Nothing stored changes."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from gongyi.audit import audit_verify_chain
from gongyi.enums import Role
from gongyi.history import readable_entries
from gongyi.models import AuditEntry
from people.onboarding.enums import ApplicationState as S
from people.onboarding.models import Application
from tests.factories import UserFactory
from tests.onboarding.conftest import make_applicant

pytestmark = pytest.mark.django_db


def history(client, app) -> str:
    response = client.get(reverse("object-history", args=["onboarding.application", app.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_an_application_history_reads_in_peoples_terms(journey, applicant, county, login):
    app = journey.advance(journey.apply(applicant), S.INITIAL_PASSED)
    page = history(login(county), app)
    with translation.override("zh-hans"):
        field = Application._meta.get_field
        expected = [
            str(field("state").verbose_name),
            str(S.APPLIED.label),
            str(S.INITIAL_PASSED.label),
            str(field("eligibility").verbose_name),
            str(Role.CLERK.label),
        ]
    for text in expected:
        assert text in page, text
    for raw in (">state<", ">region_code<", "initial_passed", "'rules'", "{'", "+00:00"):
        assert raw not in page, raw
    # the linked person and post by name, with a link to their pages
    person_url = reverse("person-detail", args=[applicant.pk])
    assert f'<a href="{person_url}">{applicant.name}</a>' in page
    assert reverse("post-detail", args=[app.post_id]) in page
    # the area by its name, not its code; the object's own id is no change to read
    assert journey.area.village.name in page and f">{app.region_code}<" not in page
    assert f"<td>{app.pk}</td>" not in page
    # the verdict as the application page lists it
    rule = app.eligibility["rules"][0]
    assert rule["label"] in page
    # a recorded time in the site's zone
    local = timezone.localtime(app.state_changed_at).strftime("%Y-%m-%d %H:%M:%S")
    assert local in page
    # the operator by name and role beside the login name
    assert journey.clerk.name in page and journey.clerk.username in page
    assert audit_verify_chain().ok


def test_a_linked_object_outside_the_readers_area_has_no_link(journey, applicant, login, users):
    app = journey.apply(applicant)
    assert reverse("person-detail", args=[applicant.pk]) in history(login(users[Role.CLERK]), app)
    entries = AuditEntry.objects.filter(object_type="onboarding.application", object_pk=str(app.pk))

    def person_link(reader) -> str:
        changes = readable_entries(reader, entries)[0].changes
        return next(c.after for c in changes if c.after and c.after.text == applicant.name).url

    assert person_link(users[Role.VILLAGE]) == reverse("person-detail", args=[applicant.pk])
    stranger = UserFactory(username="far", role=Role.COUNTY, region=journey.area.other_county)
    assert person_link(stranger) == ""


def test_reading_entries_takes_the_same_queries_for_one_or_many(journey, county):
    made = iter(range(1, 20))

    def queries(n_apps: int) -> int:
        people = [make_applicant(journey.area, journey.clerk, next(made)) for _ in range(n_apps)]
        apps = [journey.apply(person) for person in people]
        entries = list(
            AuditEntry.objects.filter(
                object_type="onboarding.application", object_pk__in=[str(a.pk) for a in apps]
            )
        )
        with CaptureQueriesContext(connection) as captured:
            readable_entries(county, entries)
        return len(captured)

    assert queries(1) == queries(5)


def test_no_raw_codes_or_utc_times_on_the_audit_log(journey, applicant, county, login):
    journey.advance(journey.apply(applicant), S.INITIAL_PASSED)
    page = login(county).get(reverse("audit-log")).content.decode()
    assert "initial_passed" not in page and ">region_code<" not in page
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", page)
