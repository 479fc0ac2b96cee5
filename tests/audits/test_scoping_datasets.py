"""Every external-dataset page and API route for every role, in its own county and another
(tests/gongyi/test_scoping.py collects ``TESTED_URLS``): outside the county a 404, a role that
may not use it a 403; a department's reviewer (the fixtures' is 民政) sees and uploads the kinds
the department keeps (``audits.datasets.roles``), another kind's version is a 404 to it."""

import pytest
from django.urls import reverse

from audits.datasets.enums import DatasetKind, DatasetStatus
from audits.datasets.jobs import MATCH
from audits.datasets.roles import RUN_MATCH, UPLOAD_DATASETS, VIEW_DATASETS
from audits.models import DatasetVersion
from gongyi.enums import Role
from gongyi.models import Job
from tests.audits.conftest import csv_file
from tests.factories import DatasetVersionFactory, UserFactory

pytestmark = pytest.mark.django_db

TESTED_URLS = {
    "dataset-list",
    "dataset-version",
    "dataset-template",
    "dataset-match",
    "api:dataset-version-list",
    "api:dataset-version-match",
    "api:dataset-version-detail",
}


def test_every_dataset_url_is_here():
    from audits.datasets import api_urls, urls
    from tests.gongyi.test_scoping import all_url_names

    pages = {p.name for p in urls.urlpatterns if not p.name.startswith("finding-")}
    bases = tuple(
        f"api:{basename}-"
        for _prefix, _viewset, basename in api_urls.api_routes
        if basename != "finding"
    )
    assert pages | {n for n in all_url_names() if n.startswith(bases)} == TESTED_URLS


@pytest.fixture
def versions(area):
    """A deaths list and a contributions list in the fixtures' county and in the other."""
    return {
        (where, kind): DatasetVersionFactory(region_code=region.code, kind=kind)
        for where, region in (("own", area.county), ("other", area.other_county))
        for kind in (DatasetKind.DEATHS, DatasetKind.CONTRIBUTIONS)
    }


def _expected(role, where, kind) -> int:
    if role not in VIEW_DATASETS:
        return 403
    if where == "other":
        return 404
    if role == Role.REVIEWER and kind != DatasetKind.DEATHS:
        return 404
    return 200


@pytest.mark.parametrize("name", ["dataset-version", "api:dataset-version-detail"])
@pytest.mark.parametrize("role", list(Role))
def test_one_version_by_role_county_and_kind(role, name, users, login, versions):
    client = login(users[role])

    statuses = {
        key: client.get(reverse(name, args=[v.pk])).status_code for key, v in versions.items()
    }

    assert statuses == {key: _expected(role, *key) for key in versions}


@pytest.mark.parametrize("role", list(Role))
def test_list_page_and_api_list_show_the_own_county_and_kinds(role, users, login, versions):
    client = login(users[role])
    page = client.get(reverse("dataset-list"))
    api = client.get(reverse("api:dataset-version-list"))
    if role not in VIEW_DATASETS:
        assert (page.status_code, api.status_code) == (403, 403)
        return
    readable = {v.pk for key, v in versions.items() if _expected(role, *key) == 200}

    assert {v.pk for v in page.context["versions"]} == readable
    assert {row["id"] for row in api.json()["results"]} == readable


@pytest.mark.parametrize("role", list(Role))
def test_template_by_role_and_kind(role, users, login):
    client = login(users[role])

    statuses = [
        client.get(reverse("dataset-template", args=[kind])).status_code
        for kind in (DatasetKind.DEATHS, DatasetKind.FISCAL_PAYROLL)
    ]

    assert statuses == [
        _expected(role, "own", k) for k in (DatasetKind.DEATHS, DatasetKind.FISCAL_PAYROLL)
    ]


def _deaths_csv(name="list.csv"):
    return csv_file(
        [["身份证号", "姓名", "死亡日期"], ["37090219600101001X", "王某", "2026-10-03"]], name=name
    )


@pytest.mark.parametrize("role", list(Role))
def test_upload_page_by_role(role, users, login, django_capture_on_commit_callbacks):
    client = login(users[role])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("dataset-list"),
            {"kind": DatasetKind.DEATHS, "as_of": "2026-11-30", "file": _deaths_csv()},
        )

    if role not in VIEW_DATASETS:
        assert response.status_code == 403
    elif role not in UPLOAD_DATASETS:
        assert response.status_code == 405
    else:
        version = DatasetVersion.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("dataset-version", args=[version.pk])
        assert version.status == DatasetStatus.LOADED  # the job ran eagerly on commit
        assert client.get(response.url).status_code == 200
    if role not in UPLOAD_DATASETS:
        assert not DatasetVersion.objects.exists()


def test_the_civil_affairs_reviewer_is_refused_a_licences_upload_on_the_page(users, login):
    response = login(users[Role.REVIEWER]).post(
        reverse("dataset-list"),
        {"kind": DatasetKind.BUSINESS_LICENCES, "as_of": "2026-11-30", "file": _deaths_csv()},
    )

    assert response.status_code == 400
    assert not DatasetVersion.objects.exists()


@pytest.mark.parametrize("role", list(Role))
def test_api_upload_by_role(role, users, login, django_capture_on_commit_callbacks):
    client = login(users[role])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("api:dataset-version-list"),
            {"kind": DatasetKind.DEATHS, "as_of": "2026-11-30", "file": _deaths_csv()},
        )

    if role in UPLOAD_DATASETS:
        assert response.status_code == 201
        assert response.json()["status"] == DatasetStatus.CHECKING
        assert DatasetVersion.objects.get().status == DatasetStatus.LOADED
    else:
        assert response.status_code == 403
        assert not DatasetVersion.objects.exists()


def test_api_upload_of_the_same_file_twice_is_a_400_with_the_reason(county, login):
    client = login(county)
    body = {"kind": DatasetKind.DEATHS, "as_of": "2026-11-30"}

    first = client.post(reverse("api:dataset-version-list"), {**body, "file": _deaths_csv()})
    second = client.post(reverse("api:dataset-version-list"), {**body, "file": _deaths_csv()})

    assert (first.status_code, second.status_code) == (201, 400)
    assert DatasetVersion.objects.count() == 1


@pytest.mark.parametrize("role", list(Role))
def test_match_page_and_api_by_role(role, users, login, versions):
    client = login(users[role])

    page = client.post(reverse("dataset-match"))
    api = client.post(reverse("api:dataset-version-match"))

    if role in RUN_MATCH:
        assert (page.status_code, api.status_code) == (302, 202)
        # Each started a match of the user's own county.
        assert set(Job.objects.filter(kind=MATCH).values_list("region_code", flat=True)) == {
            users[role].region.code
        }
    else:
        assert (page.status_code, api.status_code) == (403, 403)
        assert not Job.objects.filter(kind=MATCH).exists()


def test_the_list_page_shows_the_countys_matches_only(users, login, versions, area):
    from gongyi.jobs import job_start

    own = job_start(actor=users[Role.COUNTY], kind=MATCH)
    other_user = UserFactory(role=Role.COUNTY, region=area.other_county)
    job_start(actor=other_user, kind=MATCH)

    page = login(users[Role.COUNTY]).get(reverse("dataset-list"))

    assert [m["job"].pk for m in page.context["matches"]] == [own.pk]
