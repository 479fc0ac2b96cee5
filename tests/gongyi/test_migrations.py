"""Migrations that do not flap: every constraint and choice list is built in a stable order, so
``makemigrations --check`` finds nothing to write whatever Python's hash seed is."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("seed", ["0", "1", "2", "3", "4242", "random"])
def test_makemigrations_finds_nothing_under_any_hash_seed(seed):
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=BASE_DIR,
        env={**os.environ, "PYTHONHASHSEED": seed},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
