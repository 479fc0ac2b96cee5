"""The bank pages in use: issue, download (refused to the clerk, on the audit trail for the
finance department), a return refused with its problems by row, a template from the form, and an
account fix."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongyi.enums import Role
from gongyi.models import AuditEntry, Job, JobStatus
from subsidies.payout.enums import BatchState, FixState
from subsidies.payout.jobs import ISSUE, READ_RETURN
from subsidies.payout.models import AccountFix, BankTemplate, PayoutBatch
from tests.payout.bank import approved_batch, return_text, text_template


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def approved(closed, users, area):
    return approved_batch(users, area)


def test_issue_download_and_return_in_the_browser(
    approved, users, login, django_capture_on_commit_callbacks
):
    county, finance = users[Role.COUNTY], users[Role.FINANCE]
    template = text_template(county)
    url = reverse("payout-bank-batch", args=[approved.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = login(county).post(url, {"action": "issue", "template": template.pk})
    assert response.status_code == 302
    job = Job.objects.get(kind=ISSUE)
    assert (job.status, job.params) == (
        JobStatus.DONE,
        {"batch": approved.pk, "template": template.pk},
    )
    assert job.result["lines"] == 3
    assert PayoutBatch.objects.get(pk=approved.pk).state == BatchState.FILE_ISSUED
    assert "代发文件已出具" in login(county).get(url).content.decode()
    download = reverse("payout-bank-download", args=[approved.pk])
    assert login(users[Role.CLERK]).get(download).status_code == 403
    response = login(finance).get(download)
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("gbk")
    assert body.splitlines()[0] == "户名|账号|金额|证件号码|摘要|所属期"
    assert AuditEntry.objects.filter(action="export", actor=finance).count() == 1
    a, b, c = approved.lines.order_by("id")

    bad = SimpleUploadedFile("r.txt", return_text([a, b, c], changes={a.pk: "9.99"}))
    client = login(finance)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"action": "return", "file": bad}).status_code == 302
    refused = Job.objects.get(kind=READ_RETURN)
    assert refused.status == JobStatus.FAILED and refused.result["problems"]
    page = client.get(url).content.decode()
    assert "9.99" in page and refused.error in page
    assert PayoutBatch.objects.get(pk=approved.pk).state == BatchState.FILE_ISSUED

    good = SimpleUploadedFile("r.txt", return_text([a, b, c], {a.pk: "账户不存在"}))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"action": "return", "file": good}).status_code == 302
    assert PayoutBatch.objects.get(pk=approved.pk).state == BatchState.RETURNED
    page = client.get(url).content.decode()
    assert "9.99" not in page  # the refusal no longer applies
    assert "银行回盘已导入：成功 2 笔，失败 1 笔" in page
    fix = AccountFix.objects.get()
    response = login(users[Role.CLERK]).post(
        reverse("payout-account-fix", args=[fix.pk]), {"account_number": "6228480012345678"}
    )
    assert response.status_code == 302
    assert AccountFix.objects.get().state == FixState.FIXED


def test_a_job_running_shows_its_progress_and_is_started_once(approved, users, login):
    county = users[Role.COUNTY]
    template = text_template(county)
    url = reverse("payout-bank-batch", args=[approved.pk])
    client = login(county)
    # Without the commit callbacks the job stays queued: the page shows its progress bar.
    client.post(url, {"action": "issue", "template": template.pk})
    client.post(url, {"action": "issue", "template": template.pk})
    job = Job.objects.get(kind=ISSUE)
    assert job.status == JobStatus.QUEUED
    page = client.get(url).content.decode()
    assert reverse("job-status", args=[job.pk]) in page
    assert 'value="issue"' not in page  # no second issue while it runs
    other = login(users[Role.FINANCE]).get(url).content.decode()
    assert reverse("job-status", args=[job.pk]) not in other
    assert "正在" in other


def test_a_refusal_known_at_once_starts_no_job(approved, users, login):
    client = login(users[Role.COUNTY])
    url = reverse("payout-bank-batch", args=[approved.pk])
    response = client.post(url, {"action": "issue", "template": "x"}, follow=True)
    assert "银行模板" in response.content.decode()
    response = client.post(url, {"action": "return"}, follow=True)
    assert not Job.objects.filter(kind__in=(ISSUE, READ_RETURN)).exists()
    assert PayoutBatch.objects.get(pk=approved.pk).state == BatchState.APPROVED


def test_a_template_is_added_from_the_form(users, login):
    client = login(users[Role.COUNTY])
    form = client.get(reverse("payout-bank-template-add")).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        name="工行文本",
        bank_name="工商银行",
        file_format="text",
        encoding="gbk",
        delimiter="|",
        control="last_line",
        header_row="on",
        return_header_row="on",
        return_format="text",
        return_encoding="gbk",
        return_delimiter="|",
    )
    data["active"] = "on"
    response = client.post(reverse("payout-bank-template-add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = BankTemplate.objects.get(name="工行文本")
    assert (saved.file_template["file_format"], saved.file_template["delimiter"]) == ("text", "|")
    assert [c["header"] for c in saved.file_template["columns"]][:2] == ["姓名", "身份证号码"]
    data["control"] = "sheet"
    response = client.post(reverse("payout-bank-template-add"), {**data, "name": "坏"})
    assert response.status_code == 400
