"""The priority order (people.eligibility.rank): docs/policy.md §3, seed 003 §8. No database."""

import datetime as dt
import random

from people.eligibility import rank
from tests.people.test_eligibility import born_aged, group, person

ON = dt.date(2026, 12, 2)


def candidate(pid, *, groups, age=50, recognised=dt.date(2020, 1, 1), family=False, **kw):
    facts = person(
        born=kw.pop("born", born_aged(age)),
        groups=(),
        person_id=pid,
        id_number=kw.pop("id_number", f"3709021975050100{pid:02d}"),
        dibao_family=family,
        **kw,
    )
    return facts, tuple(group(g, recognised) for g in groups)


def order(ranked):
    return [r.facts.person_id for r in ranked]


def test_priority_groups_in_the_order_of_seed_003_8():
    """城镇零就业家庭人员, 城镇大龄失业人员, 脱贫享受政策人口, 低收入人口, 残疾人; then the rest."""
    people = [
        candidate(1, groups=["rural_older"], age=64),
        candidate(2, groups=["rural_disabled"]),
        candidate(3, groups=["rural_low_income"]),
        candidate(4, groups=["poverty_alleviated"]),
        candidate(5, groups=["urban_older_unemployed"]),
        candidate(6, groups=["zero_employment_household"], age=30),
    ]
    ranked = rank(people, ON)
    assert order(ranked) == [6, 5, 4, 3, 2, 1]
    assert ranked[0].reason.startswith("第一位")
    assert ranked[-1].group is None


def test_the_best_priority_group_of_a_person_counts():
    people = [
        candidate(1, groups=["rural_low_income"], age=60),
        candidate(2, groups=["rural_disabled", "poverty_alleviated"], age=40),
    ]
    ranked = rank(people, ON)
    assert order(ranked) == [2, 1]
    assert ranked[0].group.code == "poverty_alleviated"


def test_within_a_group_older_then_earlier_recognition_then_family():
    people = [
        candidate(1, groups=["poverty_alleviated"], age=50, recognised=dt.date(2018, 1, 1)),
        candidate(2, groups=["poverty_alleviated"], age=55, recognised=dt.date(2021, 1, 1)),
        candidate(3, groups=["poverty_alleviated"], age=50, recognised=dt.date(2016, 5, 1)),
        candidate(
            4, groups=["poverty_alleviated"], age=50, recognised=dt.date(2016, 5, 1), family=True
        ),
    ]
    ranked = rank(people, ON)
    assert order(ranked) == [2, 4, 3, 1]
    assert [r.reason for r in ranked[1:]] == [
        "同一群体，年龄较小：50 周岁。",
        "同一群体、年龄和认定登记时间相同，非低保或零就业家庭成员。",
        "同一群体、年龄相同，认定登记较晚：2018-01-01。",
    ]


def test_ties_are_broken_by_birth_date_then_id_number_whatever_the_input_order():
    born = dt.date(1976, 6, 1)
    people = [
        candidate(1, groups=["poverty_alleviated"], born=born, id_number="370902197606010029"),
        candidate(2, groups=["poverty_alleviated"], born=born, id_number="370902197606010010"),
        candidate(3, groups=["poverty_alleviated"], born=dt.date(1976, 3, 1)),
    ]
    expected = order(rank(people, ON))
    assert expected == [3, 2, 1]
    for seed in range(5):
        shuffled = people[:]
        random.Random(seed).shuffle(shuffled)
        assert order(rank(shuffled, ON)) == expected
    ranked = rank(people, ON)
    assert ranked[1].reason.startswith("各项优先因素相同，出生较晚")
    assert ranked[2].reason == "各项优先因素和出生日期均相同，按身份证号排序。"


def test_two_thousand_applicants_rank_in_one_pass():
    """The bench (``python -m bench people_search``) times it; here: every position once, in
    order, each with a reason."""
    rng = random.Random(7)
    codes = ["zero_employment_household", "poverty_alleviated", "rural_low_income", "rural_older"]
    people = [
        candidate(
            i,
            groups=[rng.choice(codes)],
            age=rng.randint(30, 64),
            recognised=dt.date(2016, 1, 1) + dt.timedelta(days=rng.randint(0, 3000)),
            family=rng.random() < 0.2,
            id_number=f"{i:018d}",
        )
        for i in range(2000)
    ]
    ranked = rank(people, ON)
    assert [r.position for r in ranked] == list(range(1, 2001))
    assert all(r.reason for r in ranked)
    keys = [(r.group.priority if r.group and r.group.priority else 1000, -r.age) for r in ranked]
    assert keys == sorted(keys)


def test_a_zero_employment_group_member_counts_as_family():
    people = [
        candidate(1, groups=["zero_employment_household"], age=50),
        candidate(2, groups=["zero_employment_household"], age=50, family=True),
    ]
    # Both are of a zero-employment family: the tie goes to the birth date, then the ID number.
    assert (
        rank(people, ON)[1].reason != "同一群体、年龄和认定登记时间相同，非低保或零就业家庭成员。"
    )
