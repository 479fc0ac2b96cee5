"""The bank pages in use: issue, download (refused to the clerk, on the audit trail for the
finance department), a return refused with its problems by row, a template from the form, and an
account fix."""

import pytest
from django.urls import reverse

from gongyi.enums import Role
from gongyi.models import AuditEntry
from subsidies.payout.enums import BatchState, FixState
from subsidies.payout.models import AccountFix, BankTemplate, PayoutBatch
from tests.payout.bank import approved_batch, return_text, text_template


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def approved(closed, users, area):
    return approved_batch(users, area)


def test_issue_download_and_return_in_the_browser(approved, users, login):
    county, finance = users[Role.COUNTY], users[Role.FINANCE]
    template = text_template(county)
    url = reverse("payout-bank-batch", args=[approved.pk])
    response = login(county).post(url, {"action": "issue", "template": template.pk})
    assert response.status_code == 302
    assert PayoutBatch.objects.get(pk=approved.pk).state == BatchState.FILE_ISSUED
    download = reverse("payout-bank-download", args=[approved.pk])
    assert login(users[Role.CLERK]).get(download).status_code == 403
    response = login(finance).get(download)
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("gbk")
    assert body.splitlines()[0] == "户名|账号|金额|证件号码|摘要|所属期"
    assert AuditEntry.objects.filter(action="export", actor=finance).count() == 1
    a, b, c = approved.lines.order_by("id")
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("r.txt", return_text([a, b, c], changes={a.pk: "9.99"}))
    response = login(finance).post(url, {"action": "return", "file": bad})
    assert response.status_code == 400
    assert "9.99" in response.content.decode()
    good = SimpleUploadedFile("r.txt", return_text([a, b, c], {a.pk: "账户不存在"}))
    assert login(finance).post(url, {"action": "return", "file": good}).status_code == 302
    assert PayoutBatch.objects.get(pk=approved.pk).state == BatchState.RETURNED
    fix = AccountFix.objects.get()
    response = login(users[Role.CLERK]).post(
        reverse("payout-account-fix", args=[fix.pk]), {"account_number": "6228480012345678"}
    )
    assert response.status_code == 302
    assert AccountFix.objects.get().state == FixState.FIXED


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
