"""The match (docs/policy.md §8): each kind's hit rule with its cases, one finding per person,
kind and fact however often it runs, findings closed when their fact leaves the data, one match
of a county at a time."""

import datetime as dt

import psycopg
import pytest
from django.db import connection

from audits.datasets.enums import DatasetKind, DatasetStatus, FindingState
from audits.datasets.match import dataset_match
from audits.datasets.policy import NO_ATTENDANCE_MONTHS
from audits.datasets.tasks import dataset_match_monthly
from audits.models import Finding
from gongyi.errors import DomainError
from tests.factories import (
    DatasetRowFactory,
    DatasetVersionFactory,
    PersonFactory,
    PlacementFactory,
    PolicySettingFactory,
)

pytestmark = pytest.mark.django_db

START = dt.date(2026, 4, 1)  # the placements' start


@pytest.fixture(autouse=True)
def _no_attendance_check_off(area):
    """The internal check of months without attendance is tested in test_findings.py; here the
    placements have no attendance and it is off."""
    PolicySettingFactory(
        county=area.county, key=NO_ATTENDANCE_MONTHS, value=0, effective_from=dt.date(2026, 1, 1)
    )


@pytest.fixture
def on_post(area):
    """A person on a post in the fixtures' county since 2026-04-01, and one whose placement
    ended."""
    placed = PlacementFactory(person=PersonFactory(township=area.township), start_date=START)
    ended = PlacementFactory(
        person=PersonFactory(township=area.township),
        start_date=START,
        end_date=dt.date(2026, 6, 30),
    )
    return placed, ended


def _version(kind, *, as_of=dt.date(2026, 11, 30), **kw):
    return DatasetVersionFactory(kind=kind, as_of=as_of, **kw)


def _row(version, person, **kw):
    return DatasetRowFactory(version=version, id_number=person.id_number, **kw)


def _findings():
    return sorted(Finding.objects.values_list("kind", "fact_key", "state"))


#: kind → [(the row's fields, a hit?)]
CASES = {
    DatasetKind.DEATHS: [({"start": dt.date(2026, 10, 3)}, True)],
    DatasetKind.RETIREMENT_BENEFITS: [({"start": dt.date(2026, 9, 1)}, True)],
    DatasetKind.FISCAL_PAYROLL: [({"start": dt.date(2019, 8, 1), "unit": "某局"}, True)],
    DatasetKind.CONTRIBUTIONS: [
        # paying in a month of the placement
        ({"start": dt.date(2026, 5, 1), "end": dt.date(2026, 7, 31), "unit": "甲公司"}, True),
        # still paying on the data's day, since before the placement
        ({"start": dt.date(2025, 1, 1), "end": None, "unit": "乙公司"}, True),
        # stopped before the placement began
        ({"start": dt.date(2024, 1, 1), "end": dt.date(2026, 3, 31), "unit": "丙公司"}, False),
    ],
    DatasetKind.BUSINESS_LICENCES: [
        ({"start": dt.date(2023, 5, 6), "end": None, "reference": "92370902MA1"}, True),
        # cancelled on the placement's first day: still a hit
        ({"start": dt.date(2020, 1, 1), "end": START, "reference": "92370902MA2"}, True),
        # cancelled before the placement began
        (
            {"start": dt.date(2020, 1, 1), "end": dt.date(2026, 3, 1), "reference": "92370902MA3"},
            False,
        ),
    ],
}


def test_every_kind_has_its_cases():
    assert set(CASES) == set(DatasetKind.values)


@pytest.mark.parametrize("kind", list(CASES))
def test_each_kinds_hit_rule(kind, on_post, area):
    placed, ended = on_post
    version = _version(kind)
    for fields, _hit in CASES[kind]:
        _row(version, placed.person, **fields)
        _row(version, ended.person, **fields)  # ended placements are never matched

    result = dataset_match(region_code=area.county.code)

    hits = [fields["start"] for fields, hit in CASES[kind] if hit]
    found = Finding.objects.filter(kind=kind).order_by("fact_from")
    assert [f.fact_from for f in found] == sorted(hits)
    assert {f.person_id for f in found} <= {placed.person_id}
    assert {f.placement_id for f in found} <= {placed.pk}
    assert result["kinds"][kind]["new"] == len(hits)


def test_a_finding_carries_its_row_as_evidence(on_post, area):
    placed, _ended = on_post
    version = _version(DatasetKind.DEATHS, file_name="死亡名单.csv")
    _row(version, placed.person, start=dt.date(2026, 10, 3), line=17, name="某某")

    dataset_match(region_code=area.county.code)

    finding = Finding.objects.get()
    assert finding.evidence | {"version": None} == {
        "version": None,
        "file_name": "死亡名单.csv",
        "as_of": "2026-11-30",
        "row": 17,
        "id_number": placed.person.id_number,
        "name": "某某",
        "start": "2026-10-03",
        "end": None,
        "unit": "",
        "reference": "",
    }
    assert (finding.region_code, finding.state, finding.version_id) == (
        placed.region_code,
        FindingState.NEW,
        version.pk,
    )


def test_only_the_newest_loaded_version_of_a_kind_is_read(on_post, area):
    placed, _ended = on_post
    old = _version(DatasetKind.DEATHS, as_of=dt.date(2026, 10, 31))
    _row(old, placed.person, start=dt.date(2026, 10, 3))
    newest = _version(DatasetKind.DEATHS, as_of=dt.date(2026, 11, 30))
    refused = _version(
        DatasetKind.DEATHS, as_of=dt.date(2026, 12, 1), status=DatasetStatus.REJECTED
    )
    _row(refused, placed.person, start=dt.date(2026, 11, 3))

    result = dataset_match(region_code=area.county.code)

    assert result["kinds"][DatasetKind.DEATHS]["version"] == newest.pk
    assert Finding.objects.count() == 0


def test_another_countys_placements_and_lists_are_not_matched(on_post, area):
    placed, _ended = on_post
    elsewhere = _version(DatasetKind.DEATHS, region_code=area.other_county.code)
    _row(elsewhere, placed.person, start=dt.date(2026, 10, 3))

    dataset_match(region_code=area.county.code)
    dataset_match(region_code=area.other_county.code)

    assert Finding.objects.count() == 0


def test_a_rerun_makes_no_second_finding_and_a_dismissed_one_stays_dismissed(on_post, area):
    placed, _ended = on_post
    version = _version(DatasetKind.CONTRIBUTIONS)
    _row(version, placed.person, start=dt.date(2026, 5, 1), unit="甲公司", line=2)
    _row(version, placed.person, start=dt.date(2026, 5, 1), unit="甲公司", line=3)  # same fact
    _row(version, placed.person, start=dt.date(2026, 8, 1), unit="乙公司", line=4)
    dataset_match(region_code=area.county.code)
    Finding.objects.filter(fact_key__startswith="乙公司").update(state=FindingState.DISMISSED)

    again = dataset_match(region_code=area.county.code)

    assert _findings() == [
        ("contributions", "乙公司|2026-08-01", "dismissed"),
        ("contributions", "甲公司|2026-05-01", "new"),
    ]
    assert again["kinds"]["contributions"] == {"version": version.pk, "new": 0, "gone": 0}


def test_a_fact_gone_from_the_newest_data_closes_its_open_finding(on_post, area):
    placed, _ended = on_post
    first = _version(DatasetKind.FISCAL_PAYROLL, as_of=dt.date(2026, 10, 31))
    _row(first, placed.person, start=dt.date(2019, 8, 1), unit="某局")
    dataset_match(region_code=area.county.code)
    _version(DatasetKind.FISCAL_PAYROLL, as_of=dt.date(2026, 11, 30))  # without the row

    result = dataset_match(region_code=area.county.code)

    assert _findings() == [("fiscal_payroll", "某局|2019-08-01", "gone")]
    assert result["kinds"]["fiscal_payroll"]["gone"] == 1


def test_a_fact_back_in_the_data_makes_its_closed_finding_new_again(on_post, area):
    placed, _ended = on_post
    _row(_version(DatasetKind.DEATHS, as_of=dt.date(2026, 10, 31)), placed.person)
    dataset_match(region_code=area.county.code)
    _version(DatasetKind.DEATHS, as_of=dt.date(2026, 11, 15))
    dataset_match(region_code=area.county.code)
    _row(_version(DatasetKind.DEATHS, as_of=dt.date(2026, 11, 30)), placed.person)

    dataset_match(region_code=area.county.code)

    assert _findings() == [("deaths", "2026-10-01", "new")]
    assert Finding.objects.count() == 1


def test_a_second_match_of_the_county_while_one_runs_is_refused(on_post, area):
    from audits.datasets.match import _LOCK_NAMESPACE

    _row(_version(DatasetKind.DEATHS), on_post[0].person)
    params = connection.get_connection_params()
    keys = ("dbname", "user", "password", "host", "port")
    with psycopg.connect(**{k: params[k] for k in keys if params.get(k)}) as other:
        other.execute("SELECT pg_advisory_lock(%s, %s)", [_LOCK_NAMESPACE, int(area.county.code)])

        with pytest.raises(DomainError):
            dataset_match(region_code=area.county.code)
        # Released before the session closes: a closed session's server process lets its locks
        # go a moment later, which the next line would race.
        other.execute("SELECT pg_advisory_unlock(%s, %s)", [_LOCK_NAMESPACE, int(area.county.code)])

    assert Finding.objects.count() == 0
    dataset_match(region_code=area.county.code)  # the other session's lock is gone
    assert Finding.objects.count() == 1


def test_the_monthly_task_matches_every_county_with_a_loaded_list(on_post, area):
    _row(_version(DatasetKind.DEATHS), on_post[0].person)
    _version(DatasetKind.DEATHS, region_code=area.other_county.code)

    result = dataset_match_monthly()

    assert set(result) == {area.county.code, area.other_county.code}
    assert Finding.objects.count() == 1
    assert dataset_match_monthly()[area.county.code]["kinds"]["deaths"]["new"] == 0
