"""The eligibility rules (people.eligibility), pure: the cases of seed 001 §二(一), seed 003 §9 §19
and docs/policy.md §2 and §4. No database."""

import datetime as dt

import pytest

from gongyi.policy import POLICY_KEYS
from people.eligibility import GroupFacts, PersonFacts, age_on, eligibility
from people.policy import (
    ELIGIBILITY_KEYS,
    MAX_PLACEMENTS,
    RURAL_MAX_AGE,
    URBAN_MIN_MONTHS_LEFT,
    URBAN_OLDER_MEN_MIN_AGE,
    URBAN_OLDER_WOMEN_MIN_AGE,
)
from people.retirement import RetirementCategory, retirement_date

ON = dt.date(2026, 12, 2)
DEFAULTS = {key: POLICY_KEYS[key].default for key in ELIGIBILITY_KEYS}

GROUPS = {
    # code: (name, area, age condition, priority, may be placed again) as migration 0002
    "zero_employment_household": ("城镇零就业家庭人员", "urban", "", 1, True),
    "urban_older_unemployed": ("城镇大龄失业人员", "urban", "urban_older", 2, True),
    "poverty_alleviated": ("脱贫享受政策人口", "rural", "", 3, True),
    "rural_low_income": ("农村低收入人口", "rural", "", 4, False),
    "rural_disabled": ("农村残疾人", "rural", "", 5, False),
    "rural_older": ("农村大龄人员", "rural", "rural_older", None, True),
    "young_unemployed": ("登记失业青年", "rural", "young", None, False),
}


def group(code, recognised_on=dt.date(2020, 1, 1)):
    name, area, age, priority, again = GROUPS[code]
    return GroupFacts(code, name, area, age, priority, again, recognised_on)


def person(*, born, sex="female", groups=(), category=None, **kw):
    category = category or (
        RetirementCategory.MALE_60 if sex == "male" else RetirementCategory.FEMALE_50
    )
    return PersonFacts(
        person_id=kw.pop("person_id", 1),
        id_number=kw.pop("id_number", "370902197505010023"),
        name="测试",
        sex=sex,
        birth_date=born,
        retirement_date=retirement_date(category, born),
        groups=tuple(group(g) for g in groups),
        **kw,
    )


def born_aged(age, on=ON):
    """Born so that the person is ``age`` on ``on`` (birthday a day earlier)."""
    return (on - dt.timedelta(days=1)).replace(year=on.year - age)


def outcome(verdict, code):
    return next(r.outcome for r in verdict.rules if r.code == code)


def test_every_rule_is_listed_with_a_reason():
    verdict = eligibility(
        person(born=born_aged(50), groups=["poverty_alleviated"]), "rural", ON, DEFAULTS
    )
    assert [r.code for r in verdict.rules] == [
        "target_group",
        "age",
        "placements",
        "subsidy_months",
        "on_post",
        "declaration",
    ]
    assert all(r.reason for r in verdict.rules)
    assert verdict.eligible and verdict.ready
    assert verdict.as_dict()["rules"][0]["outcome"] == "pass"


@pytest.mark.parametrize(
    ("age", "ok"), [(44, False), (45, True), (60, True), (65, True), (66, False)]
)
def test_rural_older_person_is_45_to_65(age, ok):
    """Seed 001 §二(一): 农村大龄人员（45-65周岁）."""
    verdict = eligibility(
        person(born=born_aged(age), groups=["rural_older"]), "rural", ON, DEFAULTS
    )
    assert (outcome(verdict, "target_group") == "pass") is ok
    assert verdict.eligible is ok


@pytest.mark.parametrize(("age", "ok"), [(15, False), (16, True), (65, True), (66, False)])
def test_rural_posts_take_16_to_65_by_default(age, ok):
    """docs/policy.md §2: rural age range 16-65 by default."""
    verdict = eligibility(
        person(born=born_aged(age), groups=["poverty_alleviated"]), "rural", ON, DEFAULTS
    )
    assert (outcome(verdict, "age") == "pass") is ok


def test_a_county_may_relax_the_rural_age_but_never_past_70():
    relaxed = DEFAULTS | {RURAL_MAX_AGE: 70}
    at_70 = person(born=born_aged(70), groups=["poverty_alleviated"])
    assert eligibility(at_70, "rural", ON, relaxed).eligible
    past = DEFAULTS | {RURAL_MAX_AGE: 75}  # a row that slipped past the setting's maximum
    assert not eligibility(
        person(born=born_aged(71), groups=["poverty_alleviated"]), "rural", ON, past
    ).eligible
    assert POLICY_KEYS[RURAL_MAX_AGE].maximum == 70


@pytest.mark.parametrize(
    ("sex", "age", "ok"),
    [("female", 44, False), ("female", 45, True), ("male", 54, False), ("male", 55, True)],
)
def test_urban_older_unemployed_women_45_men_55(sex, age, ok):
    """Seed 001 §二(一): 城镇大龄失业人员（女性45周岁以上、男性55周岁以上至法定退休年龄）."""
    verdict = eligibility(
        person(born=born_aged(age), sex=sex, groups=["urban_older_unemployed"]),
        "urban",
        ON,
        DEFAULTS,
    )
    assert verdict.eligible is ok


def test_some_counties_count_older_unemployed_from_40_and_50():
    settings = DEFAULTS | {URBAN_OLDER_WOMEN_MIN_AGE: 40, URBAN_OLDER_MEN_MIN_AGE: 50}
    woman = person(born=born_aged(41), groups=["urban_older_unemployed"])
    man = person(born=born_aged(51), sex="male", groups=["urban_older_unemployed"])
    assert eligibility(woman, "urban", ON, settings).eligible
    assert eligibility(man, "urban", ON, settings).eligible
    assert not eligibility(man, "urban", ON, DEFAULTS).eligible


def test_urban_posts_end_at_the_statutory_retirement_date():
    """docs/policy.md §4's check: a man born 1965-12 retires in 2026-03 at 60 years and 3 months."""
    man = person(born=dt.date(1965, 12, 10), sex="male", groups=["urban_older_unemployed"])
    assert man.retirement_date == dt.date(2026, 3, 10)
    assert eligibility(man, "urban", dt.date(2026, 3, 9), DEFAULTS).eligible
    after = eligibility(man, "urban", dt.date(2026, 3, 10), DEFAULTS)
    assert not after.eligible
    assert outcome(after, "age") == "fail"
    assert "2026-03-10" in next(r.reason for r in after.rules if r.code == "age")


def test_women_cadres_retire_later_than_women_workers():
    """docs/policy.md §4: born 1971-04, the 55 category retires in 2026-08; the 50 category long
    ago."""
    born = dt.date(1971, 4, 15)
    cadre = person(born=born, groups=["urban_older_unemployed"], category="female_55")
    worker = person(born=born, groups=["urban_older_unemployed"], category="female_50")
    on = dt.date(2026, 5, 1)
    assert cadre.retirement_date == dt.date(2026, 8, 15)
    assert eligibility(cadre, "urban", on, DEFAULTS).eligible
    assert not eligibility(worker, "urban", on, DEFAULTS).eligible


def test_months_left_before_retirement_is_off_by_default_and_a_setting():
    """docs/policy.md §2: "at least 1 year left ... in some counties (setting, default off)"."""
    cadre = person(
        born=dt.date(1971, 4, 15), groups=["urban_older_unemployed"], category="female_55"
    )
    on = dt.date(2026, 5, 1)  # three and a half months left
    assert eligibility(cadre, "urban", on, DEFAULTS).eligible
    strict = eligibility(cadre, "urban", on, DEFAULTS | {URBAN_MIN_MONTHS_LEFT: 12})
    assert not strict.eligible
    assert "12" in next(r.reason for r in strict.rules if r.code == "age")


def test_a_group_serves_its_own_kind_of_post_only():
    rural = person(born=born_aged(50), groups=["poverty_alleviated"])
    verdict = eligibility(rural, "urban", ON, DEFAULTS)
    assert outcome(verdict, "target_group") == "fail"
    assert "脱贫享受政策人口" in verdict.rules[0].reason


def test_nobody_without_a_group_qualifies():
    verdict = eligibility(person(born=born_aged(50)), "rural", ON, DEFAULTS)
    assert not verdict.eligible
    assert verdict.groups == ()


@pytest.mark.parametrize(("age", "ok"), [(16, True), (24, True), (25, False)])
def test_young_registered_unemployed_are_16_to_24(age, ok):
    verdict = eligibility(
        person(born=born_aged(age), groups=["young_unemployed"]), "rural", ON, DEFAULTS
    )
    assert verdict.eligible is ok


def test_at_most_two_placements_in_a_lifetime():
    """Seed 003 §19 and seed 004: 累计安置次数不超过2次."""
    twice = person(born=born_aged(50), groups=["poverty_alleviated"], placements_used=2)
    verdict = eligibility(twice, "rural", ON, DEFAULTS)
    assert outcome(verdict, "placements") == "fail"
    once_only = DEFAULTS | {MAX_PLACEMENTS: 1}
    again = person(born=born_aged(50), groups=["poverty_alleviated"], placements_used=1)
    assert not eligibility(again, "rural", ON, once_only).eligible


def test_a_second_placement_only_for_the_groups_of_seed_003_19():
    again = person(born=born_aged(50), groups=["poverty_alleviated"], placements_used=1)
    assert eligibility(again, "rural", ON, DEFAULTS).eligible
    low_income = person(born=born_aged(40), groups=["rural_low_income"], placements_used=1)
    verdict = eligibility(low_income, "rural", ON, DEFAULTS)
    assert outcome(verdict, "placements") == "fail"
    severe = person(
        born=born_aged(40), groups=["rural_disabled"], placements_used=1, disability_grade=2
    )
    assert eligibility(severe, "rural", ON, DEFAULTS).eligible
    mild = person(
        born=born_aged(40), groups=["rural_disabled"], placements_used=1, disability_grade=4
    )
    assert not eligibility(mild, "rural", ON, DEFAULTS).eligible


def test_subsidy_months_used_up():
    used = person(born=born_aged(50), groups=["poverty_alleviated"], subsidy_months_used=72)
    verdict = eligibility(used, "rural", ON, DEFAULTS)
    assert outcome(verdict, "subsidy_months") == "fail"
    some = person(born=born_aged(50), groups=["poverty_alleviated"], subsidy_months_used=30)
    assert outcome(eligibility(some, "rural", ON, DEFAULTS), "subsidy_months") == "pass"


def test_somebody_on_a_post_is_not_placed_again():
    on_post = person(born=born_aged(50), groups=["poverty_alleviated"], on_post=True)
    assert outcome(eligibility(on_post, "rural", ON, DEFAULTS), "on_post") == "fail"


@pytest.mark.parametrize(
    ("statuses", "result", "eligible", "ready"),
    [
        ((), "pass", True, True),
        (("declared",), "attention", True, False),
        (("township_approved",), "attention", True, False),
        (("filed",), "pass", True, True),
        (("filed", "refused"), "fail", False, False),
    ],
)
def test_a_declared_relative_needs_the_township_and_the_county_first(
    statuses, result, eligible, ready
):
    """Seed 003 §9: 乡镇（街道）研究通过、县（市、区）人力资源社会保障部门备案同意后按程序上岗."""
    facts = person(born=born_aged(50), groups=["poverty_alleviated"], declarations=statuses)
    verdict = eligibility(facts, "rural", ON, DEFAULTS)
    assert outcome(verdict, "declaration") == result
    assert (verdict.eligible, verdict.ready) == (eligible, ready)


def test_age_on_a_leap_day_birthday():
    assert age_on(dt.date(2000, 2, 29), dt.date(2026, 2, 28)) == 25
    assert age_on(dt.date(2000, 2, 29), dt.date(2026, 3, 1)) == 26


def test_a_group_counts_from_its_recognition_date():
    facts = person(born=born_aged(50), groups=())
    later = PersonFacts(**{**facts.__dict__, "groups": (group("poverty_alleviated", ON),)})
    assert not eligibility(later, "rural", ON - dt.timedelta(days=1), DEFAULTS).eligible
    assert eligibility(later, "rural", ON, DEFAULTS).eligible


def test_a_withdrawn_declaration_needs_nothing():
    facts = person(born=born_aged(50), groups=["poverty_alleviated"], declarations=("withdrawn",))
    assert eligibility(facts, "rural", ON, DEFAULTS).ready


def test_a_rural_minimum_below_working_age_is_not_applied():
    from people.policy import RURAL_MIN_AGE

    child = person(born=born_aged(14), groups=["poverty_alleviated"])
    assert not eligibility(child, "rural", ON, DEFAULTS | {RURAL_MIN_AGE: 0}).eligible
