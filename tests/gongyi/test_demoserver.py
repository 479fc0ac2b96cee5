"""``make demo`` (gongyi.demoserver): the demo county on its embedded PostgreSQL, the path a
newcomer takes first. Each test has a demo folder of its own under /tmp (a short path: the
server's socket lives in it)."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psycopg
import pytest

from gongyi import demoserver

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo_dir():
    path = Path(tempfile.mkdtemp(prefix="gongyi-demo-", dir="/tmp"))
    yield path
    demoserver.reset(path)
    shutil.rmtree(path, ignore_errors=True)


def run_demo(demo_dir: Path, *args: str, port: int = 0, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment |= {"GONGYI_DEMO_DIR": str(demo_dir), "GONGYI_DEMO_PORT": str(port), **env}
    return subprocess.run(
        [sys.executable, "-m", "gongyi.demoserver", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_demo_database_keeps_its_data_between_runs_and_reset_removes_it(demo_dir):
    server, url = demoserver.start_server(demo_dir)
    with server, psycopg.connect(url, autocommit=True) as connection:
        connection.execute("CREATE TABLE kept (name text)")
        connection.execute("INSERT INTO kept VALUES ('泰山区')")
    assert not (demo_dir / "pgdata" / "postmaster.pid").exists()  # stopped with its holder

    server, url = demoserver.start_server(demo_dir)
    with server, psycopg.connect(url) as connection:
        assert connection.execute("SELECT name FROM kept").fetchall() == [("泰山区",)]
        assert connection.execute("SHOW server_version").fetchone()[0].startswith("18.")

    demoserver.reset(demo_dir)
    assert not (demo_dir / "pgdata").exists()


def test_second_demo_is_refused_while_one_runs_and_touches_nothing(demo_dir):
    with demoserver.demo_lock(demo_dir):
        result = run_demo(demo_dir, "--no-serve")
    assert result.returncode == 2
    assert "演示已在运行" in result.stderr
    assert not (demo_dir / "pgdata").exists()


def test_reset_while_the_demo_runs_is_refused(demo_dir):
    (demo_dir / "pgdata").mkdir()
    (demo_dir / "pgdata" / "PG_VERSION").write_text("18\n")
    with demoserver.demo_lock(demo_dir):
        result = run_demo(demo_dir, "--reset")
    assert result.returncode == 2
    assert (demo_dir / "pgdata" / "PG_VERSION").exists()


def test_data_folder_left_half_made_by_a_crash_is_reported_not_deleted(demo_dir):
    (demo_dir / "pgdata").mkdir()
    (demo_dir / "pgdata" / "base").mkdir()  # initdb stopped before writing PG_VERSION

    result = run_demo(demo_dir, "--no-serve")

    assert result.returncode == 2
    assert "make demo-reset" in result.stderr
    assert (demo_dir / "pgdata" / "base").exists()


def test_unreachable_database_url_is_said_before_anything_runs(demo_dir):
    result = run_demo(demo_dir, "--no-serve", DATABASE_URL="postgres://postgres@127.0.0.1:1/none")

    assert result.returncode == 2
    assert "无法连接 DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (demo_dir / "pgdata").exists()


def test_port_in_use_is_said(demo_dir):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = run_demo(demo_dir, port=taken.getsockname()[1])
    assert result.returncode == 2
    assert "已被占用" in result.stderr


def test_make_demo_serves_the_county_and_a_second_run_keeps_it(demo_dir):
    """What ``make demo`` runs: migrate, seed, serve; stopped as Ctrl-C or ``kill`` would."""
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment |= {
        "GONGYI_DEMO_DIR": str(demo_dir),
        "GONGYI_DEMO_PORT": str(port),
        "DJANGO_DEBUG": "1",
    }
    demo = subprocess.Popen(
        [sys.executable, "-m", "gongyi.demoserver"],
        cwd=BASE_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        status = None
        deadline = time.monotonic() + 400
        while time.monotonic() < deadline and demo.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as page:
                    status = page.status
                    break
            except OSError:
                time.sleep(2)
        assert status == 200, demo.stdout.read() if demo.poll() is not None else "not serving"
    finally:
        demo.send_signal(signal.SIGTERM)
        output = demo.communicate(timeout=60)[0]
    assert "Traceback" not in output
    assert not (demo_dir / "pgdata" / "postmaster.pid").exists()  # the server stopped with it

    again = run_demo(demo_dir, "--no-serve", DJANGO_DEBUG="1")
    assert again.returncode == 0, again.stderr
    assert "新建 0 个" in again.stdout  # nothing made twice: the data was kept
