"""Demo population of the person registry (``seed_demo``'s "people" step).

泰山区 gets about 2,000 people who may be placed, as a township's roster has them: valid ID numbers
(mostly 370902, some older or other address codes, which docs/policy.md §5 says are never checked),
sex from the order code, ages that fit the groups, the default retirement category (some women in
the 55 category), home villages of the county's townships, target groups recognised 2016–2025 with
their evidence, some 低保 and 零就业 families, disabled people with second-generation certificate
numbers, a few relative declarations, and some people placed before. ``--people N`` makes the county
at least N people strong (benchmarks: 500,000), written with COPY in chunks.

Re-running tops the county up to N and otherwise changes nothing. The same database and the same
day give the same people: the random generator is seeded with the county and the number of people
already there, and ages count from the day of the run, so that they keep fitting the groups.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from gongyi.audit import Change, audit_record_many, snapshot
from gongyi.db import copy_insert
from gongyi.demo import DemoStep, register_demo_step
from gongyi.enums import AuditAction, RegionKind, RegionLevel, Role
from gongyi.models import Region, User
from people.eligibility import age_on, years_before
from people.enums import AccountKind, DeclarationStatus, Registration, Relation, RelativeKind, Sex
from people.idnumbers import check_character
from people.models import Person, PersonGroup, RelativeDeclaration, TargetGroup
from people.retirement import RetirementCategory, default_category, retirement_date
from posts.demo import ALLOCATION_2022  # importing it registers the posts step before this one
from posts.enums import AreaKind

DEFAULT_PEOPLE = 2000
#: People per transaction: bounded memory whatever N is.
CHUNK = 5000
SEED = 370902
FIRST_RECOGNITION, LAST_RECOGNITION = dt.date(2016, 1, 1), dt.date(2025, 12, 31)

# Common surnames, weighted roughly as in Shandong (per mille); given-name characters by sex.
SURNAMES = (
    ("王", 90), ("张", 80), ("李", 75), ("刘", 65), ("赵", 40), ("孙", 35), ("陈", 30),
    ("杨", 30), ("徐", 25), ("高", 25), ("马", 22), ("朱", 20), ("胡", 18), ("郭", 18),
    ("田", 16), ("吕", 15), ("宋", 15), ("韩", 15), ("于", 15), ("董", 14), ("周", 14),
    ("吴", 12), ("许", 12), ("魏", 12), ("程", 11), ("曹", 11), ("袁", 10), ("邓", 9),
    ("冯", 10), ("孟", 10), ("范", 9), ("毕", 8), ("侯", 8), ("崔", 9), ("姜", 10),
    ("石", 8), ("贾", 8), ("薛", 7), ("秦", 7), ("尹", 7), ("路", 6), ("房", 6), ("岳", 6),
    ("谢", 6), ("林", 6), ("何", 6), ("郑", 7), ("黄", 7), ("葛", 6), ("邵", 6), ("亓", 5),
    ("牛", 5), ("鲁", 5), ("武", 5), ("常", 5), ("闫", 6), ("安", 5), ("宁", 4), ("辛", 4),
    ("卢", 5), ("焦", 5), ("蒋", 4), ("申", 4), ("颜", 4), ("丁", 6), ("任", 6), ("梁", 6),
    ("司马", 1), ("欧阳", 1),
)  # fmt: skip
MALE_CHARACTERS = "伟强磊军勇杰涛明超刚平辉鹏华飞斌波健峰建国志宏海林庆东晓永春德福贵成兵亮新凯"
FEMALE_CHARACTERS = "秀英芳娟敏静丽艳霞红玲燕梅兰萍琳婷雪慧莉凤桂珍翠云玉荣淑华倩洁琴美丹娜晶"
PHONE_PREFIXES = ("38", "39", "35", "36", "37", "58", "59", "87", "88", "52", "53", "80", "89")
BANKS = (
    "中国农业银行泰安泰山支行",
    "中国工商银行泰安分行",
    "中国建设银行泰安分行",
    "山东泰山农村商业银行",
    "中国邮政储蓄银行泰安市分行",
)
#: Address codes: where the ID number was issued, by household registration (docs/policy.md §5: the
#: code is never checked, and 370911 and 370921 are valid in numbers issued long ago).
ADDRESS_CODES = {
    Registration.LOCAL: (("370902", 88), ("370911", 12)),
    Registration.PROVINCE: (("370921", 40), ("370983", 30), ("370982", 20), ("370102", 10)),
    Registration.ELSEWHERE: (("410102", 40), ("130102", 30), ("320102", 30)),
}
REGISTRATIONS = ((Registration.LOCAL, 90), (Registration.PROVINCE, 8), (Registration.ELSEWHERE, 2))


@dataclass(frozen=True)
class Profile:
    """One kind of person on a township's roster: the main group (empty: not recognised in one
    yet), where they live, their ages (men's apart where the group says so) and how often other
    groups and family situations come with it."""

    group: str
    weight: int
    residence: str  # "" for either
    ages: tuple[int, int]
    women: float = 0.5
    men_ages: tuple[int, int] | None = None
    also: tuple[tuple[str, float], ...] = ()
    dibao: float = 0.05
    disabled: float = 0.02


RURAL, URBAN = AreaKind.RURAL, AreaKind.URBAN
PROFILES = (
    Profile("rural_older", 22, RURAL, (45, 65), also=(("poverty_alleviated", 0.25), ("rural_low_income", 0.15)), dibao=0.15),
    Profile("poverty_alleviated", 12, RURAL, (30, 60), also=(("rural_low_income", 0.3),), dibao=0.2),
    Profile("relapse_monitored", 5, RURAL, (30, 60), dibao=0.1),
    Profile("rural_low_income", 10, RURAL, (30, 60), dibao=0.6),
    Profile("rural_disabled", 6, RURAL, (30, 60), women=0.4, also=(("rural_low_income", 0.4),), dibao=0.3, disabled=1.0),
    Profile("single_parent", 3, RURAL, (30, 50), women=0.75),
    Profile("young_unemployed", 6, RURAL, (16, 24), women=0.45, dibao=0.0),
    Profile("unemployed_mother", 3, RURAL, (30, 45), women=1.0),
    Profile("zero_employment_household", 10, URBAN, (30, 60), also=(("urban_older_unemployed", 0.5),), dibao=0.2),
    Profile("urban_older_unemployed", 20, URBAN, (45, 52), men_ages=(55, 60), also=(("zero_employment_household", 0.1),)),
    Profile("", 3, "", (30, 60)),
)  # fmt: skip
PROFILE_WEIGHTS = list(itertools.accumulate(p.weight for p in PROFILES))

EVIDENCE = {
    "zero_employment_household": "泰山区人社局零就业家庭认定（{year}年第{n}批）",
    "urban_older_unemployed": "就业失业登记（泰山区公共就业和人才服务中心，{year}年{month}月）",
    "poverty_alleviated": "全国防返贫监测信息系统脱贫人口（{year}年标注）",
    "relapse_monitored": "防止返贫监测对象认定（{township}，{year}年{month}月）",
    "rural_low_income": "农村低收入人口动态监测信息平台（{year}年{month}月认定）",
    "rural_disabled": "第二代残疾人证（泰山区残联{year}年核发）",
    "rural_older": "户籍登记（农业户口）及年龄核验（{township}，{year}年）",
    "single_parent": "离婚证或配偶死亡证明、未成年子女户口簿（{year}年）",
    "young_unemployed": "就业失业登记（{year}年{month}月）",
    "unemployed_mother": "就业失业登记及两孩出生医学证明（{year}年）",
}
#: Age a member must have reached when recognised: the group's own threshold, else adulthood.
RECOGNITION_AGE = {"rural_older": 45, "young_unemployed": 16}
OFFICIAL_POSTS = (
    "泰山区人民政府办公室科员",
    "泰山区教育和体育局干部",
    "{township}党政办公室工作人员",
)
CADRE_POSTS = ("{home}党支部委员", "{home}村（居）民委员会主任", "{home}村（居）务监督委员会委员")
DECLARATION_STATUSES = (
    (DeclarationStatus.DECLARED, 40),
    (DeclarationStatus.TOWNSHIP_APPROVED, 25),
    (DeclarationStatus.FILED, 30),
    (DeclarationStatus.REFUSED, 5),
)


def _cumulative(pairs) -> tuple[list, list[int]]:
    pairs = list(pairs)
    values = [v for v, _w in pairs]
    return values, list(itertools.accumulate(w for _v, w in pairs))


@dataclass
class Draft:
    """A person before insertion, with the memberships and declaration that follow the pk."""

    person: Person
    groups: list[tuple[str, dt.date, str]] = field(default_factory=list)
    declaration: dict | None = None


class Population:
    """Generates people of the county, never an ID number twice (``taken``)."""

    def __init__(self, rng: random.Random, *, county: Region, today: dt.date, taken: set[str]):
        self.rng, self.today, self.taken = rng, today, taken
        townships = list(
            Region.objects.filter(code__in=ALLOCATION_2022, parent__code=county.code).order_by(
                "code"
            )
        )
        villages = list(
            Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith=county.code)
        )
        self.homes = {}
        self.township_weights = {}
        for kind, wanted, index in (
            (URBAN, RegionKind.COMMUNITY, 0),
            (RURAL, RegionKind.VILLAGE, 1),
        ):
            self.township_weights[kind] = _cumulative(
                (t, ALLOCATION_2022[t.code][index] + 5) for t in townships
            )
            for township in townships:
                own = [v for v in villages if v.parent_id == township.pk]
                self.homes[kind, township.pk] = [v for v in own if v.kind == wanted] or own
        clerks = User.objects.filter(role=Role.CLERK, region__in=townships)
        self.clerks = {u.region_id: u for u in clerks}
        self.actor = county_actor(county)
        self.surnames = _cumulative(SURNAMES)
        self.registrations = _cumulative(REGISTRATIONS)
        self.codes = {k: _cumulative(v) for k, v in ADDRESS_CODES.items()}
        self.statuses = _cumulative(DECLARATION_STATUSES)

    def pick(self, values_weights):
        values, weights = values_weights
        return self.rng.choices(values, cum_weights=weights)[0]

    def name(self, female: bool, surname: str) -> str:
        characters = FEMALE_CHARACTERS if female else MALE_CHARACTERS
        given = self.rng.choice(characters)
        if self.rng.random() < 0.6:
            given += self.rng.choice(characters)
        return surname + given

    def birth(self, ages: tuple[int, int]) -> dt.date:
        """A birth date of someone whose age today is in ``ages`` (whole years, both included)."""
        age = self.rng.randint(*ages)
        return years_before(self.today, age) - dt.timedelta(days=self.rng.randrange(365))

    def id_number(self, area: str, birth: dt.date, female: bool) -> str:
        while True:
            order = 2 * self.rng.randrange(1, 500) if female else 2 * self.rng.randrange(500) + 1
            first17 = f"{area}{birth:%Y%m%d}{order:03d}"
            number = first17 + check_character(first17)
            if number not in self.taken:
                self.taken.add(number)
                return number

    def recognised_on(self, group: str, birth: dt.date, female: bool) -> dt.date:
        years = RECOGNITION_AGE.get(group, 18)
        if group == "urban_older_unemployed":
            years = 45 if female else 55
        low = max(FIRST_RECOGNITION, years_before(birth, -years))  # the birthday of that age
        high = min(LAST_RECOGNITION, self.today)
        if low > high:  # came of age for the group after 2025
            high = self.today
        return low + dt.timedelta(days=self.rng.randrange((high - low).days + 1))

    def _life(self, profile: Profile, female: bool) -> tuple[dt.date, str]:
        """Birth date and retirement category; urban people are below the retirement date."""
        ages = profile.men_ages if profile.men_ages and not female else profile.ages
        category = default_category(Sex.FEMALE if female else Sex.MALE)
        if female and self.rng.random() < 0.15:
            category = RetirementCategory.FEMALE_55
        residence = profile.residence
        for _try in range(30):
            birth = self.birth(ages)
            if residence != URBAN or retirement_date(category, birth) > self.today + dt.timedelta(
                days=180
            ):
                return birth, category
        return years_before(self.today, ages[0]) - dt.timedelta(days=1), category

    def draft(self) -> Draft:
        rng = self.rng
        profile = PROFILES[rng.choices(range(len(PROFILES)), cum_weights=PROFILE_WEIGHTS)[0]]
        residence = profile.residence or rng.choice((URBAN, RURAL))
        female = rng.random() < profile.women
        birth, category = self._life(profile, female)
        registration = self.pick(self.registrations)
        number = self.id_number(self.pick(self.codes[registration]), birth, female)
        township = self.pick(self.township_weights[residence])
        homes = self.homes[residence, township.pk]
        village = rng.choice(homes) if homes and rng.random() < 0.9 else None
        surname = self.pick(self.surnames)
        person = Person(
            id_number=number,
            name=self.name(female, surname),
            sex=Sex.FEMALE if female else Sex.MALE,
            birth_date=birth,
            phone=f"1{rng.choice(PHONE_PREFIXES)}{rng.randrange(10**8):08d}"
            if rng.random() < 0.9
            else "",
            registration=registration,
            township=township,
            village=village,
            region_code=(village or township).code,
            residence=residence,
            retirement_category=category,
            retirement_date=retirement_date(category, birth),
            dibao_family=rng.random() < profile.dibao,
            created_by=self.clerks.get(township.pk, self.actor),
        )
        if rng.random() < 0.9:
            person.account_kind = AccountKind.CARD
            person.account_number = f"6217{rng.randrange(10**15):015d}"
            person.bank_name = rng.choice(BANKS)
        if rng.random() < profile.disabled:
            grade = rng.choice((1, 2, 3, 3, 4, 4, 4))
            person.disability_certificate = f"{number}{rng.randint(1, 7)}{grade}"
            person.disability_grade = grade
        roll = rng.random()
        if roll < 0.01:
            person.placements_used, person.subsidy_months_used = 2, rng.randint(40, 72)
        elif roll < 0.09:
            person.placements_used, person.subsidy_months_used = 1, rng.randint(3, 36)
        draft = Draft(person)
        codes = [profile.group] if profile.group else []
        codes += [code for code, share in profile.also if rng.random() < share]
        age = age_on(birth, self.today)
        for code in codes:
            if code == "urban_older_unemployed" and age < (45 if female else 55):
                continue  # the group's age condition (docs/policy.md §2)
            on = self.recognised_on(code, birth, female)
            evidence = EVIDENCE[code].format(
                year=on.year, month=on.month, n=rng.randint(1, 6), township=township.name
            )
            draft.groups.append((code, on, evidence))
        person.zero_employment_family = "zero_employment_household" in codes
        if rng.random() < 0.015:
            draft.declaration = self.declaration(person, township, surname)
        return draft

    def declaration(self, person: Person, township: Region, surname: str) -> dict:
        rng = self.rng
        relation = rng.choice(Relation.values)
        kind = rng.choice(RelativeKind.values)
        posts = OFFICIAL_POSTS if kind == RelativeKind.OFFICIAL else CADRE_POSTS
        if relation not in {Relation.PARENT, Relation.SIBLING, Relation.GRANDPARENT}:
            surname = self.pick(self.surnames)  # a relative by marriage or on the mother's side
        start = dt.date(2024, 1, 1)
        return {
            "relation": relation,
            "relative_name": self.name(rng.random() < 0.5, surname),
            "relative_kind": kind,
            "relative_post": rng.choice(posts).format(
                township=township.name, home=person.home.name
            ),
            "declared_on": start + dt.timedelta(days=rng.randrange((self.today - start).days)),
            "status": self.pick(self.statuses),
        }


def county_actor(county: Region) -> User | None:
    return User.objects.filter(role=Role.COUNTY, region=county).order_by("pk").first()


def _insert(model, objs: list) -> None:
    copy_insert(model, objs)


def _created(objs: list) -> list[Change]:
    return [
        Change(
            AuditAction.CREATE,
            obj,
            {k: [None, v] for k, v in snapshot(obj).items()},
            note="seed_demo",
            plain=True,
        )
        for obj in objs
    ]


def _save(drafts: list[Draft], groups: dict[str, TargetGroup], actor: User | None) -> None:
    """One chunk: the people, then their memberships and declarations, each on the audit trail."""
    people = [d.person for d in drafts]
    with transaction.atomic():
        _insert(Person, people)
        memberships = [
            PersonGroup(
                person=d.person,
                group=groups[code],
                recognised_on=on,
                evidence=evidence,
                recorded_by=d.person.created_by,
            )
            for d in drafts
            for code, on, evidence in d.groups
        ]
        _insert(PersonGroup, memberships)
        declarations = [
            RelativeDeclaration(person=d.person, created_by=d.person.created_by, **d.declaration)
            for d in drafts
            if d.declaration
        ]
        _insert(RelativeDeclaration, declarations)
        audit_record_many(
            actor=actor, changes=_created(people) + _created(memberships) + _created(declarations)
        )


def seed_people(*, county: Region, options: dict, stdout) -> None:
    wanted = options.get("people") or DEFAULT_PEOPLE
    county_people = Person.objects.filter(region_code__startswith=county.code)
    have = county_people.count()
    missing = wanted - have
    if missing > 0:
        groups = {g.code: g for g in TargetGroup.objects.filter(county__isnull=True)}
        # The ID number is unique in the whole registry, not only in this county.
        taken = set(Person.objects.values_list("id_number", flat=True))
        population = Population(
            random.Random(f"{SEED}:{have}"),
            county=county,
            today=timezone.localdate(),
            taken=taken,
        )
        for start in range(0, missing, CHUNK):
            drafts = [population.draft() for _i in range(min(CHUNK, missing - start))]
            _save(drafts, groups, population.actor)
    stdout.write(f"Demo people: {max(0, missing)} created; {max(have, wanted)} in {county.name}.")


def add_arguments(parser) -> None:
    parser.add_argument(
        "--people",
        type=int,
        default=DEFAULT_PEOPLE,
        help=f"make the county's registry at least this many people strong (default {DEFAULT_PEOPLE})",
    )


register_demo_step(DemoStep("people", seed_people, add_arguments))
