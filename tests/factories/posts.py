"""Factories of the catalogue: post types, minimum wages, subsidy standards, posts and plans."""

import datetime as dt
from decimal import Decimal

import factory

from gongyi.enums import Role
from posts.enums import AreaKind, PostCategory
from posts.models import Allocation, AnnualPlan, MinimumWage, Post, PostType, SubsidyStandard
from tests.factories.gongyi import (
    RegionFactory,
    TownshipFactory,
    UserFactory,
    first_user,
    township_of_village,
)


class PostTypeFactory(factory.django.DjangoModelFactory):
    """A county's own standard post name (the shared names come from a migration)."""

    class Meta:
        model = PostType

    category = PostCategory.PUBLIC_SERVICE
    name = factory.Sequence(lambda n: f"测试岗位类型{n}")
    county = factory.SubFactory(RegionFactory)
    description = "测试职责"


class MinimumWageFactory(factory.django.DjangoModelFactory):
    """Shandong's first tier from 2025-10-01: 2,200 yuan a month, 22 yuan an hour."""

    class Meta:
        model = MinimumWage

    county = factory.SubFactory(RegionFactory)
    tier = "一类"
    monthly = Decimal("2200.00")
    hourly = Decimal("22.00")
    effective_from = dt.date(2025, 10, 1)


class SubsidyStandardFactory(factory.django.DjangoModelFactory):
    """Rural posts at 10,000 yuan a year (seed 001 §二(四))."""

    class Meta:
        model = SubsidyStandard

    county = factory.SubFactory(RegionFactory)
    area_kind = AreaKind.RURAL
    annual_amount = Decimal("10000.00")
    effective_from = dt.date(2026, 1, 1)


def _standard_post_type() -> PostType:
    return PostType.objects.get(name="网格员", county=None)


class PostFactory(factory.django.DjangoModelFactory):
    """A full-time urban post in ``village`` (or at ``township``, a new one by default), open for
    recruitment, of the standard type 网格员."""

    class Meta:
        model = Post

    post_type = factory.LazyFunction(_standard_post_type)
    title = factory.Sequence(lambda n: f"测试岗位{n}")
    area_kind = "urban"
    work_pattern = "full_time"
    village = None
    township = township_of_village()
    region_code = factory.LazyAttribute(lambda o: (o.village or o.township).code)
    department = "civil_affairs"
    duties = "网格巡查"
    headcount = 2
    monthly_subsidy = 2100
    insurance_kind = factory.LazyAttribute(
        lambda o: "accident_insurance" if o.area_kind == "rural" else "social_insurance_subsidy"
    )
    plan_year = 2026
    status = "open"
    opened_on = dt.date(2026, 3, 1)
    vacant_since = factory.LazyAttribute(lambda o: o.opened_on)
    created_by = factory.LazyFunction(first_user)


class AnnualPlanFactory(factory.django.DjangoModelFactory):
    """A county's 2026 target, entered by a county HR user of that county."""

    class Meta:
        model = AnnualPlan

    county = factory.SubFactory(RegionFactory)
    year = 2026
    urban_target = 10
    rural_target = 20
    created_by = factory.SubFactory(
        UserFactory, role=Role.COUNTY, region=factory.SelfAttribute("..county")
    )


class AllocationFactory(factory.django.DjangoModelFactory):
    """A share of a plan for a township of the plan's county."""

    class Meta:
        model = Allocation

    plan = factory.SubFactory(AnnualPlanFactory)
    township = factory.SubFactory(TownshipFactory, parent=factory.SelfAttribute("..plan.county"))
    urban = 2
    rural = 3
