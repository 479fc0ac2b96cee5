"""The payout's bank API (subsidies/payout/bank_apis.py) in use: a template added and changed
(the shared one refused), the payment file issued with its count, total and sha256 and
downloaded on the audit trail, a return refused with every problem by row in Chinese and nothing
changed, then read; an account fix completed into a follow-up batch."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongyi.enums import Role
from gongyi.models import AuditEntry
from subsidies.payout.enums import BatchState, FixState, LineStatus
from subsidies.payout.models import AccountFix, BankTemplate, PayoutBatch
from tests.payout.bank import TEXT_FILE, TEXT_RETURN, approved_batch, return_text, text_template

pytestmark = pytest.mark.django_db

TEMPLATES = "/api/v1/payout/bank-templates/"
BATCHES = "/api/v1/payout/bank-batches/"
FIXES = "/api/v1/payout/account-fixes/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def approved(closed, users, area):
    return approved_batch(users, area)


def _json(client, method, url, body):
    return getattr(client, method)(url, body, content_type="application/json")


def test_templates_are_added_and_changed_by_the_county(area, users, login):
    client = login(users[Role.COUNTY])
    body = {
        "name": "农商文本",
        "bank_name": "泰安农商银行",
        "file_template": TEXT_FILE,
        "return_template": TEXT_RETURN,
    }
    made = _json(client, "post", TEMPLATES, body)
    assert made.status_code == 201, made.json()
    data = made.json()
    assert (data["county"], data["shared"], data["active"]) == (area.county.code, False, True)
    assert data["file_template"]["delimiter"] == "|"
    again = _json(client, "post", TEMPLATES, body)
    assert again.status_code == 400 and again.json()["detail"]
    bad = _json(client, "post", TEMPLATES, {**body, "name": "坏", "file_template": {"columns": []}})
    assert bad.status_code == 400 and "身份证" in bad.json()["detail"]
    changed = _json(client, "put", f"{TEMPLATES}{data['id']}/", {**body, "active": False})
    assert (changed.status_code, changed.json()["active"]) == (200, False)
    shared = BankTemplate.objects.get(county=None)
    refused = _json(client, "put", f"{TEMPLATES}{shared.pk}/", body)
    assert refused.status_code == 400 and refused.json()["detail"]
    names = [t["name"] for t in login(users[Role.FINANCE]).get(TEMPLATES).json()["results"]]
    assert set(names) == {"农商文本", shared.name}


def test_issue_download_return_and_fix_through_the_api(approved, users, login):
    county, finance, clerk = users[Role.COUNTY], users[Role.FINANCE], users[Role.CLERK]
    template = text_template(county)
    client = login(county)
    listed = client.get(BATCHES).json()["results"]
    assert [(b["id"], b["payment_file"]) for b in listed] == [(approved.pk, None)]

    issued = _json(client, "post", f"{BATCHES}{approved.pk}/issue/", {"template": template.pk})
    assert issued.status_code == 201, issued.json()
    data = issued.json()
    lines = approved.lines.order_by("id")
    assert data["lines"] == 3
    assert data["total_fen"] == sum(x.amount_fen for x in lines)
    twice = _json(client, "post", f"{BATCHES}{approved.pk}/issue/", {"template": template.pk})
    assert twice.status_code == 400 and "审核通过" in twice.json()["detail"]

    client = login(finance)
    download = client.get(f"{BATCHES}{approved.pk}/file/")
    assert download.status_code == 200
    body = b"".join(download.streaming_content)
    assert hashlib.sha256(body).hexdigest() == data["sha256"]
    assert body.decode("gbk").splitlines()[0] == "户名|账号|金额|证件号码|摘要|所属期"
    assert AuditEntry.objects.filter(action="export", actor=finance).count() == 1

    a, b, c = lines
    upload = f"{BATCHES}{approved.pk}/return/"
    bad = return_text([a, b, c, c], changes={a.pk: "9.99"})
    refused = client.post(upload, {"file": SimpleUploadedFile("r.txt", bad)})
    assert refused.status_code == 400
    problems = refused.json()["problems"]
    assert any("9.99" in p and "第" in p for p in problems)
    assert any("重复" in p for p in problems)
    assert "未作任何更改" in refused.json()["detail"]
    assert PayoutBatch.objects.get(pk=approved.pk).state == BatchState.FILE_ISSUED
    assert set(approved.lines.values_list("status", flat=True)) == {LineStatus.PENDING}
    assert client.post(upload, {}).status_code == 400  # no file

    good = return_text([a, b, c], {a.pk: "账户不存在"})
    read = client.post(upload, {"file": SimpleUploadedFile("r.txt", good)})
    assert read.status_code == 200, read.json()
    done = read.json()
    assert (done["paid"], done["failed"], done["state"]) == (2, 1, BatchState.RETURNED)
    assert done["failed_fen"] == a.amount_fen
    assert done["fixes"] == [AccountFix.objects.get().pk]
    shown = client.get(f"{BATCHES}{approved.pk}/").json()
    assert shown["payment_file"]["return_sha256"] == hashlib.sha256(good).hexdigest()

    client = login(clerk)
    fixes = client.get(FIXES, {"state": "open"}).json()["results"]
    assert [(f["line"], f["reason"], f["state"]) for f in fixes] == [
        (a.pk, "no_account", FixState.OPEN)
    ]
    assert "*" in fixes[0]["id_number"]
    fix = fixes[0]["id"]
    malformed = _json(client, "post", f"{FIXES}{fix}/complete/", {"account_number": "62x"})
    assert malformed.status_code == 400 and malformed.json()["detail"]
    fixed = _json(client, "post", f"{FIXES}{fix}/complete/", {"account_number": "6228480012345678"})
    assert fixed.status_code == 200, fixed.json()
    assert fixed.json()["state"] == FixState.FIXED
    assert fixed.json()["account_number"].endswith("5678") and "*" in fixed.json()["account_number"]
    follow_up = PayoutBatch.objects.get(pk=fixed.json()["follow_up_batch"])
    assert follow_up.follows_batch_id == approved.pk
    assert client.get(FIXES, {"state": "open"}).json()["results"] == []
    assert client.get(FIXES, {"state": "nope"}).status_code == 400
