"""The payment file and the bank's return (docs/policy.md §7, "How gongyi pays the bank"): lines
the bank would refuse are stopped, the file states its count and total, only the county and the
finance department download it (on the audit trail), and a return with any problem changes
nothing."""

import threading

import pytest
from django.core.files.storage import default_storage
from django.db import connection

from gongyi.enums import Role
from gongyi.errors import DomainError
from gongyi.models import AuditEntry
from people.models import Person
from subsidies.payout.enums import BatchState, FixState, LineStatus
from subsidies.payout.models import (
    AccountFix,
    BankTemplate,
    PaymentFile,
    PayoutBatch,
    PayoutLine,
)
from subsidies.payout.services import (
    ReturnRefused,
    bank_template_save,
    payment_file_download,
    payout_file_issue,
    payout_return_read,
)
from tests.payout.bank import TEXT_FILE, TEXT_RETURN, approved_batch, return_text, text_template


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def approved(closed, users, area):
    return approved_batch(users, area)


def months_used(line):
    return Person.objects.get(pk=line.person_id).subsidy_months_used


def test_the_shared_default_template_is_seeded_and_valid(db):
    from subsidies.bankfiles import FileTemplate, ReturnTemplate

    shared = BankTemplate.objects.get(county=None)
    template = FileTemplate.from_dict(shared.file_template)
    assert (template.file_format, template.encoding, template.control) == ("xlsx", "utf-8", "sheet")
    assert [c.field for c in template.columns] == [
        "name",
        "id_number",
        "account_number",
        "bank",
        "item",
        "amount",
        "period",
        "remark",
    ]
    assert ReturnTemplate.from_dict(shared.return_template).file_format == "xlsx"


def test_a_template_is_checked_and_kept_in_its_canonical_form(county):
    with pytest.raises(DomainError, match="控制表"):
        bank_template_save(
            actor=county,
            name="坏",
            bank_name="",
            file_template={**TEXT_FILE, "file_format": "xlsx"},
            return_template=TEXT_RETURN,
        )
    saved = text_template(county)
    assert saved.file_template["control_labels"] == ["总笔数", "总金额"]
    with pytest.raises(DomainError, match="共用模板"):
        bank_template_save(
            actor=county,
            template_id=BankTemplate.objects.get(county=None).pk,
            name="改",
            bank_name="",
            file_template=TEXT_FILE,
            return_template=TEXT_RETURN,
        )


def test_issue_stops_a_bad_account_and_a_changed_name_and_writes_the_rest(approved, county):
    lines = list(approved.lines.order_by("id"))
    a, b, c = lines
    PayoutLine.objects.filter(pk=a.pk).update(account_number="62170012345X")
    # The account is part of the snapshot: the hash is made again as a correction would.
    with connection.cursor() as cursor:
        from subsidies.payout.generation import LINE_HASH_SQL

        cursor.execute(
            f"UPDATE payout_payoutline l SET hash = {LINE_HASH_SQL} WHERE l.id = %s", [a.pk]
        )
    Person.objects.filter(pk=b.person_id).update(name="改名")
    before = months_used(a)
    issued = payout_file_issue(
        actor=county, batch_id=approved.pk, template_id=text_template(county).pk
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == (LineStatus.HELD, LineStatus.HELD)
    assert "数字以外" in a.held_reason
    assert "改名" in b.held_reason
    assert (a.counted, months_used(a)) == (False, before - 1)
    c.refresh_from_db()
    assert (issued.lines, issued.total_fen, issued.stopped) == (1, c.amount_fen, 2)
    assert PayoutBatch.objects.get(pk=approved.pk).state == BatchState.FILE_ISSUED
    with default_storage.open(issued.path, "rb") as stored:
        text = stored.read().decode("gbk")
    rows = text.split("\r\n")
    yuan = f"{c.amount_fen // 100}.{c.amount_fen % 100:02d}"
    assert rows[0] == "户名|账号|金额|证件号码|摘要|所属期"
    assert (
        rows[1]
        == f"{c.person_name}|{c.account_number}|{yuan}|{c.id_number}|公益性岗位补贴|2026年11月"
    )
    assert rows[2] == f"合计|1|{yuan}"


def test_only_an_approved_batch_is_issued(closed, users, area, county):
    batch = approved_batch(users, area)
    PayoutBatch.objects.filter(pk=batch.pk).update(state=BatchState.SUBMITTED)
    with pytest.raises(DomainError, match="审核通过"):
        payout_file_issue(actor=county, batch_id=batch.pk, template_id=text_template(county).pk)


def test_the_default_template_writes_an_xlsx_with_a_control_sheet(approved, county):
    from openpyxl import load_workbook

    shared = BankTemplate.objects.get(county=None)
    issued = payout_file_issue(actor=county, batch_id=approved.pk, template_id=shared.pk)
    with default_storage.open(issued.path, "rb") as stored:
        book = load_workbook(stored)
    assert book.sheetnames == ["代发明细", "汇总"]
    assert book["代发明细"].max_row == 4
    control = [[c.value for c in r] for r in book["汇总"].iter_rows()]
    assert control[0] == ["总笔数", 3]
    assert control[1][1] * 100 == sum(approved.lines.values_list("amount_fen", flat=True))
    assert issued.total_fen == sum(approved.lines.values_list("amount_fen", flat=True))
    assert book["代发明细"]["H2"].value == approved.reference  # the remark carries it


def test_download_is_refused_to_the_clerk_and_logged_for_finance(approved, users):
    county, finance = users[Role.COUNTY], users[Role.FINANCE]
    issued = payout_file_issue(
        actor=county, batch_id=approved.pk, template_id=text_template(county).pk
    )
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        payment_file_download(actor=users[Role.CLERK], batch_id=approved.pk)
    download = payment_file_download(actor=finance, batch_id=approved.pk)
    assert download.payment_file == issued
    entry = AuditEntry.objects.filter(action="export", actor=finance).get()
    assert (entry.object_pk, entry.region_code) == (str(issued.pk), approved.region_code)


def test_a_stored_file_changed_on_disk_is_not_given_out(approved, county):
    issued = payout_file_issue(
        actor=county, batch_id=approved.pk, template_id=text_template(county).pk
    )
    with open(default_storage.path(issued.path), "ab") as stored:
        stored.write(b"x")
    with pytest.raises(DomainError, match="sha256"):
        payment_file_download(actor=county, batch_id=approved.pk)


@pytest.fixture
def issued(approved, users):
    county = users[Role.COUNTY]
    payout_file_issue(actor=county, batch_id=approved.pk, template_id=text_template(county).pk)
    return approved


def test_a_return_with_two_failures_sets_each_line_and_opens_fixes(issued, users):
    a, b, c = issued.lines.order_by("id")
    months = months_used(a)
    data = return_text([a, b, c], {a.pk: "户名不符", b.pk: "账户已冻结"})
    done = payout_return_read(actor=users[Role.FINANCE], batch_id=issued.pk, file=data)
    assert (done.paid, done.failed, done.batch.state) == (1, 2, BatchState.RETURNED)
    a, b, c = issued.lines.order_by("id")
    assert [(x.status, x.bank_reason, x.bank_reason_text) for x in (a, b, c)] == [
        (LineStatus.FAILED, "name_mismatch", "户名不符"),
        (LineStatus.FAILED, "account_closed", "账户已冻结"),
        (LineStatus.PAID, "", ""),
    ]
    assert (a.counted, months_used(a), c.counted) == (False, months - 1, True)
    fixes = AccountFix.objects.order_by("line_id")
    assert [(f.line_id, f.state, f.reason) for f in fixes] == [
        (a.pk, FixState.OPEN, "name_mismatch"),
        (b.pk, FixState.OPEN, "account_closed"),
    ]


def _unchanged(batch):
    assert PayoutBatch.objects.get(pk=batch.pk).state == BatchState.FILE_ISSUED
    assert set(batch.lines.values_list("status", flat=True)) == {LineStatus.PENDING}
    assert not AccountFix.objects.exists()


def test_a_return_with_a_changed_amount_is_refused_with_nothing_changed(issued, county):
    a, b, c = issued.lines.order_by("id")
    with pytest.raises(ReturnRefused) as refused:
        payout_return_read(
            actor=county, batch_id=issued.pk, file=return_text([a, b, c], changes={b.pk: "1.00"})
        )
    assert any("第" in p and "1.00" in p for p in refused.value.problems)
    _unchanged(issued)


def test_a_return_with_a_duplicated_line_is_refused(issued, county):
    a, b, c = issued.lines.order_by("id")
    with pytest.raises(ReturnRefused) as refused:
        payout_return_read(actor=county, batch_id=issued.pk, file=return_text([a, b, c, c]))
    assert any("重复" in p for p in refused.value.problems)
    _unchanged(issued)


def test_a_return_missing_a_line_is_refused_naming_it(issued, county):
    a, b, c = issued.lines.order_by("id")
    with pytest.raises(ReturnRefused) as refused:
        payout_return_read(actor=county, batch_id=issued.pk, file=return_text([a, b]))
    assert any(c.person_name in p for p in refused.value.problems)
    _unchanged(issued)


def test_the_return_of_another_batch_is_refused(issued, county, area):
    from tests.factories import PayoutLineFactory

    other = PayoutLineFactory.build(
        pk=10**9,
        person_name="外人",
        account_number="621700999999",
        id_number="370902199001019999",
        amount_fen=100,
    )
    with pytest.raises(ReturnRefused) as refused:
        payout_return_read(actor=county, batch_id=issued.pk, file=return_text([other]))
    assert "其他发放批次" in refused.value.problems[0] or "另一" in refused.value.problems[0]
    _unchanged(issued)


def test_a_return_already_read_for_another_batch_is_refused(issued, county, area):
    """Last month's return matches this month's lines by ID, account and amount when people are
    paid the same: the same file is read once, for the batch it was read for."""
    import datetime as dt
    import hashlib

    from tests.factories import PaymentFileFactory, PayoutBatchFactory

    data = return_text(list(issued.lines.order_by("id")))
    october = PayoutBatchFactory(region_code=issued.region_code, month=dt.date(2026, 10, 1))
    PaymentFileFactory(batch=october, return_sha256=hashlib.sha256(data).hexdigest())
    with pytest.raises(DomainError, match=f"{october.reference}.*2026年10月"):
        payout_return_read(actor=county, batch_id=issued.pk, file=data)
    _unchanged(issued)


def test_a_return_row_with_another_batchs_reference_is_refused(approved, county):
    """Where the bank echoes the payment file's remark, the batch's reference in it tells
    another batch's row from this one's, though ID, account and amount all match."""
    template = bank_template_save(
        actor=county,
        name="回盘带备注",
        bank_name="泰安农商银行",
        file_template={
            **TEXT_FILE,
            "columns": [*TEXT_FILE["columns"], {"field": "remark", "header": "备注"}],
        },
        return_template={
            **TEXT_RETURN,
            "columns": [*TEXT_RETURN["columns"], {"field": "remark", "header": "备注"}],
        },
    )
    payout_file_issue(actor=county, batch_id=approved.pk, template_id=template.pk)
    with default_storage.open(PaymentFile.objects.get(batch=approved).path, "rb") as stored:
        assert approved.reference in stored.read().decode("gbk")
    a, b, c = approved.lines.order_by("id")
    rows = return_text([a, b, c]).decode("gbk").split("\r\n")
    rows[0] += "|备注"
    rows[1] += f"|{approved.reference}"
    rows[2] += "|GY99999999"  # another batch's row
    rows[3] += "|"  # the bank dropped the remark: matched as any other row
    with pytest.raises(ReturnRefused) as refused:
        payout_return_read(actor=county, batch_id=approved.pk, file="\r\n".join(rows).encode("gbk"))
    assert any("GY99999999" in p and "第3行" in p for p in refused.value.problems)
    _unchanged(approved)


def test_a_return_in_the_wrong_encoding_is_refused(issued, county):
    lines = list(issued.lines.order_by("id"))
    with pytest.raises(DomainError, match="UTF-8"):
        payout_return_read(
            actor=county, batch_id=issued.pk, file=return_text(lines, encoding="utf-8")
        )
    _unchanged(issued)


def test_the_return_is_read_only_for_an_issued_batch(approved, county):
    with pytest.raises(DomainError, match="银行"):
        payout_return_read(actor=county, batch_id=approved.pk, file=b"")


@pytest.mark.django_db(transaction=True)
def test_two_return_uploads_at_once_read_it_once(closed, users, area):
    county, finance = users[Role.COUNTY], users[Role.FINANCE]
    batch = approved_batch(users, area)
    payout_file_issue(actor=county, batch_id=batch.pk, template_id=text_template(county).pk)
    lines = list(batch.lines.order_by("id"))
    data = return_text(lines, {lines[0].pk: "账户不存在"})
    outcomes = []

    def upload(user):
        try:
            payout_return_read(actor=user, batch_id=batch.pk, file=data)
            outcomes.append("read")
        except DomainError as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=upload, args=(u,)) for u in (county, finance)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes)[0] == "read"
    assert "回盘已读入" in sorted(outcomes)[1] or "银行回盘" in sorted(outcomes)[1]
    assert AccountFix.objects.count() == 1


def test_the_shared_template_reads_the_remark_but_a_return_without_it_too(approved, county):
    """The shared return template maps the remark (备注) the bank echoes; a bank whose return has
    no such column is read all the same."""
    from subsidies.bankfiles import ReturnTemplate, return_file_read

    shared = BankTemplate.objects.get(county=None)
    template = ReturnTemplate.from_dict(shared.return_template)
    assert "remark" in [c.field for c in template.columns]
    a, b, c = approved.lines.order_by("id")
    text = TEXT_RETURN | {
        "columns": [*TEXT_RETURN["columns"], {"field": "remark", "header": "备注"}]
    }
    read = return_file_read(ReturnTemplate.from_dict(text), return_text([a, b, c]))
    assert (len(read.rows), read.errors) == (3, [])


def test_the_same_file_as_an_earlier_return_is_read_when_the_reader_says_so(issued, county):
    """A township paid the same people the same amounts two months running, and a bank whose
    return has no date nor reference: this month's file is last month's byte for byte. Read
    only when the reader says it is the same file, and the audit trail says so."""
    import datetime as dt
    import hashlib

    from tests.factories import PaymentFileFactory, PayoutBatchFactory

    data = return_text(list(issued.lines.order_by("id")))
    october = PayoutBatchFactory(region_code=issued.region_code, month=dt.date(2026, 10, 1))
    PaymentFileFactory(batch=october, return_sha256=hashlib.sha256(data).hexdigest())
    with pytest.raises(DomainError, match="相同"):
        payout_return_read(actor=county, batch_id=issued.pk, file=data)
    done = payout_return_read(actor=county, batch_id=issued.pk, file=data, same_as_before=True)
    assert done.paid == 3
    entry = AuditEntry.objects.filter(action="import", object_pk=str(issued.pk)).get()
    assert entry.changes["same_as_batch"] == [None, october.reference]
