"""``people.selectors.eligible_people`` (the SQL filter search uses) gives the same people as the
pure rules (``people.eligibility.eligibility``) for every kind of post and several counties'
settings, over a population made to sit on every boundary."""

import datetime as dt
import itertools

import pytest

from gongyi.policy import POLICY_KEYS
from people.eligibility import eligibility
from people.enums import DeclarationStatus
from people.models import Person, Placement, RelativeDeclaration
from people.policy import (
    ELIGIBILITY_KEYS,
    MAX_PLACEMENTS,
    RURAL_MAX_AGE,
    URBAN_MIN_MONTHS_LEFT,
    URBAN_OLDER_MEN_MIN_AGE,
    URBAN_OLDER_WOMEN_MIN_AGE,
)
from people.selectors import eligible_people, person_facts
from tests.factories import PersonFactory, PostFactory, add_group

ON = dt.date(2026, 12, 2)
DEFAULTS = {key: POLICY_KEYS[key].default for key in ELIGIBILITY_KEYS}
SETTINGS = [
    DEFAULTS,
    DEFAULTS | {URBAN_OLDER_WOMEN_MIN_AGE: 40, URBAN_OLDER_MEN_MIN_AGE: 50, RURAL_MAX_AGE: 70},
    DEFAULTS | {URBAN_MIN_MONTHS_LEFT: 12, MAX_PLACEMENTS: 1},
]
GROUP_SETS = [
    (),
    ("rural_older",),
    ("urban_older_unemployed",),
    ("poverty_alleviated",),
    ("rural_low_income", "zero_employment_household"),
    ("young_unemployed",),
]
AGES = [15, 16, 24, 25, 39, 40, 44, 45, 49, 50, 54, 55, 58, 62, 65, 66, 70, 71]


@pytest.fixture
def population(area, users):
    post = PostFactory(village=area.village, area_kind="rural")
    for n, (age, groups, male) in enumerate(
        itertools.product(AGES, GROUP_SETS, (False, True)), start=1
    ):
        born = ON.replace(year=ON.year - age) - dt.timedelta(days=n % 3)  # on and off birthdays
        extra = {}
        if n % 7 == 0:
            extra["placements_used"] = 1
        if n % 11 == 0:
            extra["placements_used"] = 2
        if n % 13 == 0:
            extra["subsidy_months_used"] = 72
        if n % 17 == 0:
            extra["disability_grade"] = 1
        if n % 19 == 0:
            extra["retirement_category"] = "female_55" if not male else "male_60"
        person = PersonFactory(village=area.village, born=born, male=male, **extra)
        for code in groups:
            add_group(person, code)
        if n % 23 == 0:
            Placement.objects.create(
                person=person, post=post, region_code=post.region_code, start_date=ON
            )
        if n % 29 == 0:
            Placement.objects.create(
                person=person,
                post=post,
                region_code=post.region_code,
                start_date=dt.date(2020, 1, 1),
                end_date=dt.date(2022, 1, 1),
            )
        if n % 5 == 0:
            status = [DeclarationStatus.DECLARED, DeclarationStatus.REFUSED][n % 2]
            RelativeDeclaration.objects.create(
                person=person,
                relation="spouse",
                relative_name="某某",
                relative_kind="cadre",
                relative_post="村委会主任",
                declared_on=ON,
                status=status,
                created_by=person.created_by,
            )
    return Person.objects.all()


def test_sql_filter_agrees_with_the_rules(population, django_assert_num_queries):
    with django_assert_num_queries(4):  # the facts of any number of people
        facts = person_facts(population, ON)
    for area_kind, settings in itertools.product(["urban", "rural"], SETTINGS):
        expected = {
            pk for pk, f in facts.items() if eligibility(f, area_kind, ON, settings).eligible
        }
        found = set(
            eligible_people(population, area_kind=area_kind, on=ON, settings=settings).values_list(
                "pk", flat=True
            )
        )
        assert found == expected, (area_kind, settings)
        assert 0 < len(expected) < len(facts)  # the population sits on both sides
