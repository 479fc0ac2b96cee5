"""The demo's external datasets (``seed_demo``; docs/policy.md §8): one small list of each kind for
the demo county, uploaded through ``dataset_upload`` by whoever keeps the kind (the deaths by the
civil-affairs reviewer, the business licences by the market-regulation reviewer, the rest by the
county HR bureau) and loaded by their background jobs, so that each is a real dated version; then
the county's match, which makes the findings.

Each list holds one hit against a person on a post (a different person for each kind) and rows
that are no hit: people who are not on a post, and for the contributions and the business
licences a row of a person on a post that ended or was cancelled before the placement began (the
kind's rule says it is no hit). Run again, it adds nothing: the lists are uploaded once.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audits.datasets.enums import DatasetKind, DatasetStatus, FindingState
from audits.datasets.findings import finding_transition
from audits.datasets.kinds import TEMPLATES
from audits.datasets.services import dataset_match_start, dataset_upload
from audits.models import DatasetVersion, ExpiryWarning, Finding
from audits.warnings.enums import WarningKind
from gongyi.demo import DemoStep, register_demo_step
from gongyi.enums import Department, Role
from gongyi.jobs import job_execute
from gongyi.models import Region, User
from people.idnumbers import check_character
from people.models import Placement
from subsidies.payout.enums import MONTHLY_KINDS, LineStatus
from subsidies.payout.models import PayoutLine

K = DatasetKind
#: The order of the hits: the kind of the first person on a post hit, the second's…
HIT_KINDS = (
    K.DEATHS,
    K.RETIREMENT_BENEFITS,
    K.CONTRIBUTIONS,
    K.BUSINESS_LICENCES,
    K.FISCAL_PAYROLL,
)
#: Kind → the department whose reviewer uploads it in the demo (else the county HR bureau).
UPLOADERS = {K.DEATHS: Department.CIVIL_AFFAIRS, K.BUSINESS_LICENCES: Department.MARKET_REGULATION}
#: Kind → the demo file's name.
FILE_NAMES = {
    K.DEATHS: "民政局火化人员名单（示例）.csv",
    K.RETIREMENT_BENEFITS: "社保局养老待遇领取人员（示例）.csv",
    K.CONTRIBUTIONS: "社保局企业职工参保缴费人员（示例）.csv",
    K.BUSINESS_LICENCES: "市场监管局市场主体登记（示例）.csv",
    K.FISCAL_PAYROLL: "财政局财政供养人员（示例）.csv",
}
#: Kind → the township's decision on its finding: the moves, in order, and the note of the last.
DECISIONS = {
    K.DEATHS: (
        (FindingState.INVESTIGATING, FindingState.CONFIRMED),
        "村委会入户核实，本人已去世，家属提供火化证明",
    ),
    K.RETIREMENT_BENEFITS: ((FindingState.INVESTIGATING,), ""),
    K.CONTRIBUTIONS: (
        (FindingState.DISMISSED,),
        "经核实，系原单位误报参保信息，本人一直在岗履职，社保局已更正",
    ),
}
#: People on nobody's post: (ID number's birth date and order code, name).
OTHERS = (("19580312041", "韩立新"), ("19620907052", "孙桂芝"))


def other_id(birth_and_order: str, county: Region) -> str:
    first17 = county.code + birth_and_order
    return first17 + check_character(first17)


def _month(day: dt.date) -> str:
    return f"{day:%Y-%m}"


def _rows(kind: str, hit, early, county: Region, today: dt.date) -> list[list[str]]:
    """The list's rows after its header: the hit on ``hit`` (a placement), the rows that are no
    hit (people on nobody's post; for two kinds ``early``, a placement, with a row that ended
    before it began)."""
    person, began = hit.person, hit.start_date
    since = max(began, today - dt.timedelta(days=40))
    others = [(other_id(code, county), name) for code, name in OTHERS]
    if kind == K.DEATHS:
        died = death_day(hit) or since
        rows = [[person.id_number, person.name, f"{died:%Y-%m-%d}"]]
        rows += [[number, name, "2025-03-18"] for number, name in others]
    elif kind == K.RETIREMENT_BENEFITS:
        rows = [[person.id_number, person.name, _month(since)]]
        rows += [[number, name, "2024-01"] for number, name in others]
    elif kind == K.CONTRIBUTIONS:
        rows = [[person.id_number, person.name, "泰安市东岳建材有限公司", _month(since), ""]]
        rows += [
            [number, name, "泰安泰山物业服务有限公司", "2023-05", ""] for number, name in others
        ]
        if early is not None:
            ended = early.start_date.replace(day=1) - dt.timedelta(days=1)
            rows.append(
                [
                    early.person.id_number,
                    early.person.name,
                    "泰山区某商贸公司",
                    "2019-01",
                    _month(ended),
                ]
            )
    elif kind == K.BUSINESS_LICENCES:
        rows = [
            [
                person.id_number,
                person.name,
                "92370902MA3DEMO01X",
                f"泰山区{person.name}便利店",
                f"{since:%Y-%m-%d}",
                "",
            ]
        ]
        rows += [
            [number, name, f"92370902MA3DEMO0{i}Y", f"泰山区{name}小吃部", "2022-06-01", ""]
            for i, (number, name) in enumerate(others, start=2)
        ]
        if early is not None:
            cancelled = early.start_date - dt.timedelta(days=40)
            rows.append(
                [
                    early.person.id_number,
                    early.person.name,
                    "92370902MA3DEMO09Z",
                    f"泰山区{early.person.name}修理部",
                    "2018-04-02",
                    f"{cancelled:%Y-%m-%d}",
                ]
            )
    else:
        rows = [[person.id_number, person.name, "泰山区某街道办事处", f"{since:%Y-%m-%d}"]]
        rows += [[number, name, "泰安市某事业单位", "2015-09-01"] for number, name in others]
    return rows


def death_day(placement: Placement) -> dt.date | None:
    """The demo's death: the 10th of the placement's newest paid month, when it began before
    it — so that the confirmation's exit has a debt (what was paid after the day before)."""
    month = PayoutLine.objects.filter(
        placement=placement, status=LineStatus.PAID, batch__kind__in=MONTHLY_KINDS
    ).aggregate(month=Max("month"))["month"]
    if month is None or month.replace(day=10) <= placement.start_date:
        return None
    return month.replace(day=10)


def demo_death_placement(county: Region, chosen: set[int]) -> Placement | None:
    """An open placement with a paid month it began before (its ``death_day``), of a person on
    none of the other lists and whose subsidy period the warnings' demo did not make end soon."""
    warned = ExpiryWarning.objects.filter(
        region_code__startswith=county.code, kind=WarningKind.SUBSIDY_END
    ).values("person_id")
    lines = (
        PayoutLine.objects.filter(
            region_code__startswith=county.code,
            status=LineStatus.PAID,
            batch__kind__in=MONTHLY_KINDS,
            placement__end_date__isnull=True,
        )
        .exclude(person_id__in=warned)
        .exclude(person_id__in=chosen)
        .select_related("placement__person")
        .order_by("-month", "-placement_id")
    )
    for line in lines[:50]:
        if death_day(line.placement) is not None:
            return line.placement
    return None


def _csv(kind: str, rows: list[list[str]]) -> SimpleUploadedFile:
    header = [field.header for field in TEMPLATES[kind]]
    text = "\r\n".join(",".join(row) for row in [header, *rows]) + "\r\n"
    return SimpleUploadedFile(FILE_NAMES[kind], text.encode("utf-8"), content_type="text/csv")


def demo_hit_placements(county: Region, today: dt.date) -> list[Placement]:
    """The open placements the lists hit, one per kind of ``HIT_KINDS`` and one more for the
    rows that are no hit: the newest of the county's begun a month and a half ago or earlier
    (the facts begin after them), one per person, none whose subsidy period the warnings' demo
    made end soon."""
    warned = ExpiryWarning.objects.filter(
        region_code__startswith=county.code, kind=WarningKind.SUBSIDY_END
    ).values("person_id")
    chosen: list[Placement] = []
    seen: set[int] = set()
    for placement in (
        Placement.objects.filter(
            region_code__startswith=county.code,
            end_date__isnull=True,
            start_date__lte=today - dt.timedelta(days=45),
        )
        .exclude(person_id__in=warned)
        .select_related("person")
        .order_by("-start_date", "-pk")
    ):
        if placement.person_id in seen:
            continue
        seen.add(placement.person_id)
        chosen.append(placement)
        if len(chosen) == len(HIT_KINDS) + 1:
            break
    return chosen


def decide_findings(*, county: Region, today: dt.date) -> None:
    """Each finding of a kind in ``DECISIONS`` still new moved by its township's clerk (the
    confirmation with who decided and when, as the township records it)."""
    clerks = {
        u.region.code: u
        for u in User.objects.filter(
            role=Role.CLERK, region__code__startswith=county.code, is_active=True
        ).select_related("region")
    }
    findings = Finding.objects.filter(
        region_code__startswith=county.code, state=FindingState.NEW, kind__in=DECISIONS
    ).order_by("pk")
    for finding in findings:
        clerk = clerks.get(finding.region_code[:9])
        if clerk is None:
            continue
        moves, note = DECISIONS[finding.kind]
        for to in moves:
            finding_transition(
                actor=clerk,
                finding_id=finding.pk,
                to=to,
                note=note if to != FindingState.INVESTIGATING else "",
                decided_by=f"{clerk.region.name}人民政府",
                decided_on=today,
                today=today,
            )


def seed_datasets(*, county: Region, options: dict, stdout) -> None:
    versions = DatasetVersion.objects.filter(region_code=county.code)
    if not versions.exists():
        today = timezone.localdate()
        users = User.objects.filter(region=county, is_active=True).order_by("pk")
        head = users.filter(role=Role.COUNTY).first()
        placements = demo_hit_placements(county, today)
        if head is not None and len(placements) > len(HIT_KINDS):
            early = placements[len(HIT_KINDS)]
            # The death on a placement with a paid month after it, when there is one.
            dead = demo_death_placement(county, {p.person_id for p in placements})
            if dead is not None:
                placements[0] = dead
            with transaction.atomic():
                for kind, hit in zip(HIT_KINDS, placements, strict=False):
                    department = UPLOADERS.get(kind)
                    actor = (
                        users.filter(role=Role.REVIEWER, department=department).first()
                        if department
                        else None
                    ) or head
                    version = dataset_upload(
                        actor=actor,
                        kind=kind,
                        upload=_csv(kind, _rows(kind, hit, early, county, today)),
                        as_of=today - dt.timedelta(days=3),
                    )
                    # The load's job runs here (a worker given it afterwards finds it done).
                    job_execute(version.job_id)
                    version.refresh_from_db()
                    if version.status != DatasetStatus.LOADED:
                        raise RuntimeError(
                            f"demo {kind} list refused: {version.error} {version.errors}"
                        )
                job_execute(dataset_match_start(actor=head).pk)
                decide_findings(county=county, today=today)
    stdout.write(
        _("Demo datasets: %(n)s lists loaded in %(county)s, %(f)s findings.")
        % {
            "n": versions.filter(status=DatasetStatus.LOADED).count(),
            "county": county.name,
            "f": Finding.objects.filter(region_code__startswith=county.code).count(),
        }
    )


register_demo_step(DemoStep("datasets", seed_datasets))
