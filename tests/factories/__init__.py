import factory

from gongyi.enums import RegionKind, RegionLevel, Role
from gongyi.models import Region, User
from gongyi.services import region_kind_for_code

TEST_PASSWORD = "test-pass-9f3k"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{370900 + n:06d}")
    name = factory.Sequence(lambda n: f"测试区域{n}")
    level = factory.LazyAttribute(
        lambda o: {6: RegionLevel.COUNTY, 9: RegionLevel.TOWNSHIP, 12: RegionLevel.VILLAGE}[
            len(o.code)
        ]
    )
    kind = factory.LazyAttribute(lambda o: region_kind_for_code(o.code) or RegionKind.COUNTY)
    parent = factory.LazyAttribute(
        lambda o: (
            Region.objects.filter(code=o.code[: {9: 6, 12: 9}[len(o.code)]]).first()
            if len(o.code) > 6
            else None
        )
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.COUNTY
    region = factory.SubFactory(RegionFactory)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PostFactory(factory.django.DjangoModelFactory):
    """A full-time urban post in ``village`` (or at ``township``), open for recruitment."""

    class Meta:
        model = "posts.Post"

    post_type = factory.LazyFunction(
        lambda: __import__("posts.models").models.PostType.objects.get(name="网格员", county=None)
    )
    title = factory.Sequence(lambda n: f"测试岗位{n}")
    area_kind = "urban"
    work_pattern = "full_time"
    township = factory.LazyAttribute(lambda o: o.village.parent if o.village else None)
    village = None
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
    opened_on = factory.LazyFunction(lambda: __import__("datetime").date(2026, 3, 1))
    vacant_since = factory.LazyAttribute(lambda o: o.opened_on)
    created_by = factory.LazyFunction(lambda: User.objects.order_by("pk").first())
