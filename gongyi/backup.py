"""Backup and restore of a county: the database (``pg_dump``, custom format) and the uploaded
files (``MEDIA_ROOT``, a tar), in one folder with a manifest (docs/operations.md, "Backup and
restore").

A backup folder is written under a ``.partial`` name and renamed when complete, so a crashed run
never looks like a backup. The database is dumped before the files are archived: every row in
the dump then finds its file in the archive (a file is stored before its row commits).

A restore goes into an empty database and an empty media folder only, checks the manifest's
checksums first, and ends by recomputing the audit chain in the restored database.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyi.errors import DomainError

DATABASE_FILE = "database.dump"
MEDIA_FILE = "media.tar"
MANIFEST_FILE = "manifest.json"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class RestoreReport:
    database: str
    media_root: Path
    files: int
    audit_entries: int


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    """libpq's environment for a Django database settings dict: no password on a command line."""
    env = dict(os.environ)
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if db.get(key):
            env[var] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _run(args: list[str], *, env: dict[str, str]) -> None:
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise DomainError(
            _("%(program)s is not installed: install the PostgreSQL client (version 15).")
            % {"program": args[0]}
        ) from None
    if done.returncode != 0:
        raise DomainError(
            _("%(program)s failed: %(error)s")
            % {"program": args[0], "error": done.stderr.strip()[-2000:]}
        )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _audit_head(alias: str) -> dict[str, Any]:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT seq, hash FROM gongyi_auditchainhead WHERE id = 1")
        row = cursor.fetchone()
    return {"seq": row[0], "hash": row[1]} if row else {"seq": 0, "hash": ""}


def backup_create(*, directory: Path, media_root: Path | None = None) -> Path:
    """Write a new backup folder under ``directory`` and return its path. Changes nothing."""
    media_root = Path(media_root or settings.MEDIA_ROOT)
    db = connections["default"].settings_dict
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    final = Path(directory) / f"gongyi-{db['NAME']}-{stamp}"
    if final.exists():
        raise DomainError(_("%(path)s exists already.") % {"path": final})
    partial = final.with_name(final.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        head = _audit_head("default")
        _run(
            ["pg_dump", "--format=custom", f"--file={partial / DATABASE_FILE}", db["NAME"]],
            env=_pg_env(db),
        )
        files, size = 0, 0
        with tarfile.open(partial / MEDIA_FILE, "w") as tar:
            if media_root.is_dir():
                for path in sorted(media_root.rglob("*")):
                    if path.is_file() and not path.is_symlink():
                        tar.add(path, arcname=str(path.relative_to(media_root)), recursive=False)
                        files, size = files + 1, size + path.stat().st_size
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "database": db["NAME"],
            "audit_head": head,
            "media_files": files,
            "media_bytes": size,
            "sha256": {name: _sha256(partial / name) for name in (DATABASE_FILE, MEDIA_FILE)},
        }
        (partial / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return final


def _manifest(source: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((source / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise DomainError(
            _("%(path)s is not a complete backup: its manifest is missing or unreadable.")
            % {"path": source}
        ) from None
    if manifest.get("format") != FORMAT_VERSION:
        raise DomainError(_("This backup's format is not known to this version."))
    for name, expected in manifest["sha256"].items():
        path = source / name
        if not path.is_file() or _sha256(path) != expected:
            raise DomainError(
                _("%(name)s in the backup is missing or damaged: nothing was restored.")
                % {"name": name}
            )
    return manifest


def _connect(database_url: str | None):
    """A psycopg connection to the restore target: ``database_url``, else the default database."""
    import psycopg

    if database_url:
        return psycopg.connect(database_url, autocommit=True)
    db = connections["default"].settings_dict
    return psycopg.connect(
        dbname=db["NAME"],
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        autocommit=True,
    )


def _verify_chain(database_url: str | None) -> int:
    """Recompute the audit chain in the restored database; the number of entries."""
    from gongyi.audit import audit_verify_chain

    if not database_url:
        report = audit_verify_chain()
        if not report.ok:
            raise DomainError(
                _("Restored, but the audit chain is broken at entry %(seq)s: %(reason)s")
                % {"seq": report.broken_seq, "reason": report.reason}
            )
        return report.checked
    # Another database: the operator's own command, run against it.
    done = subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "audit_verify"],
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise DomainError(
            _("Restored, but the audit chain does not verify: %(error)s")
            % {"error": done.stderr.strip()[-2000:]}
        )
    with _connect(database_url) as conn:
        return conn.execute("SELECT seq FROM gongyi_auditchainhead WHERE id = 1").fetchone()[0]


def backup_restore(
    *, source: Path, database_url: str | None = None, media_root: Path | None = None
) -> RestoreReport:
    """Restore the backup folder ``source`` into the database at ``database_url`` (the default
    one if None; it must hold no tables) and ``media_root`` (``MEDIA_ROOT`` if None; it must be
    empty), then recompute the audit chain there. A refusal before ``pg_restore`` changes
    nothing; ``pg_restore`` runs in one transaction."""
    source = Path(source)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    manifest = _manifest(source)
    if media_root.exists() and any(media_root.iterdir()):
        raise DomainError(
            _("The media folder %(path)s is not empty: restore into an empty one.")
            % {"path": media_root}
        )
    with _connect(database_url) as conn:
        name = conn.info.dbname
        tables = conn.execute(
            "SELECT count(*) FROM pg_tables"
            " WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        ).fetchone()[0]
    if tables:
        raise DomainError(
            _(
                "The database %(name)s is not empty (%(n)s tables): restore into a new, empty"
                " database (createdb)."
            )
            % {"name": name, "n": tables}
        )
    db = connections["default"].settings_dict
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={database_url or db['NAME']}",
            str(source / DATABASE_FILE),
        ],
        env=_pg_env({} if database_url else db),
    )
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / MEDIA_FILE, "r") as tar:
        # The "data" filter refuses absolute paths, "..", links out of the folder and devices.
        tar.extractall(media_root, filter="data")
    entries = _verify_chain(database_url)
    # The head was read just before the dump's snapshot: the dump may hold more, never fewer.
    if entries < manifest["audit_head"]["seq"]:
        raise DomainError(
            _("Restored, but the audit trail holds %(n)s entries where the backup had %(m)s.")
            % {"n": entries, "m": manifest["audit_head"]["seq"]}
        )
    return RestoreReport(name, media_root, manifest["media_files"], entries)
