"""Rendered list pages and API lists, served again while the data they show is unchanged.

The busiest pages (the post catalogue, the person search, the county's queue, and their API
lists) are read far more often than the data under them changes: a clerk pages back and forth, a
county officer reloads the queue. ``serve`` keeps each such response, per user, and serves it
again until anything in the database changes (issues 3, 4 and 5, "Speed").

**The data version.** A PostgreSQL sequence, ``gongyi_data_version``, that a statement-level
trigger on every table (but those in ``UNTRACKED_TABLES``) advances once per INSERT, UPDATE,
DELETE or TRUNCATE statement. A trigger, not a Django signal, so that bulk UPDATEs, COPY and raw
SQL count as well as ``save()``; once per statement, not per row, so a bulk write pays for it once.
``install_triggers`` puts the triggers on every table after each ``migrate``, tables added later
included (``GongyiConfig.ready`` connects it to ``post_migrate``).

**The key.** Database, release (the code, templates and catalogue on disk: a new release never
serves a page the old one rendered), version, today's date (pages count days: vacancy, publicity periods),
language, user, content type, path and query (in a fixed order). The user is the scope: the rows
a user sees follow from the user's region and role (``gongyi.scoping``), both on the user's row,
so a change to either is a new version. The role check still runs before the cache is consulted.

**Why a stored page is never stale.** A sequence is not transactional: a writer advances it
before it commits. So the version is read first and then, in a second statement, whether any
other transaction that has written is still open; a response is stored only if none was. If a writer
advanced the version before the first read, it either committed before the second (and the
render, later still, sees its data) or was still in progress (and nothing is stored). If it
advanced the version after the first read, later requests ask under a newer version and never
see this one. A busy minute thus stores less; it never stores wrong.

**What is never stored.** Anything but a 200; a page with a message waiting for the user (it
shows once); a browsable-API page (it carries forms); responses on another database than
PostgreSQL (the demo's SQLite has no sequences to count with). The CSRF token in a stored
page is replaced on each hit by one for the requesting session. Entries expire after
``GONGYI_PAGE_CACHE_SECONDS`` (default 600) in the ``pages`` cache (Redis where
``GONGYI_CACHE_URL`` is set).
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

SEQUENCE = "gongyi_data_version"
TRIGGER = "gongyi_data_version"
FUNCTION = "gongyi_bump_data_version"

#: Tables whose writes change no page kept here, and are written on reads or all the time: the
#: sessions (a login, the idle timeout), the audit trail (written with every change anyway, and
#: its pages are not kept), background jobs' progress, login attempts, beat's schedule, the
#: migration record.
UNTRACKED_TABLES = (
    "django_session",
    "django_migrations",
    "django_admin_log",
    "gongyi_auditentry",
    "gongyi_auditchainhead",
    "gongyi_job",
)
UNTRACKED_PREFIXES = ("axes_", "django_celery_beat_")

#: The value of the hidden CSRF field: 64 characters of letters and digits.
_CSRF_FIELD = re.compile(r'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}(")')
_CSRF_PLACEHOLDER = "\x00csrf\x00"


def enabled(alias: str = DEFAULT_DB_ALIAS) -> bool:
    return settings.GONGYI_PAGE_CACHE and connections[alias].vendor == "postgresql"


def tracked_tables(connection) -> list[str]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    return [
        table
        for table in tables
        if table not in UNTRACKED_TABLES and not table.startswith(UNTRACKED_PREFIXES)
    ]


def install_triggers(using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """The sequence, the trigger function and a statement trigger on each tracked table that
    lacks one; safe to run again (``post_migrate`` runs it after every ``migrate`` and flush)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    tables = tracked_tables(connection)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s",
            [TRIGGER],
        )
        done = {name for (name,) in cursor.fetchall()}
        missing = [table for table in tables if table not in done]
        if not missing:
            return
        cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}")
        cursor.execute(
            f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN PERFORM nextval('{SEQUENCE}'); RETURN NULL; END $$"
        )
        for table in missing:
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {connection.ops.quote_name(table)} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
            )


def data_version(using: str = DEFAULT_DB_ALIAS) -> int:
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT last_value FROM {SEQUENCE}")
        return cursor.fetchone()[0]


def writers_in_progress(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether another transaction on this database that has written is still open: it has a
    transaction ID (one is given at the first write). Read off ``pg_stat_activity``, not the
    snapshot: a snapshot does not list a running transaction newer than the last one to end."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid() LIMIT 1"
        )
        return cursor.fetchone() is not None


#: What ``release`` reads: the project's apps and templates.
_RELEASE_DIRS = ("gongyi", "posts", "people", "subsidies", "audits", "templates")


@functools.cache
def release() -> str:
    """A digest of the name, size and time of every source file, template and compiled
    catalogue of the project's apps, read once per process."""
    base = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    for top in _RELEASE_DIRS:
        for directory, dirs, files in os.walk(base / top):
            dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__")))
            for name in sorted(files):
                if name.endswith((".py", ".html", ".mo")):
                    stat = os.stat(os.path.join(directory, name))
                    digest.update(f"{directory}/{name} {stat.st_size} {stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def _key(request, version: int, content_type: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in sorted(request.GET.items()))
    parts = (
        connections[DEFAULT_DB_ALIAS].settings_dict["NAME"],
        release(),
        str(version),
        timezone.localdate().isoformat(),
        translation.get_language() or "",
        str(request.user.pk),
        content_type,
        request.path,
        query,
    )
    return "page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _messages_waiting(request) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0


def serve(
    request,
    render: Callable[[], HttpResponse],
    *,
    content_type: str = "text/html; charset=utf-8",
) -> HttpResponse:
    """The response ``render()`` would give, from the cache when the data is unchanged since it
    was stored for this user, path and query (see the module's docstring)."""
    if not enabled() or not request.user.is_authenticated or _messages_waiting(request):
        return _rendered(render())
    cache = caches["pages"]
    key = _key(request, data_version(), content_type)
    stored = cache.get(key)
    if stored is not None:
        if _CSRF_PLACEHOLDER in stored:
            stored = stored.replace(_CSRF_PLACEHOLDER, get_token(request))
        return HttpResponse(stored, content_type=content_type)
    storable = not writers_in_progress()
    response = _rendered(render())
    if (
        storable
        and response.status_code == 200
        and response.get("Content-Type") == content_type
        and not _messages_waiting(request)
    ):
        text = _CSRF_FIELD.sub(rf"\g<1>{_CSRF_PLACEHOLDER}\g<2>", response.content.decode())
        cache.set(key, text, settings.GONGYI_PAGE_CACHE_SECONDS)
    return response


def _rendered(response):
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response.render()
    return response


class CachedListMixin:
    """DRF: the list action's JSON served through ``serve`` (other formats, such as the
    browsable API with its forms, are rendered afresh)."""

    def list(self, request, *args, **kwargs):
        renderer = getattr(request, "accepted_renderer", None)
        if renderer is None or renderer.format != "json":
            return super().list(request, *args, **kwargs)

        def render():
            response = super(CachedListMixin, self).list(request, *args, **kwargs)
            return self.finalize_response(request, response, *args, **kwargs)

        return serve(request, render, content_type="application/json")
