"""Settings, translations, static assets, API schema, Celery and the demo county."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from gongyi.enums import Role
from gongyi.models import AuditEntry, Region, User
from tests.audits.demo_checks import audits_counts, check_datasets_demo, check_exits_demo
from tests.payout.demo_checks import check_payout_demo, check_warnings_demo, payout_counts

PO_FILE = Path(settings.BASE_DIR) / "gongyi" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_catalogue_has_no_untranslated_or_fuzzy_entry():
    po = polib.pofile(str(PO_FILE))
    bad = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert bad == []


def test_catalogue_covers_every_string_in_the_source(tmp_path):
    """makemessages over a copy of the source: no msgid may come out untranslated."""
    base = Path(settings.BASE_DIR)
    for name in ("gongyi", "posts", "people", "subsidies", "audits", "templates"):
        shutil.copytree(base / name, tmp_path / name, ignore=shutil.ignore_patterns("*.mo"))
    shutil.copy(base / "manage.py", tmp_path)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-location"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={**os.environ, "GONGYI_LOCALE_DIR": str(tmp_path / "gongyi" / "locale")},
    )
    po = polib.pofile(str(tmp_path / "gongyi" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    assert [e.msgid for e in po if not e.obsolete and not e.translated()] == []


def test_production_settings_pass_check_deploy():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GONGYI_"))}
    env.update(
        DJANGO_SECRET_KEY="x" * 20 + "-production-secret-for-the-check-0123456789-abcdef",
        DJANGO_ALLOWED_HOSTS="gongyi.example.gov.cn",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env=env,
    )
    assert (result.returncode, result.stderr.strip()) == (0, "")


def test_settings_fixed_by_the_design_card():
    assert (settings.TIME_ZONE, settings.LANGUAGE_CODE) == ("Asia/Shanghai", "zh-hans")


def test_tasks_run_eagerly_without_a_broker():
    env = {k: v for k, v in os.environ.items() if k != "CELERY_BROKER_URL"}
    code = "import django; django.setup(); from django.conf import settings; print(settings.CELERY_TASK_ALWAYS_EAGER)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip() == "True"


@pytest.mark.django_db
def test_pages_load_no_asset_from_another_host(users, login):
    import re

    body = login(users[Role.COUNTY]).get(reverse("home")).content.decode()
    docs = login(users[Role.COUNTY]).get(reverse("api-docs")).content.decode()
    for page in (body, docs):
        assert re.findall(r'(?:src|href)="(?:https?:)?//', page) == []


@pytest.mark.django_db
def test_openapi_schema_lists_the_core_api(users, login):
    client = login(users[Role.COUNTY])
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    assert {"/api/v1/regions/", "/api/v1/auth/token/", "/api/v1/me/"} <= set(schema["paths"])


@pytest.mark.django_db
def test_api_region_code_with_a_dot_is_a_json_404(users, login):
    response = login(users[Role.COUNTY]).get("/api/v1/regions/no.such.code/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_static_files_are_served_by_the_app(live_server):
    import urllib.request

    with urllib.request.urlopen(f"{live_server.url}/static/css/gongyi.css") as response:
        assert response.status == 200


@pytest.mark.django_db
def test_seed_demo_creates_every_role_and_rerun_changes_nothing():
    call_command("seed_demo", password="demo-pass-123")
    counts = (Region.objects.count(), User.objects.count(), AuditEntry.objects.count())
    payouts = payout_counts()
    audits = audits_counts()
    call_command("seed_demo", password="demo-pass-123")
    assert (Region.objects.count(), User.objects.count(), AuditEntry.objects.count()) == counts
    assert payout_counts() == payouts
    assert audits_counts() == audits
    check_payout_demo()
    check_warnings_demo()
    check_datasets_demo()
    check_exits_demo()
    usernames = set(User.objects.values_list("username", flat=True))
    assert {
        "county",
        "admin",
        "clerk_370902001",
        "clerk_370902101",
        "village_370902001001",
        "reviewer_civil_affairs",
        "reviewer_public_security",
    } <= usernames
    assert User.objects.get(username="clerk_370902001").check_password("demo-pass-123")
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)


def _drop_broker_and_backend(app) -> None:
    """Forget the broker connections and result backend Celery built for the settings so far.

    Celery builds these once and keeps them, whatever ``app.conf`` says later: the connection pool
    (``app.pool``), the producer pool over it (``app.amqp.producer_pool``) and this thread's result
    backend. Every eager ``delay()`` (test_jobs.py) acquires a producer to round-trip the arguments
    through the serializer, so it leaves a producer pool for the default broker,
    amqp://guest@localhost:5672//: a task sent afterwards goes there, never to the worker's Redis.
    """
    # Drop the references only: kombu shares each pool by URL with whoever asks for it next,
    # and a pool closed here (force_close_all) would refuse or block that next acquire.
    app.amqp._producer_pool = None
    app._pool = None
    app._local.__dict__.pop("backend", None)
    app._backend_cache = None


@pytest.fixture
def celery_on_redis():
    """The Celery app pointed at a real Redis broker and result backend, put back afterwards."""
    from gongyi.celery import app

    redis_url = os.environ.get("GONGYI_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    old = {k: app.conf[k] for k in ("broker_url", "result_backend", "task_always_eager")}
    _drop_broker_and_backend(app)
    app.conf.update(broker_url=redis_url, result_backend=redis_url, task_always_eager=False)
    try:
        yield app
    finally:
        app.conf.update(old)
        _drop_broker_and_backend(app)


@pytest.mark.django_db(transaction=True)
def test_celery_worker_runs_task_through_redis(users, celery_on_redis):
    """A real worker and a real Redis broker: the nightly chain check as beat would send it."""
    from celery.backends.redis import RedisBackend
    from celery.contrib.testing.worker import start_worker

    from gongyi.tasks import audit_verify_chain

    app = celery_on_redis
    # Fail here, not with a timeout, if a send would still go anywhere but Redis.
    assert app.producer_pool.connections.connection.transport.driver_type == "redis"
    assert isinstance(app.backend, RedisBackend)
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        result = audit_verify_chain.delay().get(timeout=30)
    assert result["ok"] is True
    assert result["checked"] == AuditEntry.objects.count()


def test_beat_schedules_the_nightly_chain_check():
    assert settings.CELERY_BEAT_SCHEDULE["audit-verify-chain-nightly"]["task"] == (
        "gongyi.tasks.audit_verify_chain"
    )
