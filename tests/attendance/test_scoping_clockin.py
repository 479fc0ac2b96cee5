"""The attendance import's pages for every role (docs/security.md): the village and the township
import; every other role is refused by role (403); a checked file is its uploader's alone (another
user's is a 404, whoever asks)."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongyi.enums import Role
from gongyi.jobs import job_execute, job_start
from gongyi.models import Job
from subsidies.attendance.clockin import CHECK
from subsidies.attendance.roles import RECORD_ATTENDANCE
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TESTED_URLS = {
    "attendance-import",
    "attendance-import-template",
    "attendance-import-job",
    "attendance-import-commit",
}


def sheet_file() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["姓名", "身份证号", "日期", "考勤", "工时"])
    workbook.active.append(["王秀英", "370902197505010021", "2026-11-02", "√", None])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def checked(users):
    """A file the village user has had checked."""
    job = job_start(actor=users[Role.VILLAGE], kind=CHECK, payload=sheet_file(), file_name="a.xlsx")
    job_execute(job.pk)
    return job


@pytest.mark.parametrize("role", list(Role))
def test_upload_and_template_pages_by_role(role, users, login):
    client = login(users[role])
    statuses = [
        client.get(reverse("attendance-import")).status_code,
        client.get(reverse("attendance-import-template")).status_code,
    ]
    assert statuses == ([200, 200] if role in RECORD_ATTENDANCE else [403, 403])


@pytest.mark.parametrize("role", list(Role))
def test_upload_is_refused_to_roles_that_do_not_record(role, users, login):
    upload = SimpleUploadedFile("a.xlsx", sheet_file())
    status = login(users[role]).post(reverse("attendance-import"), {"file": upload}).status_code
    assert status == (302 if role in RECORD_ATTENDANCE else 403)
    assert Job.objects.count() == (1 if role in RECORD_ATTENDANCE else 0)


@pytest.mark.parametrize("role", list(Role))
def test_a_checked_file_is_its_uploaders_alone(role, users, login, checked):
    client = login(users[role])
    page = client.get(reverse("attendance-import-job", args=[checked.pk])).status_code
    commit = client.post(
        reverse("attendance-import-commit", args=[checked.pk]), {"action": "import"}
    ).status_code
    if role == Role.VILLAGE:
        assert (page, commit) == (200, 302)
    elif role in RECORD_ATTENDANCE:
        assert (page, commit) == (404, 404)  # the township's clerk: someone else's file
    else:
        assert (page, commit) == (403, 403)


def test_another_village_user_gets_404(area, login, checked):
    other = UserFactory(username="village2", role=Role.VILLAGE, region=area.other_village)
    client = login(other)
    assert client.get(reverse("attendance-import-job", args=[checked.pk])).status_code == 404
    cancel = client.post(
        reverse("attendance-import-commit", args=[checked.pk]), {"action": "cancel"}
    )
    assert cancel.status_code == 404


def test_commit_is_post_only(users, login, checked):
    client = login(users[Role.VILLAGE])
    url = reverse("attendance-import-commit", args=[checked.pk])
    assert client.get(url).status_code == 405
