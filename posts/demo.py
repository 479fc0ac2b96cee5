"""Demo data for the catalogue: 泰山区's 2022 plan exactly as seed 001 附件2, a minimum wage row,
the rural subsidy standard, and a realistic spread of posts under the plan. ``--posts N`` makes
the county's catalogue at least N posts long (benchmarks). Re-running changes nothing."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from gongyi.audit import Change, audit_record_many, snapshot
from gongyi.demo import DemoStep, register_demo_step
from gongyi.enums import AuditAction, RegionKind, RegionLevel, Role
from gongyi.models import Region, User
from posts.enums import DEFAULT_INSURANCE, AreaKind, LeadDepartment, PostStatus, WorkPattern
from posts.models import Allocation, AnnualPlan, MinimumWage, Post, PostType, SubsidyStandard

PLAN_YEAR = 2022
#: Seed 001 附件2: township code → (urban, rural). 960 + 610 = 1570.
ALLOCATION_2022 = {
    "370902002": (348, 0),  # 财源街道
    "370902001": (262, 0),  # 岱庙街道
    "370902003": (178, 53),  # 泰前街道
    "370902004": (72, 106),  # 上高街道
    "370902005": (60, 58),  # 徐家楼街道
    "370902100": (20, 200),  # 省庄镇
    "370902101": (20, 193),  # 邱家店镇
}
#: The posts each kind of area typically has: (standard name, department, hourly?, duties).
URBAN_POSTS = [
    ("网格员", LeadDepartment.CIVIL_AFFAIRS, False, "社区网格巡查、信息采集、矛盾排查"),
    ("环境治理保洁员", LeadDepartment.URBAN_MANAGEMENT, False, "公共区域、背街小巷日常保洁"),
    ("助老员", LeadDepartment.CIVIL_AFFAIRS, False, "居家养老上门服务、日间照料中心服务"),
    ("老年助餐服务员", LeadDepartment.CIVIL_AFFAIRS, True, "社区老年食堂助餐、送餐"),
    ("调解员", LeadDepartment.JUSTICE, False, "基层矛盾纠纷调解"),
    ("课后服务员", LeadDepartment.EDUCATION, True, "小学课后看护服务"),
    ("文物保护巡查员", LeadDepartment.CULTURE, False, "辖区文物点日常巡查"),
    ("快递进村服务员", LeadDepartment.POSTAL, True, "快递收发、代投"),
]
RURAL_POSTS = [
    ("村容保洁员", LeadDepartment.HOUSING, True, "村内道路、公共区域保洁，垃圾清运"),
    ("护林员", LeadDepartment.FORESTRY, True, "山林巡护、森林防火宣传"),
    ("道路管护员", LeadDepartment.TRANSPORT, True, "“四好农村路”日常养护"),
    ("水利管护员", LeadDepartment.WATER, True, "塘坝、沟渠巡查管护"),
    ("农村供水管理员", LeadDepartment.WATER, True, "村级供水设施看护、抄表"),
    ("助老员", LeadDepartment.CIVIL_AFFAIRS, True, "农村幸福院服务、独居老人探访"),
    ("河湖管理保障员", LeadDepartment.WATER, True, "河道清理、警示牌维护"),
    ("新时代文明实践站管理服务员", LeadDepartment.CIVILISATION, True, "文明实践站日常管理服务"),
]


#: (township, standard name) whose posts pay more than the rest of the county's of that name.
OUTLIERS = {("370902101", "村容保洁员"), ("370902002", "网格员")}


def _ensure_standards(county: Region) -> None:
    MinimumWage.objects.get_or_create(
        county=county,
        effective_from=dt.date(2021, 10, 1),
        defaults={
            "tier": "一类",
            "monthly": Decimal("2100"),
            "hourly": Decimal("21"),
            "source": "山东省最低工资标准第一档（2021年10月起，未核实）",
        },
    )
    SubsidyStandard.objects.get_or_create(
        county=county,
        area_kind=AreaKind.RURAL,
        effective_from=dt.date(2022, 1, 1),
        defaults={"annual_amount": Decimal("10000"), "source": "001 §二(四)"},
    )


def _ensure_plan(county: Region, actor: User) -> AnnualPlan:
    plan, _created = AnnualPlan.objects.get_or_create(
        county=county,
        year=PLAN_YEAR,
        defaults={
            "urban_target": 960,
            "rural_target": 610,
            "note": "泰政办字〔2022〕附件2",
            "created_by": actor,
        },
    )
    townships = {r.code: r for r in Region.objects.filter(code__in=ALLOCATION_2022)}
    have = set(plan.allocations.values_list("township__code", flat=True))
    Allocation.objects.bulk_create(
        Allocation(plan=plan, township=townships[code], urban=u, rural=r)
        for code, (u, r) in ALLOCATION_2022.items()
        if code in townships and code not in have
    )
    return plan


def _post(rng, *, kind, spec, types, township, village, clerk, year, status_roll) -> Post:
    name, department, hourly, duties = spec
    headcount = rng.choice([1, 1, 2, 2, 3, 4, 5, 6])
    post = Post(
        post_type=types[name],
        title=f"{(village or township).name}{name}",
        area_kind=kind,
        work_pattern=WorkPattern.HOURLY if hourly else WorkPattern.FULL_TIME,
        township=township,
        village=village,
        region_code=(village or township).code,
        department=department,
        duties=duties,
        requirements="遵守考勤制度，服从村（居）日常管理",
        headcount=headcount,
        insurance_kind=DEFAULT_INSURANCE[kind],
        plan_year=year,
        created_by=clerk,
    )
    # One standard per name, as seed 003 §1.2 asks; the outliers show what the review finds.
    outlier = (township.code, name) in OUTLIERS
    if hourly:
        post.hourly_rate = Decimal("28" if outlier else "21")
        post.hours_per_week = Decimal("20" if name == "课后服务员" else "10")
    else:
        post.monthly_subsidy = Decimal("2800" if outlier else "2100")
    opened = dt.date(year, 3, 20) + dt.timedelta(days=rng.randrange(0, 60))
    if status_roll < 0.05:
        post.status = PostStatus.DRAFT
        return post
    post.opened_on = opened
    if status_roll < 0.72:
        post.status, post.occupied = PostStatus.FILLED, headcount
        post.first_filled_on = opened + dt.timedelta(days=25)
    elif status_roll < 0.87 and headcount > 1:
        post.status, post.occupied = PostStatus.OPEN, rng.randrange(1, headcount)
        post.first_filled_on = opened + dt.timedelta(days=25)
        post.vacant_since = opened
    elif status_roll < 0.93:
        post.status, post.occupied = PostStatus.VACANT, headcount - 1
        post.first_filled_on = opened + dt.timedelta(days=25)
        post.vacant_since = dt.date(year + 1, 6, 1)
    else:
        post.status, post.vacant_since = PostStatus.OPEN, opened
    return post


def _workplaces(township: Region, villages: list[Region], kind: str) -> list[Region | None]:
    wanted = RegionKind.VILLAGE if kind == AreaKind.RURAL else RegionKind.COMMUNITY
    own = [v for v in villages if v.parent_id == township.pk]
    return [v for v in own if v.kind == wanted] or own or [None]


def _save(posts: list[Post], actor) -> None:
    for start in range(0, len(posts), 5000):
        batch = posts[start : start + 5000]
        with transaction.atomic():
            Post.objects.bulk_create(batch)
            audit_record_many(
                actor=actor,
                changes=[
                    Change(
                        AuditAction.CREATE,
                        p,
                        {k: [None, v] for k, v in snapshot(p).items()},
                        note="seed_demo",
                    )
                    for p in batch
                ],
            )


def seed_posts(*, county: Region, options: dict, stdout) -> None:
    actor = User.objects.filter(role=Role.COUNTY, region=county).order_by("pk").first()
    _ensure_standards(county)
    plan = _ensure_plan(county, actor)
    townships = list(Region.objects.filter(code__in=ALLOCATION_2022).order_by("code"))
    villages = list(Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith=county.code))
    clerks = {u.region_id: u for u in User.objects.filter(role=Role.CLERK)}
    types = {t.name: t for t in PostType.objects.filter(county__isnull=True)}
    county_posts = Post.objects.filter(region_code__startswith=county.code)
    rng = random.Random(370902)
    posts: list[Post] = []
    if not county_posts.filter(plan_year=PLAN_YEAR).exists():
        for township in townships:
            for kind, target in zip(
                (AreaKind.URBAN, AreaKind.RURAL), ALLOCATION_2022[township.code], strict=True
            ):
                developed, goal = 0, int(target * rng.uniform(0.85, 1.03))
                specs = URBAN_POSTS if kind == AreaKind.URBAN else RURAL_POSTS
                places = _workplaces(township, villages, kind)
                while developed < goal:
                    post = _post(
                        rng,
                        kind=kind,
                        spec=rng.choice(specs),
                        types=types,
                        township=township,
                        village=rng.choice(places),
                        clerk=clerks.get(township.pk, actor),
                        year=PLAN_YEAR,
                        status_roll=rng.random(),
                    )
                    post.headcount = min(post.headcount, max(1, goal - developed))
                    post.occupied = min(post.occupied, post.headcount)
                    developed += post.headcount
                    posts.append(post)
    wanted = options.get("posts") or 0
    missing = wanted - county_posts.count() - len(posts)
    for i in range(max(0, missing)):
        township = townships[i % len(townships)]
        kind = AreaKind.RURAL if i % 3 == 0 else AreaKind.URBAN
        post = _post(
            rng,
            kind=kind,
            spec=rng.choice(RURAL_POSTS if kind == AreaKind.RURAL else URBAN_POSTS),
            types=types,
            township=township,
            village=rng.choice(_workplaces(township, villages, kind)),
            clerk=clerks.get(township.pk, actor),
            year=2023 + i % 4,
            status_roll=rng.random(),
        )
        post.title = f"{post.title}{i + 1:05d}"
        posts.append(post)
    _save(posts, actor)
    total = county_posts.aggregate(n=Sum("headcount"))["n"] or 0
    stdout.write(
        _("Demo posts: %(new)s created; %(plan)s plan %(year)s; %(places)s places in the county.")
        % {"new": len(posts), "plan": plan.county.name, "year": plan.year, "places": total}
    )


def add_arguments(parser) -> None:
    parser.add_argument(
        "--posts", type=int, default=0, help="make the catalogue at least this many posts long"
    )


register_demo_step(DemoStep("posts", seed_posts, add_arguments))
