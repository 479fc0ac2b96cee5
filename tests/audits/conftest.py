import datetime as dt
import io
from dataclasses import dataclass

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audits.datasets.enums import DatasetKind
from audits.datasets.services import dataset_upload
from audits.models import DatasetVersion
from gongyi.enums import Role
from gongyi.jobs import job_execute
from people.models import Placement
from posts.models import Post
from subsidies.attendance.enums import SheetState
from subsidies.attendance.models import AttendanceSheet
from subsidies.payout.enums import BatchState, LineStatus
from subsidies.payout.models import PayoutLine
from tests.factories import PayoutBatchFactory, PayoutLineFactory, PlacementFactory, PostFactory
from tests.factories.attendance import AttendanceMonthFactory

AS_OF = dt.date(2026, 11, 30)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def csv_file(rows: list[list[str]], *, encoding: str = "utf-8", name: str = "list.csv"):
    text = "\r\n".join(",".join(r) for r in rows) + "\r\n"
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_file(rows: list[list], *, name: str = "list.xlsx"):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def upload_and_load(actor, upload, *, kind=DatasetKind.DEATHS, as_of=AS_OF) -> DatasetVersion:
    """Upload through the service and run its background job here (no worker in these tests)."""
    version = dataset_upload(actor=actor, kind=kind, upload=upload, as_of=as_of)
    job_execute(version.job_id)
    version.refresh_from_db()
    return version


SEP, OCT, NOV, DEC = (dt.date(2026, m, 1) for m in (9, 10, 11, 12))
#: "Today" in these tests: the exits are recorded on it.
TODAY = dt.date(2026, 12, 7)


@dataclass
class Paid:
    """甲社区's person on a 2,100.00 post from 2026-04-01 (one of the post's two places): September,
    October and November paid in full (22, 22 and 21 working days, weekdays), December's line
    waiting in a batch being prepared, December's attendance open."""

    placement: Placement
    post: Post
    lines: dict[dt.date, PayoutLine]
    december_row: object
    january_row: object


def _closed_row(placement, month):
    sheet, _ = AttendanceSheet.objects.get_or_create(region_code=placement.region_code, month=month)
    AttendanceSheet.objects.filter(pk=sheet.pk).update(state=SheetState.CLOSED)
    return AttendanceMonthFactory(placement=placement, month=month, sheet=sheet)


@pytest.fixture
def clerk(users):
    return users[Role.CLERK]


@pytest.fixture
def paid(area) -> Paid:
    post = PostFactory(village=area.village, headcount=1)
    placement = PlacementFactory(post=post, person__village=area.village)
    lines = {}
    for month in (SEP, OCT, NOV):
        row = _closed_row(placement, month)
        batch = PayoutBatchFactory(
            region_code=area.township.code, month=month, state=BatchState.CLOSED
        )
        lines[month] = PayoutLineFactory(
            batch=batch,
            row=row,
            status=LineStatus.PAID,
            required_days=row.full_days,
            present_days=row.full_days,
            full_days=row.full_days,
        )
    dec_row = AttendanceMonthFactory(placement=placement, month=DEC)
    draft = PayoutBatchFactory(region_code=area.township.code, month=DEC)
    lines[DEC] = PayoutLineFactory(batch=draft, row=dec_row)
    january_row = AttendanceMonthFactory(placement=placement, month=dt.date(2027, 1, 1))
    post.refresh_from_db()
    return Paid(placement, post, lines, dec_row, january_row)
