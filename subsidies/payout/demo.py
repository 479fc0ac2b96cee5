"""The demo county's payout (``seed_demo``; docs/policy.md §7, "How gongyi pays" and "How gongyi
pays the bank"), after the attendance step has closed its months.

Every township's closed months are paid, urban and rural posts in batches of their own, one
month in each state: the newest month (its sheets not all closed yet) is being prepared, with a
line held for a cross-check finding; the month before is submitted; the one before approved by
the county; the one before that has its payment file issued in the shared bank template, with a
line stopped for a malformed account; the one before that has the bank's return read, in one
township with two failed lines, one of them fixed by the township and paid in a follow-up batch;
older months are closed. The people on posts without a card account get one first, but one whose
account was mistyped in the old roster.

Every move goes through the payout's services with the demo's users (the township's clerk
prepares and submits, ``county`` approves, issues and closes, ``finance`` reads the bank's
return), and the bank's return is a file written by ``subsidies.bankfiles`` and read through
``payout_return_read``. Run again, it adds nothing.

The year's insurance (docs/policy.md §7, "Insurance"), one batch of each kind in one township:
the accident insurance of the year, at the default premium, approved and its premium paid to
the insurer; the social-insurance subsidy of the last year
whose December has begun, for every other person on the township's urban posts with it
recorded as insured as a flexible worker, submitted for the county's approval.
"""

from __future__ import annotations

import datetime as dt
import io
import random

from django.db import transaction
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from gongyi.audit import Change, audit_record_many
from gongyi.demo import DemoStep, register_demo_step
from gongyi.enums import AuditAction, Role
from gongyi.models import Region, User
from people.models import Person
from subsidies.attendance.enums import SheetState
from subsidies.attendance.models import AttendanceMonth
from subsidies.bankfiles import (
    Field,
    FileTemplate,
    ReturnField,
    ReturnTemplate,
    TemplateColumn,
    payment_file_write,
)
from subsidies.bankfiles.templates import ControlPlace
from subsidies.payout.enums import YEARLY_KINDS, BatchKind, BatchState, LineStatus
from subsidies.payout.models import BankTemplate, PaymentFile, PayoutBatch
from subsidies.payout.services import (
    accident_premium_pay,
    account_fix_complete,
    bank_template_save,
    flexible_insurance_record,
    payout_batch_generate,
    payout_batch_open,
    payout_batch_transition,
    payout_file_issue,
    payout_line_hold,
    payout_return_read,
)

B = BatchState
SEED = "gongyi-demo-payout"
NOTE = "seed_demo: 补录惠民惠农一卡通账户"
#: The shared default bank template (migration payout 0003): the newest issued month's file.
SHARED_TEMPLATE = "通用模板（xlsx）"
#: The county's own template for its bank, a GBK text file as most banks' systems take: the
#: older months' files (and a text file is quicker to write and read than an xlsx one).
COUNTY_TEMPLATE = {
    "name": "泰山农商银行（文本）",
    "bank_name": "山东泰山农村商业银行",
    "file_template": {
        "columns": [
            {"field": "name", "header": "户名"},
            {"field": "account_number", "header": "账号"},
            {"field": "amount", "header": "金额"},
            {"field": "id_number", "header": "证件号码"},
            {"field": "item", "header": "摘要"},
            {"field": "period", "header": "所属期"},
            {"field": "remark", "header": "附言"},
        ],
        "file_format": "text",
        "delimiter": "|",
        "encoding": "gbk",
        "amount_format": "yuan",
        "period_format": "%Y年%m月",
        "control": "last_line",
        "control_prefix": ["合计"],
    },
    "return_template": {
        "columns": [
            {"field": "name", "header": "户名"},
            {"field": "account_number", "header": "账号"},
            {"field": "amount", "header": "金额"},
            {"field": "id_number", "header": "证件号码"},
            {"field": "status", "header": "结果"},
            {"field": "reason", "header": "原因"},
            # The bank echoes the remark: the batch's reference (docs/policy.md §7).
            {"field": "remark", "header": "附言"},
        ],
        "file_format": "text",
        "delimiter": "|",
        "encoding": "gbk",
        "amount_format": "yuan",
        "paid_words": ["成功"],
        "failed_words": ["失败"],
    },
}
#: The closed months' states, newest month first; the older months are closed.
SCHEDULE = (B.DRAFT, B.SUBMITTED, B.APPROVED, B.FILE_ISSUED, B.RETURNED)
BANKS = ("中国农业银行泰安泰山支行", "山东泰山农村商业银行", "中国邮政储蓄银行泰安市分行")
#: A card number mistyped in the old roster (a letter O for a nought): stopped at issue.
BAD_ACCOUNT = "62170O1234567890123"
HELD_REASON = "交叉核查：与市场监管登记信息比对，疑似本人名下有个体工商户，待乡镇核实"
#: The bank's words for the two failed lines; the first is fixed with a new account.
FAILURES = ("账户不存在", "户名不符")
FIXED_ACCOUNT = "6228480123456789012"


def _paid_months(county: Region) -> dict[dt.date, list[tuple[str, str]]]:
    """Month → the (township, kind) that have people on closed sheets in it."""
    rows = (
        AttendanceMonth.objects.filter(
            region_code__startswith=county.code, sheet__state=SheetState.CLOSED
        )
        .annotate(township=Substr("region_code", 1, 9))
        .values_list("month", "township", "placement__post__area_kind")
        .distinct()
        .order_by("month", "township", "placement__post__area_kind")
    )
    months: dict[dt.date, list[tuple[str, str]]] = {}
    for month, township, kind in rows:
        months.setdefault(month, []).append((township, kind))
    return months


def _first_month_placement(county: Region, month: dt.date) -> int | None:
    """The person of a placement whose first closed month is ``month`` (so that its bad account
    stops a line first in that month's payment file), in a batch with other lines to pay; or
    of any placement of ``month`` in such a batch."""
    closed = AttendanceMonth.objects.filter(
        region_code__startswith=county.code, sheet__state=SheetState.CLOSED, month=month
    )
    rows = list(
        closed.annotate(township=Substr("region_code", 1, 9))
        .order_by("pk")
        .values_list(
            "placement_id", "placement__person_id", "township", "placement__post__area_kind"
        )
    )
    per_batch: dict[tuple[str, str], int] = {}
    for _placement, _person, township, kind in rows:
        per_batch[township, kind] = per_batch.get((township, kind), 0) + 1
    earlier = set(
        AttendanceMonth.objects.filter(
            region_code__startswith=county.code, sheet__state=SheetState.CLOSED, month__lt=month
        ).values_list("placement_id", flat=True)
    )
    shared = [r for r in rows if per_batch[r[2], r[3]] > 1]
    shared.sort(key=lambda r: r[0] in earlier)  # those paid before this month last
    return shared[0][1] if shared else None


def _accounts(county: Region, clerks: dict[str, User], rng: random.Random, bad: int | None) -> int:
    """A card account for each of the county's people who has none (as the township enters
    them from the bank's list), and the mistyped one; one audit entry a person."""
    people = list(
        Person.objects.filter(region_code__startswith=county.code)
        .filter(account_number="")
        .order_by("pk")
    )
    if bad is not None:
        people += list(Person.objects.filter(pk=bad).exclude(account_number=BAD_ACCOUNT))
    by_township: dict[str, list[Change]] = {}
    for person in people:
        before = (person.account_number, person.bank_name)
        if person.pk == bad:
            person.account_number = BAD_ACCOUNT
        else:
            person.account_number = f"6217{rng.randrange(10**15):015d}"
        person.bank_name = person.bank_name or rng.choice(BANKS)
        by_township.setdefault(person.region_code[:9], []).append(
            Change(
                AuditAction.UPDATE,
                person,
                {
                    "account_number": [before[0], person.account_number],
                    "bank_name": [before[1], person.bank_name],
                },
                note=NOTE,
            )
        )
    Person.objects.bulk_update(people, ["account_number", "bank_name"])
    for township, changes in by_township.items():
        audit_record_many(actor=clerks.get(township), changes=changes)
    return len(people)


def _return_file(issued: PaymentFile, failures: dict[int, str]) -> bytes:
    """The bank's return of ``issued`` as the bank writes it, in the return template the file was
    issued with: each line paid, or failed with the bank's words for those in ``failures``.
    Written by the library's payment-file writer, its columns the return's headers (the result
    in the remark's place, the reason in the item's)."""
    template = ReturnTemplate.from_dict(issued.return_template)
    as_field = {
        ReturnField.NAME: Field.NAME,
        ReturnField.ID_NUMBER: Field.ID_NUMBER,
        ReturnField.ACCOUNT_NUMBER: Field.ACCOUNT_NUMBER,
        ReturnField.AMOUNT: Field.AMOUNT,
        ReturnField.STATUS: Field.REMARK,
        ReturnField.REASON: Field.ITEM,
        ReturnField.REMARK: Field.BANK,  # the bank echoes the remark: the batch's reference
    }
    writer = FileTemplate(
        columns=tuple(TemplateColumn(as_field[c.field], c.header) for c in template.columns),
        file_format=template.file_format,
        delimiter=template.delimiter,
        encoding=template.encoding,
        amount_format=template.amount_format,
        control=ControlPlace.NONE,
    )
    lines = issued.batch.lines.filter(status=LineStatus.PENDING).order_by("pk")
    out = io.BytesIO()
    payment_file_write(
        writer,
        (
            {
                Field.NAME: line.person_name,
                Field.ID_NUMBER: line.id_number,
                Field.ACCOUNT_NUMBER: line.account_number,
                Field.AMOUNT: line.amount_fen,
                Field.REMARK: template.failed_words[0]
                if line.pk in failures
                else template.paid_words[0],
                Field.ITEM: failures.get(line.pk, ""),
                Field.BANK: issued.batch.reference,
            }
            for line in lines
        ),
        out,
    )
    return out.getvalue()


class Demo:
    """The demo's actors and the shared template, and each batch's way to its state."""

    def __init__(self, county: Region):
        users = User.objects.filter(region__code__startswith=county.code).order_by("pk")
        self.clerks = {
            u.region.code: u for u in users.filter(role=Role.CLERK).select_related("region")
        }
        self.county = users.filter(role=Role.COUNTY, region=county).first()
        self.finance = users.filter(role=Role.FINANCE, region=county).first()
        self.shared = BankTemplate.objects.get(county=None, name=SHARED_TEMPLATE)
        self.own = BankTemplate.objects.filter(
            county=county, name=COUNTY_TEMPLATE["name"]
        ).first() or bank_template_save(actor=self.county, **COUNTY_TEMPLATE)
        self.failed_once = False
        self.held_once = False

    def issue(self, batch: PayoutBatch, *, shared: bool) -> PaymentFile:
        template = self.shared if shared else self.own
        return payout_file_issue(actor=self.county, batch_id=batch.pk, template_id=template.pk)

    def returned(self, issued: PaymentFile, failures: dict[int, str]) -> None:
        payout_return_read(
            actor=self.finance, batch_id=issued.batch_id, file=_return_file(issued, failures)
        )

    def pay(self, batch: PayoutBatch, to: str) -> None:
        """Move ``batch`` (generated, in draft) on to ``to``."""
        clerk = self.clerks[batch.region_code]
        if to == B.DRAFT:
            if not self.held_once:
                line = batch.lines.filter(status=LineStatus.PENDING).order_by("-pk").first()
                payout_line_hold(actor=clerk, line_id=line.pk, reason=HELD_REASON)
                self.held_once = True
            return
        payout_batch_transition(actor=clerk, batch_id=batch.pk, to=B.SUBMITTED)
        if to == B.SUBMITTED:
            return
        payout_batch_transition(actor=self.county, batch_id=batch.pk, to=B.APPROVED)
        if to == B.APPROVED:
            return
        issued = self.issue(batch, shared=to == B.FILE_ISSUED)
        if to == B.FILE_ISSUED:
            return
        failures = {}
        if to == B.RETURNED and not self.failed_once:
            lines = batch.lines.filter(status=LineStatus.PENDING).order_by("pk")[:2]
            failures = dict(zip([line.pk for line in lines], FAILURES, strict=False))
            self.failed_once = len(failures) == len(FAILURES)
        self.returned(issued, failures)
        if failures:
            self.follow_up(clerk, issued, next(iter(failures)))
        if to == B.CLOSED:
            payout_batch_transition(actor=self.county, batch_id=batch.pk, to=B.CLOSED)

    def follow_up(self, clerk: User, issued: PaymentFile, line_id: int) -> None:
        """The township fixes the first failed line's account; the follow-up batch that pays it
        goes the whole way, approved, issued, returned paid and closed."""
        fix = issued.batch.lines.get(pk=line_id).account_fix
        fix = account_fix_complete(
            actor=clerk, fix_id=fix.pk, account_number=FIXED_ACCOUNT, bank_name=BANKS[0]
        )
        follow_up = fix.follow_up.batch
        payout_batch_transition(actor=clerk, batch_id=follow_up.pk, to=B.SUBMITTED)
        payout_batch_transition(actor=self.county, batch_id=follow_up.pk, to=B.APPROVED)
        self.returned(self.issue(follow_up, shared=False), {})
        payout_batch_transition(actor=self.county, batch_id=follow_up.pk, to=B.CLOSED)


FLEXIBLE_EVIDENCE = "灵活就业缴费凭证（示例）"


def seed_insurance(county: Region, demo: Demo) -> int:
    """One insurance batch of each kind in the first township that has people for it: the
    batches made."""
    from django.utils import timezone

    from people.models import Placement

    today = timezone.localdate()
    social_year = today.year if today.month == 12 else today.year - 1
    # The premium is the setting's default: a setting row of the demo's would put its key on
    # the audit and admin pages.
    made = 0
    for code, clerk in sorted(demo.clerks.items()):
        urban = Placement.objects.filter(
            region_code__startswith=code,
            post__area_kind="urban",
            post__insurance_kind="social_insurance_subsidy",
            start_date__lte=dt.date(social_year, 12, 31),
        ).exclude(end_date__lt=dt.date(social_year, 1, 1))
        flexible = list(urban.order_by("pk").values_list("pk", flat=True)[::2])
        if not flexible:
            continue
        for placement_id in flexible:
            flexible_insurance_record(
                actor=clerk, placement_id=placement_id, year=social_year, evidence=FLEXIBLE_EVIDENCE
            )
        social = payout_batch_open(
            actor=clerk, month=dt.date(social_year, 12, 1), kind=BatchKind.SOCIAL_INSURANCE
        )
        payout_batch_generate(actor=clerk, batch_id=social.pk)
        payout_batch_transition(actor=clerk, batch_id=social.pk, to=B.SUBMITTED)
        accident = payout_batch_open(
            actor=clerk, month=today.replace(day=1), kind=BatchKind.ACCIDENT_INSURANCE
        )
        if payout_batch_generate(actor=clerk, batch_id=accident.pk).made.lines:
            payout_batch_transition(actor=clerk, batch_id=accident.pk, to=B.SUBMITTED)
            payout_batch_transition(actor=demo.county, batch_id=accident.pk, to=B.APPROVED)
            accident_premium_pay(actor=demo.county, batch_id=accident.pk)
        return made + 2
    return made


def seed_payout(*, county: Region, options: dict, stdout) -> None:
    batches = PayoutBatch.objects.filter(region_code__startswith=county.code)
    insured = batches.filter(kind__in=YEARLY_KINDS).exists()
    made = 0
    accounts = 0
    if not batches.exists():
        months = _paid_months(county)
        newest_first = sorted(months, reverse=True)
        states = dict(zip(newest_first, SCHEDULE, strict=False))
        issued_month = next((m for m, s in states.items() if s == B.FILE_ISSUED), None)
        rng = random.Random(SEED)
        with transaction.atomic():
            demo = Demo(county)
            bad = _first_month_placement(county, issued_month) if issued_month else None
            accounts = _accounts(county, demo.clerks, rng, bad)
            # Oldest month first, as the months were paid.
            for month in sorted(months):
                for township, kind in months[month]:
                    clerk = demo.clerks.get(township)
                    if clerk is None:
                        continue
                    batch = payout_batch_open(actor=clerk, month=month, kind=kind)
                    generated = payout_batch_generate(actor=clerk, batch_id=batch.pk)
                    if not generated.made.lines:
                        continue
                    demo.pay(batch, states.get(month, B.CLOSED))
                    made += 1
    if not insured:
        with transaction.atomic():
            made += seed_insurance(county, Demo(county))
    by_state = dict.fromkeys(B.values, 0)
    for state in batches.values_list("state", flat=True):
        by_state[state] += 1
    stdout.write(
        _(
            "Demo payout: %(made)s payout batches made, %(accounts)s card accounts entered; "
            "%(batches)s payout batches in %(county)s (%(states)s)."
        )
        % {
            "made": made,
            "accounts": accounts,
            "batches": sum(by_state.values()),
            "county": county.name,
            "states": "、".join(f"{B(state).label} {n}" for state, n in by_state.items() if n),
        }
    )


register_demo_step(DemoStep("payout", seed_payout))
