"""Background jobs (``gongyi.jobs``): started when the transaction commits, run once by the Celery
task (eager in tests: no CELERY_BROKER_URL), progress and outcome on the job row, and
``/jobs/<pk>/`` for the page that polls it, seen by its owner only."""

import pytest
from django.db import transaction
from django.urls import reverse

from gongyi.enums import Role
from gongyi.errors import DomainError
from gongyi.jobs import JOB_RUNNERS, job_execute, job_start
from gongyi.models import Job, JobStatus

pytestmark = pytest.mark.django_db

KIND = "tests.count"


@pytest.fixture
def runs(monkeypatch) -> list[dict]:
    """A job kind that reports progress 1..3 and records the status it ran under."""
    seen: list[dict] = []

    def runner(job, progress):
        seen.append({"status": Job.objects.get(pk=job.pk).status, "params": job.params})
        for done in range(1, 4):
            progress(done, 3)
        return {"counted": 3, "file": job.file_name}

    monkeypatch.setitem(JOB_RUNNERS, KIND, runner)
    return seen


def failing_runner(error: Exception):
    def runner(job, progress):
        progress(1, 2)
        raise error

    return runner


def test_job_start_runs_the_job_when_the_transaction_commits(
    users, runs, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = job_start(
            actor=users[Role.CLERK], kind=KIND, file_name="岗位.xlsx", params={"year": 2026}
        )
        before_commit = (Job.objects.get(pk=job.pk).status, len(runs))
    job.refresh_from_db()
    assert before_commit == (JobStatus.QUEUED, 0)
    assert len(callbacks) == 1
    assert runs == [{"status": JobStatus.RUNNING, "params": {"year": 2026}}]
    assert (job.status, job.done, job.total, job.percent, job.error) == (
        JobStatus.DONE,
        3,
        3,
        100,
        "",
    )
    assert job.result == {"counted": 3, "file": "岗位.xlsx"}
    assert (job.region_code, job.created_by, job.finished) == (
        "370902001",
        users[Role.CLERK],
        True,
    )
    assert job.finished_at is not None


@pytest.mark.django_db(transaction=True)
def test_job_start_in_a_real_transaction_waits_for_the_commit(users, runs):
    """With real commits (no test transaction around the test): nothing runs inside the block."""
    with transaction.atomic():
        job = job_start(actor=users[Role.COUNTY], kind=KIND)
        inside = len(runs)
    job.refresh_from_db()
    assert (inside, len(runs), job.status) == (0, 1, JobStatus.DONE)


@pytest.mark.django_db(transaction=True)
def test_job_start_rolled_back_never_runs(users, runs):
    with pytest.raises(RuntimeError), transaction.atomic():
        job_start(actor=users[Role.COUNTY], kind=KIND)
        raise RuntimeError("the request failed after the job was started")
    assert (runs, Job.objects.count()) == ([], 0)


def test_job_start_refuses_an_unknown_kind(users):
    with pytest.raises(DomainError) as refused:
        job_start(actor=users[Role.COUNTY], kind="tests.no_such_kind")
    assert refused.value.message == "未知的任务类型。"
    assert Job.objects.count() == 0


def test_job_execute_runs_a_job_only_once(users, runs, django_capture_on_commit_callbacks):
    """Celery may deliver a task twice (acks late); the second delivery finds the job done."""
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(actor=users[Role.COUNTY], kind=KIND)
    finished_at = Job.objects.get(pk=job.pk).finished_at
    job_execute(job.pk)
    job.refresh_from_db()
    assert (len(runs), job.status, job.finished_at) == (1, JobStatus.DONE, finished_at)


def test_job_execute_leaves_a_job_running_elsewhere_alone(users, runs):
    job = Job.objects.create(
        kind=KIND, created_by=users[Role.COUNTY], region_code="370902", status=JobStatus.RUNNING
    )
    job_execute(job.pk)
    job.refresh_from_db()
    assert (runs, job.status, job.finished_at) == ([], JobStatus.RUNNING, None)


def test_job_execute_a_domain_error_fails_the_job_with_its_message(
    users, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setitem(
        JOB_RUNNERS, KIND, failing_runner(DomainError("第 3 行：岗位人数至少为 1。"))
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(actor=users[Role.COUNTY], kind=KIND)
    job.refresh_from_db()
    assert (job.status, job.error, job.result, job.done, job.total) == (
        JobStatus.FAILED,
        "第 3 行：岗位人数至少为 1。",
        {},
        1,
        2,
    )
    assert job.finished_at is not None


def test_job_execute_an_unexpected_error_fails_the_job_without_details(
    users, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setitem(JOB_RUNNERS, KIND, failing_runner(KeyError("secret internals")))
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(actor=users[Role.COUNTY], kind=KIND)
    job.refresh_from_db()
    assert (job.status, job.error) == (
        JobStatus.FAILED,
        "任务意外失败，数据未作任何改动。请联系系统管理员。",
    )


def test_job_execute_a_failed_job_is_not_run_again(users, monkeypatch, runs):
    job = Job.objects.create(
        kind=KIND, created_by=users[Role.COUNTY], region_code="370902", status=JobStatus.FAILED
    )
    job_execute(job.pk)
    job.refresh_from_db()
    assert (runs, job.status) == ([], JobStatus.FAILED)


# --- /jobs/<pk>/ ----------------------------------------------------------------------------------


def test_job_status_page_reports_progress_to_its_owner(users, login):
    job = Job.objects.create(
        kind=KIND,
        created_by=users[Role.CLERK],
        region_code="370902001",
        status=JobStatus.RUNNING,
        done=1,
        total=4,
    )
    response = login(users[Role.CLERK]).get(reverse("job-status", args=[job.pk]))
    assert response.status_code == 200
    assert response.json() == {
        "status": "running",
        "status_label": "进行中",
        "done": 1,
        "total": 4,
        "percent": 25,
        "finished": False,
        "error": "",
    }
    assert "no-cache" in response["Cache-Control"]


def test_job_status_page_of_a_finished_job(users, runs, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(actor=users[Role.CLERK], kind=KIND)
    response = login(users[Role.CLERK]).get(reverse("job-status", args=[job.pk]))
    assert response.json() == {
        "status": "done",
        "status_label": "已完成",
        "done": 3,
        "total": 3,
        "percent": 100,
        "finished": True,
        "error": "",
    }


@pytest.mark.parametrize("role", [Role.COUNTY, Role.ADMIN, Role.VILLAGE])
def test_job_status_page_of_another_users_job_is_not_found(users, login, role):
    """STYLE.md "Access": someone else's job is a 404, even for the county above its owner."""
    job = Job.objects.create(kind=KIND, created_by=users[Role.CLERK], region_code="370902001")
    response = login(users[role]).get(reverse("job-status", args=[job.pk]))
    assert response.status_code == 404


def test_job_status_page_asks_to_log_in_first(users, client):
    job = Job.objects.create(kind=KIND, created_by=users[Role.CLERK], region_code="370902001")
    response = client.get(reverse("job-status", args=[job.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
