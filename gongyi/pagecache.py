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

**The key.** Database, release (code, templates, catalogues, assets, locked packages and the
environment's settings, by content: a new release never serves a page the old one rendered),
version (with the database's oid and the server's start, so that a restored dump or a crash that
lost a step of the sequence starts afresh), today's date (pages count days: vacancy, publicity
periods), language, the user as loaded for this request (every field, so the role, region and
department that decide the scope, ``gongyi.scoping``), content type and negotiated media type,
scheme and host (the API's absolute links), path and every value of the query. Keyed on the
user's fields rather than on the version alone, a page rendered for a user loaded just before
a change to that user is never served after it. The role check runs before the cache is read.

**Why a stored page is never stale.** A sequence is not transactional: a writer advances it
before it commits. So the version is read first and then, in a second statement, whether any
transaction that has written is still open (another one, a prepared one, or this request's
own, whose writes might yet be rolled back); a response is stored only if none was. If a writer
advanced the version before the first read, it either committed before the second (and the
render, later still, sees its data) or was still in progress (and nothing is stored). If it
advanced the version after the first read, later requests ask under a newer version and never
see this one. A busy minute thus stores less; it never stores wrong. What bypasses the
triggers bypasses the cache too: ``session_replication_role = replica``, ``ALTER TABLE …
DISABLE TRIGGER``, ``pg_restore --disable-triggers``; after such a load, flush the cache.

**What is never stored.** Anything but a 200; a page with a message waiting for the user (it
shows once); a browsable-API page (it carries forms); anything on a standby (its sequence and
writers are the primary's) or on another database than PostgreSQL (the demo's SQLite has no
sequences to count with). The CSRF token in a stored page is replaced on each hit by one for
the requesting session. Entries expire after ``GONGYI_PAGE_CACHE_SECONDS`` (default 600) in the
``pages`` cache (Redis where ``GONGYI_CACHE_URL`` is set; give it a ``maxmemory-policy`` such as
``volatile-lru``: pages of old versions stay until they expire). With Redis away, every page is
rendered as if there were no cache, and a warning is logged.
"""

from __future__ import annotations

import functools
import hashlib
import logging
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

logger = logging.getLogger(__name__)

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
    """How many write statements the tracked tables have seen (0 before the first)."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {SEQUENCE}")
        return cursor.fetchone()[0]


#: The version as a key holds it: the database's oid and the server's start (a restored dump, a
#: database made again under the same name, a crash that lost a sequence step: each starts
#: afresh) and the count; nothing on a standby, whose sequence and writers are the primary's.
_VERSION_SQL = (
    "SELECT d.oid, pg_postmaster_start_time(), "
    "CASE WHEN s.is_called THEN s.last_value ELSE 0 END, pg_is_in_recovery() "
    f"FROM {SEQUENCE} s, pg_database d WHERE d.datname = current_database()"
)


def _version(using: str = DEFAULT_DB_ALIAS) -> str | None:
    with connections[using].cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        oid, started, count, standby = cursor.fetchone()
    return None if standby else f"{oid}.{started.timestamp()}.{count}"


def writers_in_progress(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether a transaction on this database that has written is still open: this request's own
    (what it renders might yet be rolled back), another one (it has a transaction ID, given at
    the first write), or a prepared one. Read off ``pg_stat_activity``, not the snapshot: a
    snapshot does not list a running transaction newer than the last one to end."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT txid_current_if_assigned() IS NOT NULL "
            "OR EXISTS (SELECT FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()) "
            "OR EXISTS (SELECT FROM pg_prepared_xacts WHERE database = current_database())"
        )
        return cursor.fetchone()[0]


#: What ``release`` reads: the project's apps, templates, assets and locked packages.
_RELEASE_DIRS = ("gongyi", "posts", "people", "subsidies", "audits", "templates", "static")
_RELEASE_FILES = ("requirements.lock",)
_RELEASE_SUFFIXES = (".py", ".html", ".mo", ".css", ".js", ".svg", ".png")


@functools.cache
def release() -> str:
    """A digest of the project's source, templates, compiled catalogues, static assets, locked
    packages and ``GONGYI_``/``DJANGO_`` settings from the environment, by content (two hosts
    running one release share their kept pages); read once per process."""
    base = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    paths = [base / name for name in _RELEASE_FILES]
    for top in _RELEASE_DIRS:
        for directory, dirs, files in os.walk(base / top):
            dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__")))
            paths.extend(Path(directory, name) for name in sorted(files))
    for path in paths:
        wanted = path.suffix in _RELEASE_SUFFIXES or path.name in _RELEASE_FILES
        if wanted and path.is_file():
            digest.update(str(path.relative_to(base)).encode() + b"\0" + path.read_bytes())
    for name in sorted(os.environ):
        if name.startswith(("GONGYI_", "DJANGO_")):
            digest.update(f"{name}={os.environ[name]}".encode())
    return digest.hexdigest()[:16]


def _user_state(user) -> str:
    """The user as this request loaded it: every field (the role, region and department that
    decide the scope among them) and the region's code. Keyed on these, not only on the user's
    ID, a page rendered for a user loaded just before a change to the user is never served to
    the user after it."""
    fields = [
        str(getattr(user, field.attname))
        for field in user._meta.concrete_fields
        if field.attname != "password"
    ]
    region = user._state.fields_cache.get("region")
    return repr((fields, region.code if region is not None else None))


def _key(request, version: str, variant: str) -> str:
    query = repr(sorted(request.GET.lists()))  # every value of a repeated parameter
    parts = (
        connections[DEFAULT_DB_ALIAS].settings_dict["NAME"],
        release(),
        version,
        timezone.localdate().isoformat(),
        translation.get_language() or "",
        _user_state(request.user),
        variant,
        request.scheme,
        request.get_host(),  # absolute links (the API's next and previous pages)
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
    variant: str = "",
) -> HttpResponse:
    """The response ``render()`` would give, from the cache when the data is unchanged since it
    was stored for this user, path and query (see the module's docstring). ``variant``: what
    else the response depends on (the API's negotiated media type)."""
    if not enabled() or not request.user.is_authenticated or _messages_waiting(request):
        return _rendered(render())
    version = _version()
    if version is None:
        return _rendered(render())
    cache = caches["pages"]
    key = _key(request, version, f"{content_type}\x1f{variant}")
    try:
        stored = cache.get(key)
    except Exception:  # Redis away: the page is rendered, as without a cache
        logger.warning("page cache unavailable", exc_info=True)
        return _rendered(render())
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
        try:
            cache.set(key, text, settings.GONGYI_PAGE_CACHE_SECONDS)
        except Exception:
            logger.warning("page cache unavailable", exc_info=True)
    return response


def _rendered(response):
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response.render()
    return response


class CachedPageMixin:
    """A template view's GET served through ``serve``; put it before ``TemplateView`` in the
    bases (the role check is ``dispatch``'s and runs first). A view with other GETs (an export)
    handles those in its own ``get`` and calls ``super().get`` for the page."""

    def get(self, request, *args, **kwargs):
        return serve(request, lambda: super(CachedPageMixin, self).get(request, *args, **kwargs))


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

        return serve(
            request, render, content_type="application/json", variant=request.accepted_media_type
        )
