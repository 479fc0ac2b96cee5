"""A department reviewer reads what the department must review (``gongyi.scoping``): the people
of the county with an application at or past the re-review (复审), their files and scans, and
nothing else of the registry; the registry export is masked. Proved here for every URL: each is
either a page of someone's data, tested against people the reviewer may and may not read, or
named with the reason it shows nobody's (tests/gongyi/test_scoping.py and the other
test_scoping_* modules prove every role's area on those)."""

import io

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from gongyi.enums import Role
from people.models import Person, PersonDocument
from people.onboarding import services
from people.onboarding.enums import ApplicationState as S
from people.onboarding.models import Application, DepartmentOpinion
from people.onboarding.workflow import application_transition
from tests.gongyi.test_scoping import OTHER_URLS, all_url_names
from tests.onboarding.conftest import make_applicant
from tests.onboarding.test_scoping_api import objects_in

pytestmark = pytest.mark.django_db

#: This module proves the reviewer's scope only; every role's own matrix is elsewhere.
TESTED_URLS: set[str] = set()

#: Who is in the reviewer's county, by name: read (at or past the re-review, ended or not) ...
READ = {"seen": "施培训", "reviewed": "任复审", "withdrawn": "吴撤回"}
#: ... and not read: applied only, turned down by the village, never applied, another county.
NOT_READ = {"applied": "于报名", "failed": "余未过", "never": "俞未报", "far": "方外县"}


def _document(person, clerk) -> PersonDocument:
    return PersonDocument.objects.create(
        person=person,
        kind="id_card",
        file=ContentFile(b"%PDF-1.4 scan", name="scan.pdf"),
        original_name="身份证.pdf",
        content_type="application/pdf",
        size=13,
        uploaded_by=clerk,
    )


@pytest.fixture
def cases(journey, area, clerk, county, village_user):
    """One person of each kind above, each with an ID-card scan; the applications and the
    village's meetings that go with them."""
    today = timezone.localdate()
    people = {}
    for n, (key, name) in enumerate({**READ, **NOT_READ}.items()):
        if key != "far":
            people[key] = make_applicant(area, clerk, n, name=name)
    apps = {
        "seen": journey.advance(journey.apply(people["seen"]), S.TRAINED),
        "reviewed": journey.advance(journey.apply(people["reviewed"]), S.REVIEWED),
        "withdrawn": journey.advance(journey.apply(people["withdrawn"]), S.REVIEWED),
        "applied": journey.apply(people["applied"]),
        "failed": journey.advance(journey.apply(people["failed"]), S.INITIAL_PASSED),
    }
    application_transition(
        actor=county, applications=[apps["withdrawn"]], to=S.WITHDRAWN, comment="本人放弃"
    )
    failed_review = services.democratic_review_record(
        actor=village_user,
        village=area.village,
        held_on=today,
        attendance=30,
        minutes="评议未通过",
        results={apps["failed"].pk: (False, 3, "票数不足")},
    )
    far = objects_in(area.other_county)
    Person.objects.filter(pk=far["reviewed"].person_id).update(name=NOT_READ["far"])
    people["far"] = far["reviewed"].person
    apps["far"] = far["reviewed"]
    seen_review = Application.objects.get(pk=apps["seen"].pk).democratic_review
    for review in (seen_review, failed_review):
        review.minutes_file.save("minutes.pdf", ContentFile(b"%PDF-1.4 minutes"))
    for app in apps.values():
        app.refresh_from_db()
    return {
        "people": people,
        "apps": apps,
        "documents": {k: _document(p, clerk) for k, p in people.items()},
        "reviews": {"seen": seen_review, "failed": failed_review},
    }


def test_the_cases_are_what_they_say(cases):
    states = {k: (a.state, a.rejected_state) for k, a in cases["apps"].items()}
    assert states == {
        "seen": (S.TRAINED, ""),
        "reviewed": (S.REVIEWED, ""),
        "withdrawn": (S.WITHDRAWN, S.REVIEWED),
        "applied": (S.APPLIED, ""),
        "failed": (S.REJECTED, S.INITIAL_PASSED),
        "far": (S.REVIEWED, ""),
    }


# --- pages of one person's data -------------------------------------------------------------------

#: url name → (the object of a case: "person", "app", "document" or "review"; the reviewer may use
#: the page at all). The reviewer's own county's people at or past the re-review open (200), all
#: others are a 404 as if they did not exist; a page the role may not use is a 403 for all.
OBJECT_PAGES = {
    "person-detail": ("person", True),
    "api:person-detail": ("person", True),
    "api:person-eligibility": ("person", True),
    "person-trace": ("person", True),
    "person-edit": ("person", False),
    "person-document": ("document", True),
    "application-detail": ("app", True),
    "api:application-detail": ("app", True),
    "api:application-records": ("app", True),
    "application-notice-print": ("app", False),
    "application-agreement-print": ("app", False),
    "application-agreement-pdf": ("app", False),
    "democratic-review-detail": ("review", True),
    "democratic-review-minutes": ("review", True),
    "object-history": ("person", False),
}


def _object_url(name, kind, cases, key):
    if kind == "review":
        obj = cases["reviews"].get(key)
    elif kind == "app":
        obj = cases["apps"].get(key)
    else:
        obj = cases[{"person": "people", "document": "documents"}[kind]].get(key)
    if obj is None:
        return None
    if name == "object-history":
        return reverse(name, kwargs={"object_type": "people.person", "pk": obj.pk})
    if name == "api:person-eligibility":
        return reverse(name, args=[obj.pk]) + "?kind=rural"
    return reverse(name, args=[obj.pk])


@pytest.mark.parametrize("name", list(OBJECT_PAGES))
def test_reviewer_opens_only_people_at_or_past_the_rereview(name, cases, users, login):
    kind, allowed = OBJECT_PAGES[name]
    client = login(users[Role.REVIEWER])
    answers = {}
    for key in [*READ, *NOT_READ]:
        url = _object_url(name, kind, cases, key)
        if url is not None:
            answers[key] = client.get(url).status_code
    expected = {k: (200 if k in READ else 404) if allowed else 403 for k in answers}
    if name == "democratic-review-detail" or name == "democratic-review-minutes":
        assert set(answers) == {"seen", "failed"}
    assert answers == expected


def test_meeting_page_names_only_the_applicants_the_reviewer_reads(cases, users, login):
    """A meeting that reviewed people the reviewer reads and others lists only the former."""
    cases["apps"]["applied"].democratic_review = cases["reviews"]["seen"]
    cases["apps"]["applied"].save(update_fields=["democratic_review"])
    url = reverse("democratic-review-detail", args=[cases["reviews"]["seen"].pk])
    reviewer = login(users[Role.REVIEWER]).get(url).content.decode()
    assert (READ["seen"] in reviewer, NOT_READ["applied"] in reviewer) == (True, False)


# --- lists and exports ----------------------------------------------------------------------------


def _names_in(response) -> str:
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        book = openpyxl.load_workbook(io.BytesIO(_content(response)))
        return "\n".join(
            str(v) for row in book.active.iter_rows(values_only=True) for v in row if v
        )
    return _content(response).decode()


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _round(c) -> int:
    return c["apps"]["seen"].round_id


#: case → (url name, the URL from the cases, the people the list must show). A list shows the
#: reviewer's people and none of the others.
LISTS = {
    "person-list": ("person-list", lambda c: reverse("person-list"), set(READ)),
    "person-export": (
        "person-list",
        lambda c: reverse("person-list") + "?format=xlsx",
        set(READ),
    ),
    "api:person-list": ("api:person-list", lambda c: reverse("api:person-list"), set(READ)),
    "api:application-list": (
        "api:application-list",
        lambda c: reverse("api:application-list"),
        set(READ),
    ),
    "round-detail": (
        "round-detail",
        lambda c: reverse("round-detail", args=[_round(c)]),
        set(READ),
    ),
    "round-applications-applied": (
        "round-applications",
        lambda c: reverse("round-applications", args=[_round(c)]) + "?state=applied",
        set(),
    ),
    "round-applications-reviewed": (
        "round-applications",
        lambda c: reverse("round-applications", args=[_round(c)]) + "?state=reviewed",
        {"reviewed"},
    ),
    "opinion-queue": ("opinion-queue", lambda c: reverse("opinion-queue"), {"reviewed"}),
}


@pytest.mark.parametrize("name", list(LISTS))
def test_reviewer_lists_show_only_people_at_or_past_the_rereview(name, cases, users, login):
    _url_name, build, shown = LISTS[name]
    response = login(users[Role.REVIEWER]).get(build(cases))
    body = _names_in(response)
    names = {**READ, **NOT_READ}
    assert response.status_code == 200
    assert {k for k, n in names.items() if n in body} == shown


def test_reviewer_export_masks_id_numbers_and_is_on_record(cases, users, login):
    from gongyi.models import AuditEntry

    response = login(users[Role.REVIEWER]).get(reverse("person-list") + "?format=xlsx")
    body = _names_in(response)
    numbers = [cases["people"][k].id_number for k in READ]
    assert [n in body for n in numbers] == [False] * len(READ)
    assert [f"{n[:6]}********{n[-4:]}" in body for n in numbers] == [True] * len(READ)
    entry = AuditEntry.objects.filter(action="export").latest("seq")
    assert entry.note == "3 行，脱敏身份证号"


def test_clerk_export_keeps_full_numbers(cases, users, login):
    response = login(users[Role.CLERK]).get(reverse("person-list") + "?format=xlsx")
    assert cases["people"]["never"].id_number in _names_in(response)


# --- what the reviewer does -----------------------------------------------------------------------


def test_reviewer_gives_opinions_only_on_applications_it_reads(cases, users, login):
    client = login(users[Role.REVIEWER])
    statuses = [
        client.post(
            reverse("api:application-opinions"),
            {"applications": [cases["apps"][k].pk], "opinion": "agree"},
            content_type="application/json",
        ).status_code
        for k in ("applied", "reviewed")
    ]
    assert statuses == [404, 200]
    assert not DepartmentOpinion.objects.filter(application=cases["apps"]["applied"]).exists()


# --- every URL accounted for ----------------------------------------------------------------------

#: POST-only URLs: the reviewer's role may use only the opinions (tested above and in
#: test_scoping_api.py / test_scoping_queue.py); every other is refused (403) to it by role.
WRITES = {
    "api:warning-notice-given",
    "api:finding-transition",
    "dataset-match",
    "api:dataset-version-match",
    "api:exit-collect",
    "api:debt-repayments",
    "api:debt-offset",
    "api:debt-transition",
    "api:payout-batch-generate",
    "api:payout-batch-transition",
    "api:payout-batch-premium",
    "payout-premium-paid",
    "api:payout-line-hold",
    "api:payout-line-release",
    "payout-account-fix",
    "api:payout-bank-batch-issue",
    "api:payout-bank-batch-return",
    "api:payout-account-fix-complete",
    "opinion-queue-action",
    "api:application-opinions",
    "api:application-transition",
    "api:application-bulk-transition",
    "application-transition",
    "application-queue-action",
    "person-create",
    "person-group-add",
    "person-group-remove",
    "person-declaration-add",
    "person-declaration-withdraw",
    "person-document-add",
    "person-import",
    "person-import-commit",
    "declaration-decide",
    "declaration-file",
    "objection-create",
    "objection-resolve",
    "democratic-review-create",
    "round-create",
    "round-edit",
    "round-publish",
    "round-close",
    "round-publicity-start",
    "api:round-publish",
    "api:round-close",
    "application-create",
    "training-create",
    "post-create",
    "post-edit",
    "post-transition",
    "post-import",
    "post-import-commit",
    "attendance-import-commit",
    "api:post-transition",
    "attendance-leave-transition",
    "api:attendance-sheet-cells",
    "api:attendance-sheet-all-present",
    "api:attendance-sheet-transition",
    "api:attendance-leave-transition",
    "api:attendance-assessment-list",
    "plan-edit",
    "plan-allocate",
}
#: Pages whose data are no one person's (regions, posts, plans, rounds, settings, imports of
#: the user's own jobs), or lists the reviewer's role may not open at all (403, with the other
#: roles' matrices): name → why.
NOT_PERSONAL = {
    "finding-list": "cross-check findings; refused to the reviewer",
    "finding-detail": "cross-check findings; refused to the reviewer",
    "api:finding-list": "cross-check findings; refused to the reviewer",
    "api:finding-detail": "cross-check findings; refused to the reviewer",
    "exit-list": "exits and recovery; refused to the reviewer",
    "exit-create": "exits and recovery; refused to the reviewer",
    "exit-detail": "exits and recovery; refused to the reviewer",
    "exit-notice": "exits and recovery; refused to the reviewer",
    "exit-notice-pdf": "exits and recovery; refused to the reviewer",
    "debt-list": "exits and recovery; refused to the reviewer",
    "debt-export": "exits and recovery; refused to the reviewer",
    "debt-detail": "exits and recovery; refused to the reviewer",
    "api:exit-list": "exits and recovery; refused to the reviewer",
    "api:exit-detail": "exits and recovery; refused to the reviewer",
    "api:debt-list": "exits and recovery; refused to the reviewer",
    "api:debt-detail": "exits and recovery; refused to the reviewer",
    "api:debt-ageing": "exits and recovery; refused to the reviewer",
    "region-list": "regions",
    "region-detail": "regions",
    "api:region-list": "regions",
    "api:region-detail": "regions",
    "post-list": "posts",
    "post-detail": "posts",
    "api:post-list": "posts",
    "api:post-detail": "posts",
    "post-type-list": "post types",
    "api:post-type-list": "post types",
    "api:post-type-detail": "post types",
    "post-standards": "minimum wages and standards",
    "post-import-template": "an empty template",
    "post-import-job": "the user's own job",
    "person-import-template": "an empty template",
    "person-import-job": "the user's own job",
    "job-status": "the user's own job",
    "plan-list": "plans",
    "plan-detail": "plans",
    "api:plan-list": "plans",
    "api:plan-detail": "plans",
    "review-vacant": "posts; refused to the reviewer",
    "review-unused": "posts; refused to the reviewer",
    "review-disparity": "posts; refused to the reviewer",
    "policy-settings": "settings; refused to the reviewer",
    "target-group-list": "the county's target groups",
    "round-list": "rounds",
    "api:round-list": "rounds",
    "api:round-detail": "rounds",
    "round-announcement-print": "a round's notice",
    "round-announcement-pdf": "a round's notice",
    "publicity-print": "a public notice of people past the re-review only",
    "publicity-pdf": "a public notice of people past the re-review only",
    "objection-finding-print": "objections exist only during publicity, past the re-review",
    "training-list": "sessions of people agreed, past the re-review",
    "training-signin-print": "attendance of people agreed, past the re-review",
    "audit-log": "refused to the reviewer",
    "api:audit-entry-list": "refused to the reviewer",
    "person-ranking": "refused to the reviewer",
    "application-queue": "refused to the reviewer",
    "village-onboarding": "refused to the reviewer",
    "attendance-home": "attendance; refused to the reviewer",
    "attendance-sheet": "attendance; refused to the reviewer",
    "attendance-day": "attendance; refused to the reviewer",
    "attendance-notice": "attendance; refused to the reviewer",
    "attendance-notice-pdf": "attendance; refused to the reviewer",
    "attendance-arrangements": "attendance; refused to the reviewer",
    "attendance-leave-list": "attendance; refused to the reviewer",
    "attendance-leave-new": "attendance; refused to the reviewer",
    "attendance-assessment": "attendance; refused to the reviewer",
    "api:attendance-sheet-list": "attendance; refused to the reviewer",
    "api:attendance-sheet-detail": "attendance; refused to the reviewer",
    "api:attendance-sheet-rows": "attendance; refused to the reviewer",
    "api:attendance-adjustment-list": "attendance; refused to the reviewer",
    "api:attendance-absence-kind-list": "attendance; refused to the reviewer",
    "api:attendance-absence-kind-detail": "attendance; refused to the reviewer",
    "api:attendance-work-arrangement-list": "attendance; refused to the reviewer",
    "api:attendance-work-arrangement-detail": "attendance; refused to the reviewer",
    "api:attendance-leave-list": "attendance; refused to the reviewer",
    "api:attendance-leave-detail": "attendance; refused to the reviewer",
    "api:attendance-assessment-item-list": "attendance; refused to the reviewer",
    "api:attendance-assessment-item-detail": "attendance; refused to the reviewer",
    "api:attendance-assessment-list": "attendance; refused to the reviewer",
    "attendance-import": "attendance; refused to the reviewer",
    "attendance-import-template": "attendance; refused to the reviewer",
    "attendance-import-job": "attendance; refused to the reviewer",
    "payout-list": "payout; refused to the reviewer",
    "warning-list": "warnings; refused to the reviewer",
    "warning-notice": "warnings; refused to the reviewer",
    "api:warning-list": "warnings; refused to the reviewer",
    "api:warning-detail": "warnings; refused to the reviewer",
    "payout-batch": "payout; refused to the reviewer",
    "payout-grade-rules": "payout; refused to the reviewer",
    "payout-flexible-insurance": "payout; refused to the reviewer",
    "payout-insured-lists": "payout; refused to the reviewer",
    "payout-report-month": "payout reports; refused to the reviewer",
    "payout-report-year": "payout reports; refused to the reviewer",
    "api:payout-batch-list": "payout; refused to the reviewer",
    "api:payout-batch-detail": "payout; refused to the reviewer",
    "api:payout-line-list": "payout; refused to the reviewer",
    "api:payout-line-detail": "payout; refused to the reviewer",
    "api:payout-grade-rule-list": "payout; refused to the reviewer",
    "api:payout-grade-rule-detail": "payout; refused to the reviewer",
    "payout-bank-batches": "the bank's side of the payout; refused to the reviewer",
    "payout-bank-batch": "the bank's side of the payout; refused to the reviewer",
    "payout-bank-download": "the bank's side of the payout; refused to the reviewer",
    "payout-bank-templates": "the bank's side of the payout; refused to the reviewer",
    "payout-bank-template-add": "the bank's side of the payout; refused to the reviewer",
    "payout-bank-template-edit": "the bank's side of the payout; refused to the reviewer",
    "payout-account-fixes": "the bank's side of the payout; refused to the reviewer",
    "api:payout-bank-template-list": "the bank's side of the payout; refused to the reviewer",
    "api:payout-bank-template-detail": "the bank's side of the payout; refused to the reviewer",
    "api:payout-bank-batch-list": "the bank's side of the payout; refused to the reviewer",
    "api:payout-bank-batch-detail": "the bank's side of the payout; refused to the reviewer",
    "api:payout-bank-batch-file": "the bank's side of the payout; refused to the reviewer",
    "api:payout-account-fix-list": "the bank's side of the payout; refused to the reviewer",
    "api:payout-account-fix-detail": "the bank's side of the payout; refused to the reviewer",
    "dataset-list": "external datasets: a version's record (kind, file, counts) of the department's own kinds",
    "dataset-version": "external datasets: a version's record (kind, file, counts) of the department's own kinds",
    "dataset-template": "external datasets: a version's record (kind, file, counts) of the department's own kinds",
    "api:dataset-version-list": "external datasets: a version's record (kind, file, counts) of the department's own kinds",
    "api:dataset-version-detail": "external datasets: a version's record (kind, file, counts) of the department's own kinds",
}


def test_every_url_is_accounted_for_the_reviewer():
    pages = set(OBJECT_PAGES) | {url_name for url_name, _b, _s in LISTS.values()}
    covered = pages | WRITES | set(NOT_PERSONAL)
    assert all_url_names() - OTHER_URLS - covered == set()
    assert covered - all_url_names() == set()


def _any_url(name: str) -> str:
    """The URL with made-up arguments: a refusal by role comes before any object is looked up."""
    for args in ([], [999999], [999999, 999999]):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    raise AssertionError(name)


#: The writes the reviewer's role may send: the opinions, and the application's step form, whose
#: service refuses the reviewer's move (the application itself must be in scope first).
REVIEWER_WRITES = {"opinion-queue-action", "api:application-opinions", "application-transition"}


@pytest.mark.parametrize("name", sorted(WRITES - REVIEWER_WRITES))
def test_writes_are_refused_to_the_reviewer_by_role(name, users, login):
    """403 by role; an API route that looks up its object first may answer 404 for a made-up
    one (a real one is a 403: test_scoping_api.py and tests/posts/test_api.py)."""
    url = _any_url(name)
    status = login(users[Role.REVIEWER]).post(url).status_code
    assert status in ({403, 404} if name.startswith("api:") and "999999" in url else {403})


@pytest.mark.parametrize("name", sorted(n for n, why in NOT_PERSONAL.items() if "refused" in why))
def test_pages_refused_to_the_reviewer_by_role(name, users, login):
    assert login(users[Role.REVIEWER]).get(_any_url(name)).status_code == 403


def test_step_form_on_an_application_before_the_rereview_is_a_404(cases, users, login):
    client = login(users[Role.REVIEWER])
    statuses = [
        client.post(
            reverse("application-transition", args=[cases["apps"][k].pk]),
            {"to": S.REREVIEW_PASSED},
        ).status_code
        for k in ("applied", "reviewed")
    ]
    assert statuses == [404, 302]  # the second: in scope, the service refuses the move
    assert Application.objects.get(pk=cases["apps"]["reviewed"].pk).state == S.REVIEWED


#: Scoped models without a ``scope_reviewer_path``, read by the reviewer as by the county: model →
#: why they hold no personal data the reviewer may not read.
READ_AS_THE_COUNTY = {
    "gongyi.region": "regions",
    "gongyi.user": "staff accounts; the users' pages are refused to the reviewer",
    "gongyi.auditentry": "the audit trail is refused to the reviewer",
    "gongyi.policysetting": "settings",
    "gongyi.job": "each user reads only the jobs they started",
    "gongyi.apitoken": "each user reads only their own API tokens; the administrator revokes",
    "posts.posttype": "post types",
    "posts.minimumwage": "minimum wages",
    "posts.subsidystandard": "subsidy standards",
    "posts.post": "posts",
    "posts.annualplan": "plans",
    "posts.allocation": "plans",
    "people.targetgroup": "target groups",
    "onboarding.round": "rounds",
    "onboarding.roundpost": "rounds",
    "onboarding.trainingsession": "sessions of people agreed, past the re-review",
    "onboarding.rankingrecord": "rankings of people who passed the re-review",
    "attendance.workarrangement": "posts' working weeks",
    "attendance.absencekind": "kinds of absence",
    "attendance.attendancesheet": "a unit's month: its state, no one's data",
    "attendance.assessmentitem": "the county's points sheet",
    "payout.payoutbatch": "a township's month of payout: its state, no one's data",
    "payout.graderule": "the county's rules for grades",
    "payout.banktemplate": "the county's bank templates",
    "payout.paymentfile": "a payment file's record: its template, sha256 and totals",
    "audits.datasetversion": "a dataset version's record: kind, file, sha256, counts",
}


def test_every_scoped_model_says_what_the_reviewer_reads():
    from django.apps import apps

    scoped = [m for m in apps.get_models() if hasattr(m, "scope_code_field")]
    unnarrowed = {m._meta.label_lower for m in scoped if not hasattr(m, "scope_reviewer_path")}
    assert unnarrowed == set(READ_AS_THE_COUNTY)
