"""seed_demo's "people" step: a valid, plausible population, and re-running changes nothing."""

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

import people.demo  # noqa: F401  (registers the step, whatever people/apps.py imports)
from gongyi.models import AuditEntry
from people.eligibility import age_on
from people.enums import Sex
from people.idnumbers import parse_id_number
from people.models import Person, PersonGroup, RelativeDeclaration
from people.retirement import RetirementCategory, retirement_date
from people.selectors import eligible_people
from posts.enums import AreaKind

pytestmark = pytest.mark.django_db

N = 400


def seed(n: int = N) -> str:
    out = io.StringIO()
    call_command("seed_demo", people=n, stdout=out)
    return out.getvalue()


def test_demo_people_step_creates_n_people_of_the_county():
    output = seed()

    people = Person.objects.filter(region_code__startswith="370902")
    assert people.count() == N
    assert f"Demo people: {N} created; {N} in 泰山区." in output
    assert set(people.values_list("township__parent__code", flat=True)) == {"370902"}
    assert len(set(people.values_list("township__code", flat=True))) == 7
    assert people.exclude(village=None).filter(region_code__startswith="370902").count() > N // 2
    for code, township, village in people.values_list(
        "region_code", "township__code", "village__code"
    ):
        assert code == (village or township)
        assert village is None or village.startswith(township)


def test_demo_people_id_numbers_valid_and_say_sex_and_birth():
    seed()

    rows = list(Person.objects.values_list("id_number", "sex", "birth_date", "name"))
    assert len({number for number, *_rest in rows}) == len(rows)
    for number, sex, birth, name in rows:
        parsed = parse_id_number(number)
        assert (parsed.number, parsed.sex, parsed.birth_date) == (number, sex, birth)
        assert 2 <= len(name) <= 4
        assert not any(c.isdigit() for c in name)
    areas = Counter(number[:6] for number, *_rest in rows)
    assert areas.most_common(1)[0][0] == "370902"
    assert {"370911", "370921"} & set(areas)


def test_demo_people_retirement_category_default_with_some_women_55():
    seed()

    people = list(Person.objects.all())
    for person in people:
        if person.sex == Sex.MALE:
            assert person.retirement_category == RetirementCategory.MALE_60
        else:
            assert person.retirement_category in (
                RetirementCategory.FEMALE_50,
                RetirementCategory.FEMALE_55,
            )
        assert person.retirement_date == retirement_date(
            person.retirement_category, person.birth_date
        )
    women = Counter(p.retirement_category for p in people if p.sex == Sex.FEMALE)
    assert women[RetirementCategory.FEMALE_50] > women[RetirementCategory.FEMALE_55] > 0


def test_demo_people_ages_fit_their_groups():
    seed()

    today = timezone.localdate()
    memberships = PersonGroup.objects.select_related("person", "group")
    seen = Counter()
    for m in memberships:
        person, code = m.person, m.group.code
        age = age_on(person.birth_date, today)
        seen[code] += 1
        if code == "rural_older":
            assert 45 <= age <= 65, (code, age)
        elif code == "urban_older_unemployed":
            assert age >= (45 if person.sex == Sex.FEMALE else 55), (code, person.sex, age)
            assert person.retirement_date > today
        elif code == "young_unemployed":
            assert 16 <= age <= 24, (code, age)
        else:
            assert 30 <= age <= 65, (code, age)
        if code == "unemployed_mother":
            assert person.sex == Sex.FEMALE
        if m.group.area == AreaKind.URBAN:
            assert person.residence == AreaKind.URBAN
            assert person.retirement_date > today
        else:
            assert person.residence == AreaKind.RURAL
        assert person.birth_date < m.recognised_on <= today
        assert m.recognised_on.year >= 2016
        assert m.evidence
    assert len(seen) == 10  # every standard group has members


def test_demo_people_families_disability_declarations_and_placements():
    seed()

    people = Person.objects.all()
    assert people.filter(dibao_family=True).exists()
    zero = people.filter(zero_employment_family=True)
    assert zero.exists()
    assert not zero.exclude(memberships__group__code="zero_employment_household").exists()
    disabled = list(people.exclude(disability_certificate=""))
    assert disabled
    for person in disabled:
        certificate = person.disability_certificate
        assert certificate[:18] == person.id_number
        assert certificate[18] in "1234567"
        assert int(certificate[19]) == person.disability_grade
    assert PersonGroup.objects.filter(group__code="rural_disabled").count() <= len(disabled)
    assert RelativeDeclaration.objects.exists()
    assert people.filter(placements_used=1, subsidy_months_used__gt=0).exists()
    assert not people.filter(placements_used=0, subsidy_months_used__gt=0).exists()


def test_demo_people_most_are_eligible_for_their_kind_of_post():
    seed()

    for kind in AreaKind:
        residents = Person.objects.filter(residence=kind)
        eligible = eligible_people(residents, area_kind=kind).count()
        assert eligible > residents.count() // 2, kind


def test_demo_people_are_on_the_audit_trail():
    seed()

    entries = AuditEntry.objects.filter(note="seed_demo")
    assert entries.filter(object_type="people.person").count() == N
    assert entries.filter(object_type="people.persongroup").count() == PersonGroup.objects.count()
    call_command("audit_verify", stdout=io.StringIO())


def test_demo_people_rerun_changes_nothing_and_tops_up():
    seed()
    first = sorted(Person.objects.values_list("id_number", "name"))
    memberships = PersonGroup.objects.count()
    entries = AuditEntry.objects.count()

    output = seed()

    assert sorted(Person.objects.values_list("id_number", "name")) == first
    assert PersonGroup.objects.count() == memberships
    assert AuditEntry.objects.count() == entries
    assert f"Demo people: 0 created; {N} in 泰山区." in output

    seed(N + 150)

    assert Person.objects.count() == N + 150
    assert set(first) <= set(Person.objects.values_list("id_number", "name"))
    assert Person.objects.values("id_number").distinct().count() == N + 150


def _forget_onboarding() -> None:
    """The onboarding step's rounds, attendance's months and the payout's lines stand on the
    people (protected keys): gone first."""
    from audits import models as au
    from people.models import Placement
    from people.onboarding import models as m
    from subsidies.attendance import models as a
    from subsidies.payout import models as p

    # The cross-checks, exits and warnings stand on the placements and the payout's lines.
    for model in (au.Repayment, au.DebtLine, au.Debt, au.Finding, au.Exit, au.ExpiryWarning):
        model.objects.all().delete()
    p.AccountFix.objects.all().delete()
    p.PaymentFile.objects.all().delete()
    p.FlexibleInsurance.objects.all().delete()
    # Followers first (a line or batch protects the one it follows).
    p.PayoutLine.objects.exclude(follows=None).delete()
    p.PayoutLine.objects.all().delete()
    p.PayoutBatch.objects.exclude(follows_batch=None).delete()
    p.PayoutBatch.objects.all().delete()
    for model in (
        a.AssessmentEntry,
        a.Assessment,
        a.AttendanceAdjustment,
        a.LeaveRequest,
        a.AttendanceMonth,
        a.AttendanceSheet,
        m.StepRecord,
        m.TrainingAttendance,
        m.Objection,
        m.DepartmentOpinion,
        m.Application,
        Placement,
        m.RankingRecord,
        m.Publicity,
        m.DemocraticReview,
        m.TrainingSession,
        m.Round,
    ):
        model.objects.all().delete()


def test_demo_people_same_database_same_people():
    seed()
    first = sorted(Person.objects.values_list("id_number", "name", "region_code"))
    _forget_onboarding()
    Person.objects.all().delete()

    seed()

    assert sorted(Person.objects.values_list("id_number", "name", "region_code")) == first
