"""Backup and restore (docs/operations.md): a dump restored into a fresh database keeps its audit
chain intact, and the uploaded scans come back with it."""

import datetime as dt
import os
from pathlib import Path

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from gongyi.backup import DATABASE_FILE, backup_create, backup_restore
from gongyi.errors import DomainError
from people import services
from tests.factories import id_number_for

pytestmark = pytest.mark.django_db(transaction=True)

SCAN = b"%PDF-1.4\n%a scan of an ID card\n"


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def fresh_database():
    """An empty database beside the test one, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
    yield f"postgres://{db['USER']}{password}@{host}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def county_with_a_scan(area, clerk, media):
    person = services.person_create(
        actor=clerk,
        name="王秀英",
        id_number=id_number_for(dt.date(1971, 4, 15), male=False, serial=3),
        registration="local",
        township=area.township,
        village=area.village,
        residence="urban",
        account_kind="card",
        account_number="6217000000000000123",
    )
    upload = SimpleUploadedFile("身份证.pdf", SCAN, content_type="application/pdf")
    return services.document_add(actor=clerk, person=person, kind="id_card", upload=upload)


def _restored_count(database_url: str, table: str) -> int:
    with psycopg.connect(database_url) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_backup_restored_into_a_fresh_database_keeps_the_chain_and_the_files(
    county_with_a_scan, media, fresh_database, tmp_path
):
    from gongyi.models import AuditEntry

    entries = AuditEntry.objects.count()
    folder = backup_create(directory=tmp_path / "backups")
    restored_media = tmp_path / "restored-media"

    report = backup_restore(source=folder, database_url=fresh_database, media_root=restored_media)

    assert (report.audit_entries, report.files) == (entries, 1)
    assert (restored_media / county_with_a_scan.file.name).read_bytes() == SCAN
    assert _restored_count(fresh_database, "people_persondocument") == 1


def test_backup_and_restore_commands(county_with_a_scan, media, fresh_database, tmp_path, capsys):
    call_command("backup", str(tmp_path / "backups"))
    (folder,) = (tmp_path / "backups").iterdir()
    call_command(
        "restore", str(folder), database_url=fresh_database, media_root=str(tmp_path / "restored")
    )
    out = capsys.readouterr().out
    assert "已写入备份" in out and "操作记录链完好" in out
    assert (tmp_path / "restored" / county_with_a_scan.file.name).read_bytes() == SCAN


def test_restore_refuses_a_database_that_is_not_empty(county_with_a_scan, tmp_path):
    folder = backup_create(directory=tmp_path / "backups")
    with pytest.raises(DomainError) as refused:
        backup_restore(source=folder, media_root=tmp_path / "restored")
    assert "不是空的" in refused.value.message
    assert not (tmp_path / "restored").exists()


def test_restore_refuses_a_damaged_backup_before_touching_the_database(
    county_with_a_scan, fresh_database, tmp_path
):
    folder = backup_create(directory=tmp_path / "backups")
    dump = folder / DATABASE_FILE
    dump.write_bytes(dump.read_bytes()[:-10])
    with pytest.raises(DomainError) as refused:
        backup_restore(source=folder, database_url=fresh_database, media_root=tmp_path / "restored")
    assert DATABASE_FILE in refused.value.message
    assert _restored_count(fresh_database, "pg_tables WHERE schemaname = 'public'") == 0


def test_restore_refuses_a_media_folder_that_is_not_empty(
    county_with_a_scan, fresh_database, tmp_path
):
    folder = backup_create(directory=tmp_path / "backups")
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "something").write_text("x")
    with pytest.raises(CommandError):
        call_command("restore", str(folder), media_root=str(occupied))
    assert os.listdir(occupied) == ["something"]


def test_backup_leaves_no_partial_folder_when_pg_dump_fails(county_with_a_scan, tmp_path):
    # pg_dump is pointed at a port nobody listens on; the open connection is not affected.
    connection.settings_dict["PORT"], port = "1", connection.settings_dict["PORT"]
    try:
        with pytest.raises(DomainError):
            backup_create(directory=tmp_path / "backups")
    finally:
        connection.settings_dict["PORT"] = port
    assert list((tmp_path / "backups").iterdir()) == []


@pytest.mark.django_db(transaction=False)
def test_compose_keeps_media_on_a_volume_shared_by_web_and_worker():
    """Recreating a container keeps the scans, and the worker reads what the web app stored."""
    import yaml
    from django.conf import settings

    compose = yaml.safe_load((Path(settings.BASE_DIR) / "docker-compose.yml").read_text())
    for name in ("web", "worker"):
        service = compose["services"][name]
        media_root = service["environment"]["GONGYI_MEDIA_ROOT"]
        assert f"media:{media_root}" in service["volumes"]
    assert "media" in compose["volumes"]
