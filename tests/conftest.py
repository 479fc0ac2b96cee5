"""Shared fixtures: two counties, each with two townships of two villages, and a user per role."""

from dataclasses import dataclass

import pytest
from django.db import connection

from gongyi.enums import Department, Role
from gongyi.models import Region, User
from tests.factories import TEST_PASSWORD, RegionFactory, UserFactory


@pytest.fixture(autouse=True, scope="session")
def _postgresql_only(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        assert connection.vendor == "postgresql", (
            "the suite runs on PostgreSQL (see docs/development.md)"
        )


@pytest.fixture(autouse=True, scope="session")
def _media_root(tmp_path_factory):
    """What the tests store (the demo's payment files among it) goes to a temporary folder, never
    to the checkout's media/."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


def load_standard_post_types() -> None:
    """The standard post names of migration posts 0002 (a transactional test's flush empties the
    table after the migration filled it)."""
    import importlib

    from posts.models import PostType

    migration = importlib.import_module("posts.migrations.0002_standard_post_types")
    if PostType.objects.filter(county=None).count() < len(migration.STANDARD_POST_TYPES):
        existing = set(PostType.objects.filter(county=None).values_list("name", flat=True))
        PostType.objects.bulk_create(
            PostType(category=c, name=n, source=s, description=d)
            for c, n, s, d in migration.STANDARD_POST_TYPES
            if n not in existing
        )
    from django.apps import apps

    groups = importlib.import_module("people.migrations.0002_standard_target_groups")
    groups.load(apps)
    kinds = importlib.import_module("subsidies.attendance.migrations.0002_shared_absence_kinds")
    kinds.add(apps, None)
    items = importlib.import_module("subsidies.attendance.migrations.0005_assessment")
    items.add_items(apps, None)


@pytest.fixture(autouse=True)
def _standard_post_types(request):
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    if marker is None and "db" not in names and "transactional_db" not in names:
        return
    transactional = (
        (marker is not None and marker.kwargs.get("transaction", False))
        or "transactional_db" in names
        or "live_server" in names
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    load_standard_post_types()


@dataclass
class Area:
    county: Region
    township: Region
    village: Region
    other_county: Region
    other_township: Region
    other_village: Region  # a sibling village under the same township
    far_village: Region  # a village of the other township


@pytest.fixture
def area(db) -> Area:
    c1 = RegionFactory(code="370902", name="泰山区")
    t1 = RegionFactory(code="370902001", name="岱庙街道")
    t2 = RegionFactory(code="370902100", name="省庄镇")
    v1 = RegionFactory(code="370902001001", name="甲社区")
    v2 = RegionFactory(code="370902001002", name="乙社区")
    v3 = RegionFactory(code="370902100200", name="丙村")
    c2 = RegionFactory(code="370406", name="山亭区")
    RegionFactory(code="370406106", name="徐庄镇")
    RegionFactory(code="370406106200", name="丁村")
    return Area(c1, t1, v1, c2, t2, v2, v3)


@pytest.fixture
def users(area) -> dict[str, User]:
    return {
        Role.COUNTY: UserFactory(username="county", role=Role.COUNTY, region=area.county),
        Role.CLERK: UserFactory(username="clerk", role=Role.CLERK, region=area.township),
        Role.VILLAGE: UserFactory(username="village", role=Role.VILLAGE, region=area.village),
        Role.REVIEWER: UserFactory(
            username="reviewer",
            role=Role.REVIEWER,
            region=area.county,
            department=Department.CIVIL_AFFAIRS,
        ),
        Role.FINANCE: UserFactory(username="finance", role=Role.FINANCE, region=area.county),
        Role.ADMIN: UserFactory(
            username="admin",
            role=Role.ADMIN,
            region=area.county,
            is_staff=True,
            is_superuser=True,
        ),
    }


@pytest.fixture
def county(users):
    return users[Role.COUNTY]


@pytest.fixture
def clerk(users):
    return users[Role.CLERK]


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def password():
    return TEST_PASSWORD
