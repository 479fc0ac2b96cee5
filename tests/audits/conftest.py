import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audits.datasets.enums import DatasetKind
from audits.datasets.services import dataset_upload
from audits.models import DatasetVersion
from gongyi.jobs import job_execute

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
