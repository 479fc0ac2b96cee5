"""The standard target groups name their source in words a county officer knows, never a file of
the project (docs/policy.md §2)."""

import importlib

import pytest
from django.apps import apps

from people.models import TargetGroup

pytestmark = pytest.mark.django_db


def test_standard_groups_name_no_file():
    sources = list(TargetGroup.objects.filter(county=None).values_list("source", flat=True))
    assert sources
    assert [s for s in sources if "RULES" in s or ".md" in s] == []


def test_migration_rewrites_a_source_left_by_an_older_version():
    TargetGroup.objects.filter(code="single_parent", county=None).update(source="RULES.md §2")
    migration = importlib.import_module("people.migrations.0005_target_group_sources_in_words")
    migration.forwards(apps, None)
    assert TargetGroup.objects.get(code="single_parent", county=None).source == "山东省各地做法"
