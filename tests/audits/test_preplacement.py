"""The pre-placement check (前置比对, docs/policy.md §8): an applicant against the newest version
of each external dataset of the county, by the match's hit rules; a hit is a rule of the verdict
that needs the township's check, with its evidence, shown where the verdict is shown."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from audits.datasets.enums import DatasetKind
from audits.datasets.policy import PREPLACEMENT_MONTHS
from gongyi.models import PolicySetting
from people.enums import Outcome
from people.models import Person
from people.onboarding import services
from people.selectors import eligible_people, person_facts, person_verdict
from tests.factories import (
    DatasetRowFactory,
    DatasetVersionFactory,
    PersonFactory,
    PostFactory,
    RoundFactory,
    RoundPostFactory,
    add_group,
)

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 11, 30)  # the data's day: with 3 months, from 2026-09-01 on counts
ON = dt.date(2026, 12, 7)


@pytest.fixture
def applicant(area, clerk):
    """A rural older person of the test village, eligible for rural posts."""
    person = PersonFactory(village=area.village, created_by=clerk, born=dt.date(1970, 5, 1))
    add_group(person, "rural_older", recognised_on=dt.date(2020, 1, 1))
    return person


def _version(kind, *, as_of=AS_OF, **kw):
    return DatasetVersionFactory(kind=kind, as_of=as_of, **kw)


def _rule(person, on=ON):
    verdict = person_verdict(person, "rural", on)
    return verdict, {r.code: r for r in verdict.rules}["external_data"]


#: kind → [(the row's fields, a hit?)]
CASES = {
    DatasetKind.DEATHS: [({"start": dt.date(2026, 10, 3)}, True)],
    DatasetKind.RETIREMENT_BENEFITS: [({"start": dt.date(2026, 9, 1)}, True)],
    DatasetKind.FISCAL_PAYROLL: [({"start": dt.date(2019, 8, 1), "unit": "某局"}, True)],
    DatasetKind.CONTRIBUTIONS: [
        # still paying on the data's day
        ({"start": dt.date(2025, 1, 1), "end": None, "unit": "乙公司"}, True),
        # paid in the first of the data's last three months
        ({"start": dt.date(2026, 5, 1), "end": dt.date(2026, 9, 30), "unit": "甲公司"}, True),
        # stopped before them
        ({"start": dt.date(2024, 1, 1), "end": dt.date(2026, 8, 31), "unit": "丙公司"}, False),
    ],
    DatasetKind.BUSINESS_LICENCES: [
        ({"start": dt.date(2023, 5, 6), "end": None, "reference": "92370902MA1"}, True),
        # cancelled in the data's last three months: still a hit
        (
            {"start": dt.date(2020, 1, 1), "end": dt.date(2026, 9, 1), "reference": "92370902MA2"},
            True,
        ),
        # cancelled before them
        (
            {"start": dt.date(2020, 1, 1), "end": dt.date(2026, 8, 31), "reference": "92370902MA3"},
            False,
        ),
    ],
}


def test_every_kind_has_its_cases():
    assert set(CASES) == set(DatasetKind.values)


@pytest.mark.parametrize(
    ("kind", "fields", "hit"),
    [(kind, fields, hit) for kind, cases in CASES.items() for fields, hit in cases],
)
def test_each_kinds_hit_rule(applicant, kind, fields, hit):
    version = _version(kind)
    row = DatasetRowFactory(version=version, id_number=applicant.id_number, line=7, **fields)
    verdict, rule = _rule(applicant)
    assert rule.outcome == (Outcome.ATTENTION if hit else Outcome.PASS)
    # A hit needs the township's check; it never makes the applicant ineligible by itself.
    assert (verdict.eligible, verdict.ready) == (True, not hit)
    if hit:
        assert [(h.kind, h.as_of, h.line) for h in rule.evidence] == [(kind, AS_OF, 7)]
        assert row.start.isoformat()[:7] in rule.evidence[0].facts
        assert rule.as_dict()["evidence"][0]["as_of"] == "2026-11-30"
    else:
        assert rule.evidence == ()


def test_someone_else_on_the_list_is_no_hit(applicant):
    version = _version(DatasetKind.DEATHS)
    DatasetRowFactory(version=version)  # another ID number
    _verdict, rule = _rule(applicant)
    assert (rule.outcome, rule.evidence) == (Outcome.PASS, ())
    with override("zh-hans"):
        _verdict, rule = _rule(applicant)
    assert rule.reason == "以下名单中均未发现：死亡人员（数据截至 2026-11-30）。"


def test_no_dataset_loaded_is_met_and_says_so(applicant):
    with override("zh-hans"):
        verdict, rule = _rule(applicant)
    assert (rule.outcome, verdict.ready) == (Outcome.PASS, True)
    assert rule.reason == "本县尚未导入其他部门的比对名单。"


def test_only_the_newest_version_of_the_county_counts(applicant):
    old = _version(DatasetKind.DEATHS, as_of=dt.date(2026, 10, 31))
    DatasetRowFactory(version=old, id_number=applicant.id_number)
    _version(DatasetKind.DEATHS)  # newer, without the applicant
    other_county = _version(DatasetKind.FISCAL_PAYROLL, region_code="370406")
    DatasetRowFactory(version=other_county, id_number=applicant.id_number, unit="某局")
    _verdict, rule = _rule(applicant)
    assert (rule.outcome, rule.evidence) == (Outcome.PASS, ())


def test_the_county_setting_narrows_the_recent_months(applicant, area):
    version = _version(DatasetKind.CONTRIBUTIONS)
    DatasetRowFactory(
        version=version,
        id_number=applicant.id_number,
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 10, 31),
        unit="甲公司",
    )
    assert _rule(applicant)[1].outcome == Outcome.ATTENTION
    PolicySetting.objects.create(
        key=PREPLACEMENT_MONTHS, county=area.county, value=1, effective_from=dt.date(2026, 1, 1)
    )
    assert _rule(applicant)[1].outcome == Outcome.PASS


def test_every_hit_of_the_person_is_in_the_verdict_in_chinese(applicant):
    deaths, payroll = _version(DatasetKind.DEATHS), _version(DatasetKind.FISCAL_PAYROLL)
    DatasetRowFactory(version=deaths, id_number=applicant.id_number, line=5)
    DatasetRowFactory(
        version=payroll,
        id_number=applicant.id_number,
        line=9,
        unit="某局",
        start=dt.date(2019, 8, 1),
    )
    with override("zh-hans"):
        _verdict, rule = _rule(applicant)
    assert [h.kind for h in rule.evidence] == [DatasetKind.DEATHS, DatasetKind.FISCAL_PAYROLL]
    assert "死亡人员（数据截至 2026-11-30，第 5 行）：死亡日期 2026-10-01" in rule.reason
    assert "财政供养（数据截至 2026-11-30，第 9 行）：2019-08-01 起由某局财政供养" in rule.reason


def test_many_applicants_are_checked_in_a_few_queries(area, clerk, django_assert_num_queries):
    people = [
        PersonFactory(village=area.village, created_by=clerk, born=dt.date(1970, 5, 1))
        for _ in range(30)
    ]
    for kind in DatasetKind.values:
        version = _version(kind)
        for person in people[::3]:
            DatasetRowFactory(
                version=version, id_number=person.id_number, unit="某单位", reference="X1"
            )
    queryset = Person.objects.filter(pk__in=[p.pk for p in people])
    # the people, groups, placements, declarations; the versions, the setting, the rows
    with django_assert_num_queries(7):
        facts = person_facts(queryset, ON, with_external=True)
    assert sum(1 for f in facts.values() if f.external.hits) == 10
    assert all(len(f.external.sources) == 5 for f in facts.values())


def test_the_sql_twin_keeps_a_hit_eligible(applicant):
    DatasetRowFactory(version=_version(DatasetKind.DEATHS), id_number=applicant.id_number)
    verdict, _ = _rule(applicant)
    people = Person.objects.filter(pk=applicant.pk)
    assert verdict.eligible
    assert list(eligible_people(people, area_kind="rural", on=ON)) == [applicant]


@pytest.fixture
def round_post(area, clerk):
    """A published round of the township, open today, offering a rural post of the village."""
    today = timezone.localdate()
    round_ = RoundFactory(
        township=area.township,
        opens_on=today - dt.timedelta(days=20),
        closes_on=today + dt.timedelta(days=10),
        created_by=clerk,
    )
    post = PostFactory(village=area.village, area_kind="rural", headcount=2, created_by=clerk)
    RoundPostFactory(round=round_, post=post, places=2)
    return round_, post


def test_the_application_page_and_the_person_file_show_the_hit(applicant, clerk, login, round_post):
    round_, post = round_post
    version = _version(DatasetKind.BUSINESS_LICENCES)
    DatasetRowFactory(
        version=version,
        id_number=applicant.id_number,
        line=4,
        start=dt.date(2023, 5, 6),
        reference="92370902MA1",
        unit="某便利店",
    )
    with override("zh-hans"):
        app = services.application_submit(actor=clerk, round_=round_, post=post, person=applicant)
    stored = {r["code"]: r for r in app.eligibility["rules"]}["external_data"]
    assert stored["outcome"] == "attention"
    assert stored["evidence"] == [
        {
            "kind": "business_licences",
            "source": "营业执照",
            "as_of": "2026-11-30",
            "line": 4,
            "facts": "营业执照 92370902MA1 某便利店，2023-05-06 登记",
        }
    ]
    client = login(clerk)
    page = client.get(reverse("application-detail", args=[app.pk])).content.decode()
    assert (
        "营业执照（数据截至 2026-11-30，第 4 行）：营业执照 92370902MA1 某便利店，2023-05-06 登记"
        in page
    )
    assert "须由乡镇核实" in page
    file = client.get(reverse("person-detail", args=[applicant.pk])).content.decode()
    assert "营业执照 92370902MA1 某便利店，2023-05-06 登记" in file


def test_people_never_imports_audits():
    """The check comes to ``people`` through its registry (``people.external_checks``), never by
    an import: the apps depend one way only (docs/development.md)."""
    import ast
    from pathlib import Path

    import people

    offenders = []
    for path in Path(people.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "audits"]
    assert offenders == []
