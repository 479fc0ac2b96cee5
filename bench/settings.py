"""The settings gunicorn serves ``python -m bench load`` with: the project's, read from the same
environment variables, with the benchmarks' URLs (``bench.urls``: the floor views)."""

from gongyi.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
