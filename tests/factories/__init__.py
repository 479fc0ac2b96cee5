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


def id_number_for(birth, *, male: bool, serial: int = 0, area: str = "370902") -> str:
    """A valid ID number (docs/policy.md §5) for a birth date and sex; ``serial`` keeps them
    apart."""
    from people.idnumbers import check_character

    order = (serial % 500) * 2 + (1 if male else 0)
    first17 = f"{area}{birth:%Y%m%d}{order:03d}"
    return first17 + check_character(first17)


_CHINESE_DIGITS = str.maketrans("0123456789", "〇一二三四五六七八九")


class PersonFactory(factory.django.DjangoModelFactory):
    """A rural woman born 1975-05-01 whose file ``village`` (or ``township``) keeps."""

    class Meta:
        model = "people.Person"

    class Params:
        born = __import__("datetime").date(1975, 5, 1)
        male = False

    # No digits: a name with digits is refused by the services (people.services.person_errors).
    name = factory.Sequence(
        lambda n: "测试人" + "甲乙丙丁戊己庚辛壬癸"[n % 10] + str(n).translate(_CHINESE_DIGITS)
    )
    id_number = factory.LazyAttributeSequence(
        lambda o, n: id_number_for(o.born, male=o.male, serial=n)
    )
    sex = factory.LazyAttribute(lambda o: "male" if o.male else "female")
    birth_date = factory.LazyAttribute(lambda o: o.born)
    registration = "local"
    township = factory.LazyAttribute(lambda o: o.village.parent if o.village else None)
    village = None
    region_code = factory.LazyAttribute(lambda o: (o.village or o.township).code)
    residence = "rural"
    retirement_category = factory.LazyAttribute(
        lambda o: __import__("people.retirement").retirement.default_category(o.sex)
    )
    retirement_date = factory.LazyAttribute(
        lambda o: __import__("people.retirement").retirement.retirement_date(
            o.retirement_category, o.birth_date
        )
    )
    created_by = factory.LazyFunction(lambda: User.objects.order_by("pk").first())


def add_group(person, code: str, recognised_on=None, **kw):
    """Record ``person`` in the standard target group ``code``."""
    import datetime as dt

    from people.models import PersonGroup, TargetGroup

    return PersonGroup.objects.create(
        person=person,
        group=TargetGroup.objects.get(code=code, county=None),
        recognised_on=recognised_on or dt.date(2020, 1, 1),
        recorded_by=person.created_by,
        **kw,
    )
