"""Fixtures of the registry's tests: users by role, a media root of their own."""

import pytest

from gongyi.enums import Role


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def county(users):
    return users[Role.COUNTY]


@pytest.fixture
def clerk(users):
    return users[Role.CLERK]
