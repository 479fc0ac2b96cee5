"""An import file that would exhaust the server: refused quickly, in bounded memory, in Chinese.

The expanding sheet: a workbook of about 100 KB whose shared strings unpack to 95 MB (as a
246 KB file did, taking 1.5 GB and 15 s of a web worker). Its zip directory says so, and the
guard in front of the reader refuses it before anything is unpacked; a file whose directory lies
is refused by the reader, which runs in a child process with its own memory limit.
"""

import time
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongyi.errors import DomainError
from gongyi.models import Job, JobStatus
from people.imports import person_import_check
from people.models import Person
from posts.imports import post_import_check
from subsidies.attendance.clockin import clockin_import_check
from tests.gongyi.expanding import expanding_xlsx

pytestmark = pytest.mark.django_db

BOMB = 95 * 1024 * 1024
TOO_LARGE = "此文件解压后超过导入所能处理的大小"
DAMAGED = "文件已损坏，无法读取。"


@pytest.mark.parametrize("check", [person_import_check, post_import_check, clockin_import_check])
def test_expanding_sheet_is_refused_quickly_in_bounded_memory(area, clerk, check):
    data = expanding_xlsx(BOMB)
    tracemalloc.start()
    start = time.perf_counter()

    with pytest.raises(DomainError) as refused:
        check(actor=clerk, data=data)

    seconds = time.perf_counter() - start
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(data) < 200 * 1024
    assert refused.value.message.startswith(TOO_LARGE)
    assert seconds < 5
    assert peak < 10 * 1024 * 1024


def test_expanding_sheet_whose_zip_directory_lies_is_refused(area, clerk):
    data = expanding_xlsx(BOMB, declared=1000)
    start = time.perf_counter()

    with pytest.raises(DomainError) as refused:
        person_import_check(actor=clerk, data=data)

    assert refused.value.message.startswith(DAMAGED)
    assert time.perf_counter() - start < 10


def test_expanding_sheet_uploaded_fails_its_job_with_the_message(
    area, clerk, login, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("花名册.xlsx", expanding_xlsx(BOMB))

    with django_capture_on_commit_callbacks(execute=True):
        response = login(clerk).post(reverse("person-import"), {"file": upload})

    job = Job.objects.get(kind="people.import_check")
    assert response.status_code == 302
    assert (job.status, job.error.startswith(TOO_LARGE)) == (JobStatus.FAILED, True)
    assert Person.objects.count() == 0
