"""The bank's side of a payout batch (docs/policy.md §7, "How gongyi pays the bank"): the county's
bank templates, issuing the payment file, its download, and reading the bank's return.

The files are written and read by ``subsidies.bankfiles`` (no models there); this module keeps
what they did: the stopped lines held with the reason, the file in private storage with its
sha256, the lines paid or failed, and an account fix opened for each failed one.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from gongyi.audit import Change, audit_created, audit_record_many, audit_updated, snapshot
from gongyi.enums import AuditAction, RegionLevel
from gongyi.errors import DomainError
from gongyi.roles import require_role
from gongyi.scoping import scope_queryset
from people.idnumbers import normalise
from subsidies.bankfiles import (
    BankResult,
    Field,
    FileFormat,
    FileTemplate,
    ReturnField,
    ReturnTemplate,
    payment_file_write,
    payment_lines_check,
    payout_reference,
    return_file_read,
    return_match,
)
from subsidies.payout import generation
from subsidies.payout.enums import BatchKind, BatchState, LineStatus
from subsidies.payout.models import AccountFix, BankTemplate, PaymentFile, PayoutBatch, PayoutLine
from subsidies.payout.roles import (
    DOWNLOAD_PAYMENT_FILES,
    ISSUE_PAYOUTS,
    MANAGE_BANK_TEMPLATES,
    READ_RETURNS,
)
from subsidies.payout.services.batches import _lock_batch, payout_batch_transition

#: Lines read from the database at a time (a server-side cursor: never the batch at once).
CHUNK = 2000
#: The fields a payment file cannot do without, and a return file's.
FILE_REQUIRED = (Field.NAME, Field.ID_NUMBER, Field.ACCOUNT_NUMBER, Field.AMOUNT)
RETURN_REQUIRED = (
    ReturnField.ID_NUMBER,
    ReturnField.ACCOUNT_NUMBER,
    ReturnField.AMOUNT,
    ReturnField.STATUS,
)
#: The largest return file read (a township's month is a few thousand lines).
RETURN_MAX_BYTES = 50 * 1024 * 1024


# --- templates ----------------------------------------------------------------------------------


def _file_template_check(data: dict) -> FileTemplate:
    columns = data.get("columns") or []
    fields = [c.get("field") for c in columns]
    if len(set(fields)) != len(fields):
        raise DomainError(_("A column of the payment file appears twice."))
    missing = [f for f in FILE_REQUIRED if f not in fields]
    if missing:
        raise DomainError(
            _("The payment file needs the name, ID number, card or account number and amount.")
        )
    if any(not (c.get("header") or "").strip() for c in columns) and data.get("header_row", True):
        raise DomainError(_("Give each column of the payment file its header."))
    fmt, control = data.get("file_format"), data.get("control")
    if fmt == FileFormat.XLSX and control in ("first_line", "last_line"):
        raise DomainError(_("An Excel payment file states its count and total on a control sheet."))
    if fmt == FileFormat.TEXT and control == "sheet":
        raise DomainError(_("A text payment file states its count and total on a control line."))
    if fmt == FileFormat.TEXT and len(data.get("delimiter") or "") != 1:
        raise DomainError(_("The delimiter is one character."))
    try:
        return FileTemplate.from_dict(data)
    except (ValueError, KeyError, TypeError):
        raise DomainError(
            _("The payment file's template is not valid: check the period's format.")
        ) from None


def _return_template_check(data: dict) -> ReturnTemplate:
    columns = data.get("columns") or []
    fields = [c.get("field") for c in columns]
    if len(set(fields)) != len(fields):
        raise DomainError(_("A column of the return file appears twice."))
    if any(f not in fields for f in RETURN_REQUIRED):
        raise DomainError(
            _("The return file needs the ID number, card or account number, amount and result.")
        )
    for column in columns:
        if data.get("header_row", True) and not (column.get("header") or "").strip():
            raise DomainError(_("Give each column of the return file its header."))
        if not data.get("header_row", True) and not column.get("position"):
            raise DomainError(_("A return file without a header row needs each column's position."))
    if not data.get("paid_words") or not data.get("failed_words"):
        raise DomainError(_("Give the bank's words for paid and for failed."))
    try:
        return ReturnTemplate.from_dict(data)
    except (ValueError, KeyError, TypeError):
        raise DomainError(_("The return file's template is not valid.")) from None


def bank_template_save(
    *,
    actor,
    template_id: int | None = None,
    name: str,
    bank_name: str,
    file_template: dict,
    return_template: dict,
    active: bool = True,
) -> BankTemplate:
    """Add a bank template to the actor's county, or change one of its own (the shared default
    is not changed by a county: it adds its own). Both files' templates are checked through the
    library's ``from_dict`` and kept in its canonical form."""
    require_role(actor, MANAGE_BANK_TEMPLATES)
    county = actor.region
    if county is None or county.level != RegionLevel.COUNTY:
        raise DomainError(_("Only a county keeps bank templates."))
    name, bank_name = (name or "").strip()[:60], (bank_name or "").strip()[:60]
    if not name:
        raise DomainError(_("Give the template a name."), field_errors={"name": _("Required.")})
    # As JSON holds it (tuples as lists), so a template reads back as it was saved.
    payment = json.loads(json.dumps(_file_template_check(file_template).as_dict()))
    bank_return = json.loads(json.dumps(_return_template_check(return_template).as_dict()))
    values = {
        "name": name,
        "bank_name": bank_name,
        "file_template": payment,
        "return_template": bank_return,
        "active": bool(active),
    }
    try:
        with transaction.atomic():
            if template_id is None:
                template = BankTemplate.objects.create(county=county, created_by=actor, **values)
                audit_created(actor=actor, instance=template)
                return template
            template = (
                scope_queryset(actor, BankTemplate.objects.select_for_update(of=("self",)))
                .filter(pk=template_id)
                .order_by()
                .first()
            )
            if template is None:
                raise DomainError(_("Not found, or outside your area."))
            if template.county_id != county.pk:
                raise DomainError(
                    _("The shared template is not changed by a county: add a template of your own.")
                )
            before = snapshot(template)
            for key, value in values.items():
                setattr(template, key, value)
            template.save()
            audit_updated(actor=actor, instance=template, before=before)
            return template
    except IntegrityError:
        raise DomainError(
            _("The county has a bank template of this name already."),
            field_errors={"name": _("Taken.")},
        ) from None


# --- issuing the payment file -------------------------------------------------------------------

ISSUED_COLUMNS = (
    "id",
    "person_name",
    "id_number",
    "account_number",
    "bank_name",
    "amount_fen",
    "month",
    "person__name",
    "person__id_number",
)


def _lines_to_pay(batch_id: int) -> Iterator[tuple]:
    """The batch's lines to be paid, in order, through a server-side cursor."""
    return (
        PayoutLine.objects.filter(batch_id=batch_id, status=LineStatus.PENDING)
        .order_by("id")
        .values_list(*ISSUED_COLUMNS)
        .iterator(chunk_size=CHUNK)
    )


def _chunks(rows: Iterator[tuple]) -> Iterator[list[tuple]]:
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _stopped_lines(batch_id: int) -> list[tuple[int, str]]:
    """(line id, reason) of the lines the bank would refuse: an empty or malformed account, a
    name that is not the person file's (``bankfiles.payment_lines_check``), chunk by chunk."""
    stopped = []
    for chunk in _chunks(_lines_to_pay(batch_id)):
        lines = [
            {"id": r[0], "name": r[1], "id_number": r[2], "account_number": r[3], "amount": r[5]}
            for r in chunk
        ]
        people = {normalise(r[8]): r[7] for r in chunk}
        stopped += [(s.line_id, s.reason) for s in payment_lines_check(lines, people).stopped]
    return stopped


def _file_lines(batch: PayoutBatch) -> Iterator[dict]:
    with translation.override("zh-hans"):
        item = (
            _("Social-insurance subsidy")
            if batch.kind == BatchKind.SOCIAL_INSURANCE
            else _("Public-welfare post subsidy")
        )
        # The batch's reference, so that its return is known from another batch's.
        remark = payout_reference(batch.pk)
        if batch.sequence:
            remark += " " + _("Paid again after an account fix")
    for r in _lines_to_pay(batch.pk):
        yield {
            Field.NAME: r[1],
            Field.ID_NUMBER: r[2],
            Field.ACCOUNT_NUMBER: r[3],
            Field.BANK: r[4],
            Field.ITEM: item,
            Field.AMOUNT: r[5],
            Field.PERIOD: r[6],
            Field.REMARK: remark,
        }


def _hold(stopped: list[tuple[int, str]]) -> None:
    with translation.override("zh-hans"):
        reasons = [
            (_("Stopped before the payment file: %(reason)s") % {"reason": reason})[:300]
            for _id, reason in stopped
        ]
    ids = [line_id for line_id, _reason in stopped]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE payout_payoutline l SET status = 'held', held_reason = v.reason"
            " FROM unnest(%s::bigint[], %s::text[]) AS v(id, reason) WHERE l.id = v.id",
            [ids, reasons],
        )
    # Counted at approval, not paid now: the line that pays it later counts it.
    generation.months_uncount(ids)


def _not_to_insurer(batch: PayoutBatch) -> None:
    if batch.kind == BatchKind.ACCIDENT_INSURANCE:
        raise DomainError(
            _(
                "The accident insurance is paid to the insurer in one sum, not through a payment "
                "file to its people."
            )
        )


def _sha256(path_or_file) -> str:
    digest = hashlib.sha256()
    for block in iter(lambda: path_or_file.read(1024 * 1024), b""):
        digest.update(block)
    return digest.hexdigest()


def payout_file_issue(*, actor, batch_id: int, template_id: int) -> PaymentFile:
    """Issue an approved batch's payment file in a bank template: the lines the bank would
    refuse are held with the reason and left out (a month counted at approval is taken off the
    person again); the others are written, streamed, into private storage; the file's sha256,
    line count and total are kept on a ``PaymentFile``; the batch moves to ``file_issued``."""
    require_role(actor, ISSUE_PAYOUTS)
    stored = None
    try:
        with transaction.atomic():
            # Locked: the batch is issued once, and no line changes while its file is written.
            batch = _lock_batch(actor, batch_id)
            _not_to_insurer(batch)
            if batch.state != BatchState.APPROVED:
                raise DomainError(
                    _("This payout batch is %(state)s: only an approved one is issued to the bank.")
                    % {"state": batch.get_state_display()}
                )
            bank = (
                scope_queryset(actor, BankTemplate.objects.filter(active=True))
                .filter(pk=template_id)
                .first()
            )
            if bank is None:
                raise DomainError(_("Choose one of the county's bank templates in use."))
            template = FileTemplate.from_dict(bank.file_template)
            stopped = _stopped_lines(batch.pk)
            if stopped:
                _hold(stopped)
            if not batch.lines.filter(status=LineStatus.PENDING).exists():
                raise DomainError(
                    _("Every line of this payout batch would be refused by the bank: %(reasons)s")
                    % {"reasons": "；".join(reason for _id, reason in stopped[:5])}
                )
            # Checks every line's hash, and says who may issue.
            payout_batch_transition(
                actor=actor, batch_id=batch.pk, to=BatchState.FILE_ISSUED, by_bank_file=True
            )
            with tempfile.TemporaryFile() as out:
                totals = payment_file_write(template, _file_lines(batch), out)
                out.seek(0)
                sha256 = _sha256(out)
                out.seek(0)
                extension = "xlsx" if template.file_format == FileFormat.XLSX else "txt"
                stored = default_storage.save(
                    f"payout/files/{batch.region_code}/{batch.month:%Y%m}-{batch.kind}"
                    f"-{batch.sequence}-{batch.pk}.{extension}",
                    File(out),
                )
            issued = PaymentFile.objects.create(
                batch=batch,
                template=bank,
                file_template=bank.file_template,
                return_template=bank.return_template,
                created_by=actor,
                path=stored,
                sha256=sha256,
                lines=totals.count,
                total_fen=totals.total,
                stopped=len(stopped),
            )
            audit_record_many(
                actor=actor,
                changes=[
                    Change(
                        action=AuditAction.CREATE,
                        instance=issued,
                        changes={
                            "template": [None, bank.name],
                            "lines": [None, totals.count],
                            "total_fen": [None, totals.total],
                            "sha256": [None, sha256],
                            "stopped_lines": [None, [line_id for line_id, _r in stopped]],
                        },
                        note=_("Payment file issued."),
                    )
                ],
            )
            return issued
    except BaseException:
        if stored:  # the file of a transaction that did not commit
            default_storage.delete(stored)
        raise


# --- in the background (the pages) --------------------------------------------------------------


def _bank_job_start(actor, kind: str, batch: PayoutBatch, **job):
    """The batch's bank job of ``kind`` (``subsidies.payout.jobs``), started once this commits;
    a bank job of the batch already queued or running is the job returned, not a second one
    (the service's lock would make the second wait and refuse it anyway)."""
    from gongyi.jobs import job_start
    from gongyi.models import Job, JobStatus
    from subsidies.payout.jobs import BANK_JOBS

    running = (
        Job.objects.filter(
            kind__in=BANK_JOBS,
            params__batch=batch.pk,
            status__in=(JobStatus.QUEUED, JobStatus.RUNNING),
        )
        .defer("payload")
        .first()
    )
    if running is not None:
        return running
    params = {"batch": batch.pk, **job.pop("params", {})}
    return job_start(actor=actor, kind=kind, params=params, **job)


def _scoped_batch(actor, batch_id: int) -> PayoutBatch:
    batch = scope_queryset(actor, PayoutBatch.objects.filter(pk=batch_id)).first()
    if batch is None:
        raise DomainError(_("Not found, or outside your area."))
    return batch


def payout_file_issue_start(*, actor, batch_id: int, template_id: int):
    """Have the approved batch's payment file issued in the background (``payout_file_issue``
    run by the ``payout.issue`` job): the job. The role, the batch's state and the template are
    checked now, so that the page refuses at once what the job would."""
    from subsidies.payout.jobs import ISSUE

    require_role(actor, ISSUE_PAYOUTS)
    batch = _scoped_batch(actor, batch_id)
    _not_to_insurer(batch)
    if batch.state != BatchState.APPROVED:
        raise DomainError(
            _("This payout batch is %(state)s: only an approved one is issued to the bank.")
            % {"state": batch.get_state_display()}
        )
    in_use = scope_queryset(actor, BankTemplate.objects.filter(active=True, pk=template_id))
    if not in_use.exists():
        raise DomainError(_("Choose one of the county's bank templates in use."))
    return _bank_job_start(actor, ISSUE, batch, params={"template": template_id})


def payout_return_start(*, actor, batch_id: int, file, same_as_before: bool = False):
    """Have the bank's return read in the background (``payout_return_read`` run by the
    ``payout.return`` job, the file in its payload): the job. The role, the batch's state and
    the file's size are checked now; the problems of the file are the job's."""
    from subsidies.payout.jobs import READ_RETURN

    require_role(actor, READ_RETURNS)
    if file is None:
        raise DomainError(_("Choose the bank's return file."))
    batch = _scoped_batch(actor, batch_id)
    if batch.state != BatchState.FILE_ISSUED:
        raise DomainError(
            _(
                "This payout batch is %(state)s: the bank's return is read only while its "
                "payment file is with the bank."
            )
            % {"state": batch.get_state_display()}
        )
    data = file.read(RETURN_MAX_BYTES + 1)
    if len(data) > RETURN_MAX_BYTES:
        raise DomainError(_("The return file is larger than 50 MB."))
    return _bank_job_start(
        actor,
        READ_RETURN,
        batch,
        payload=data,
        file_name=getattr(file, "name", ""),
        params={"same_as_before": bool(same_as_before)},
    )


@dataclass(frozen=True)
class Download:
    payment_file: PaymentFile
    name: str
    content_type: str


def payment_file_download(*, actor, batch_id: int) -> Download:
    """The batch's payment file for a role that may read full ID and account numbers, checked
    against its sha256; the download is on the audit trail."""
    require_role(actor, DOWNLOAD_PAYMENT_FILES)
    issued = (
        scope_queryset(actor, PaymentFile.objects.select_related("batch"))
        .filter(batch_id=batch_id)
        .first()
    )
    if issued is None:
        raise DomainError(_("This payout batch has no payment file."))
    with default_storage.open(issued.path, "rb") as stored:
        if _sha256(stored) != issued.sha256:
            raise DomainError(
                _(
                    "The stored payment file is not the one issued (its sha256 differs): it is "
                    "not given out. Tell the system administrator."
                )
            )
    audit_record_many(
        actor=actor,
        changes=[
            Change(
                action=AuditAction.EXPORT,
                instance=issued,
                region_code=issued.batch.region_code,
                note=_("Payment file downloaded: %(n)s lines, full ID and account numbers")
                % {"n": issued.lines},
            )
        ],
    )
    batch = issued.batch
    extension = issued.path.rsplit(".", 1)[-1]
    content_type = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if extension == "xlsx"
        else "text/plain"
    )
    return Download(
        issued, f"代发-{batch.region_code}-{batch.month:%Y%m}-{batch.pk}.{extension}", content_type
    )


# --- the bank's return --------------------------------------------------------------------------


class ReturnRefused(DomainError):
    """The return was not read: ``problems``, each a message naming its row or line."""

    def __init__(self, message: str, problems: list[str]):
        super().__init__(message)
        self.problems = problems


@dataclass
class ReturnDone:
    batch: PayoutBatch
    paid: int = 0
    failed: int = 0
    paid_fen: int = 0
    failed_fen: int = 0
    fixes: list[int] = field(default_factory=list)


def _read_before(actor, read_before: PaymentFile) -> DomainError:
    """The refusal of a return already read for another batch: which one, where the reader may
    see it."""
    if not scope_queryset(actor, PaymentFile.objects.filter(pk=read_before.pk)).exists():
        return DomainError(
            _(
                "This file has already been read as the bank's return of another payout batch: a "
                "return is read once, for its own batch. Ask the bank for this batch's return; "
                "if this batch's return really is the same file byte for byte, tick “the same "
                "as an earlier return” and read it again."
            )
        )
    return DomainError(
        _(
            "This file has already been read as the bank's return of payout batch %(batch)s "
            "(%(month)s): a return is read once, for its own batch. Ask the bank for this "
            "batch's return; if this batch's return really is the same file byte for byte, "
            "tick “the same as an earlier return” and read it again."
        )
        % {
            "batch": payout_reference(read_before.batch_id),
            "month": date_format(read_before.batch.month, "YEAR_MONTH_FORMAT"),
        }
    )


def payout_return_read(*, actor, batch_id: int, file, same_as_before: bool = False) -> ReturnDone:
    """Read the bank's return of a batch whose payment file is issued, by the template the file
    was written with, and match it to the lines the file held. Anything the match reports —
    unknown rows, duplicates, changed amounts, lines not returned, another batch's file, a file
    in another encoding — refuses it with every problem, and nothing changes. Otherwise every
    line is paid or failed with the bank's reason, a failed line's month is taken off the
    person, an account fix is opened for it, and the batch moves to ``returned``."""
    require_role(actor, READ_RETURNS)
    data = file if isinstance(file, bytes) else file.read(RETURN_MAX_BYTES + 1)
    if len(data) > RETURN_MAX_BYTES:
        raise DomainError(_("The return file is larger than 50 MB."))
    with transaction.atomic():
        # Locked: of two uploads of the return at once, the second waits and finds the batch
        # returned, so no line is settled twice.
        batch = _lock_batch(actor, batch_id)
        if batch.state != BatchState.FILE_ISSUED:
            raise DomainError(
                _(
                    "This payout batch is %(state)s: the bank's return is read only while its "
                    "payment file is with the bank."
                )
                % {"state": batch.get_state_display()}
            )
        issued = PaymentFile.objects.get(batch=batch)
        sha256 = hashlib.sha256(data).hexdigest()
        read_before = (
            PaymentFile.objects.filter(return_sha256=sha256).select_related("batch").first()
        )
        if read_before is not None and not same_as_before:
            raise _read_before(actor, read_before)
        template = ReturnTemplate.from_dict(issued.return_template)
        read = return_file_read(template, data)
        lines = {
            pk: (id_number, account, amount, name)
            for pk, id_number, account, amount, name in batch.lines.filter(
                status=LineStatus.PENDING
            ).values_list("id", "id_number", "account_number", "amount_fen", "person_name")
        }
        result = return_match(
            {pk: v[:3] for pk, v in lines.items()}, read.rows, payout_reference(batch.pk)
        )
        problems = [str(e) for e in read.errors]
        if result.other_batch:
            problems.insert(0, result.other_batch)
        else:
            for problem in result.problems:
                if problem.row is None:
                    problems.append(
                        _("%(name)s (ID number ending %(end)s): %(message)s")
                        % {
                            "name": lines[problem.line_id][3],
                            "end": lines[problem.line_id][0][-4:],
                            "message": problem.message,
                        }
                    )
                else:
                    problems.append(problem.message)
        if problems:
            raise ReturnRefused(
                _(
                    "The bank's return is not read: %(n)s problems, listed below. Nothing has "
                    "changed; ask the bank for a corrected file."
                )
                % {"n": len(problems)},
                problems,
            )
        done = ReturnDone(batch)
        ids, statuses, reasons, words = [], [], [], []
        for outcome in result.outcomes:
            paid = outcome.result == BankResult.PAID
            ids.append(outcome.line_id)
            statuses.append(LineStatus.PAID if paid else LineStatus.FAILED)
            reasons.append("" if paid else str(outcome.reason))
            words.append("" if paid else outcome.reason_text[:200])
            amount = lines[outcome.line_id][2]
            if paid:
                done.paid, done.paid_fen = done.paid + 1, done.paid_fen + amount
            else:
                done.failed, done.failed_fen = done.failed + 1, done.failed_fen + amount
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE payout_payoutline l SET status = v.status, bank_reason = v.reason,"
                " bank_reason_text = v.words"
                " FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[])"
                " AS v(id, status, reason, words) WHERE l.id = v.id",
                [ids, [str(s) for s in statuses], reasons, words],
            )
        failed = [i for i, s in zip(ids, statuses, strict=True) if s == LineStatus.FAILED]
        if failed:
            # Counted at approval, not paid: the follow-up line that pays it counts it.
            generation.months_uncount(failed)
            fixes = AccountFix.objects.bulk_create(
                AccountFix(
                    line_id=line.pk,
                    person_id=line.person_id,
                    region_code=line.region_code,
                    reason=line.bank_reason,
                    reason_text=line.bank_reason_text,
                )
                for line in PayoutLine.objects.filter(pk__in=failed).order_by("id")
            )
            done.fixes = [f.pk for f in fixes]
        issued.return_sha256 = sha256
        issued.returned_by = actor
        issued.save(update_fields=["return_sha256", "returned_by"])
        done.batch = payout_batch_transition(
            actor=actor, batch_id=batch.pk, to=BatchState.RETURNED, by_bank_file=True
        )
        audit_record_many(
            actor=actor,
            changes=[
                Change(
                    action=AuditAction.IMPORT,
                    instance=batch,
                    region_code=batch.region_code,
                    changes={
                        "paid": [None, done.paid],
                        "paid_fen": [None, done.paid_fen],
                        "failed": [None, done.failed],
                        "failed_fen": [None, done.failed_fen],
                        "failed_lines": [None, failed],
                        "return_sha256": [None, issued.return_sha256],
                        # Read though byte for byte an earlier batch's: the reader said so.
                        "same_as_batch": [
                            None,
                            payout_reference(read_before.batch_id) if read_before else None,
                        ],
                    },
                    note=_("The bank's return read."),
                )
            ],
        )
        return done
