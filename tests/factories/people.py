"""Factories of the person registry: target groups, people, their groups, declarations, scans and
placements."""

import datetime as dt

import factory

from people.enums import (
    DeclarationStatus,
    DocumentKind,
    GroupArea,
    Relation,
    RelativeKind,
)
from people.idnumbers import check_character
from people.models import (
    Person,
    PersonDocument,
    PersonGroup,
    Placement,
    RelativeDeclaration,
    TargetGroup,
)
from people.retirement import default_category, retirement_date
from tests.factories.gongyi import RegionFactory, first_user, township_of_village
from tests.factories.posts import PostFactory


def id_number_for(birth, *, male: bool, serial: int = 0, area: str = "370902") -> str:
    """A valid ID number (docs/policy.md §5) for a birth date and sex; ``serial`` keeps them apart."""
    order = (serial % 500) * 2 + (1 if male else 0)
    first17 = f"{area}{birth:%Y%m%d}{order:03d}"
    return first17 + check_character(first17)


_CHINESE_DIGITS = str.maketrans("0123456789", "〇一二三四五六七八九")


class TargetGroupFactory(factory.django.DjangoModelFactory):
    """A county's own target group for urban and rural posts, without priority."""

    class Meta:
        model = TargetGroup

    county = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"test-group-{n}")
    name = factory.Sequence(lambda n: f"测试人群{n}")
    area = GroupArea.BOTH


class PersonFactory(factory.django.DjangoModelFactory):
    """A rural woman born 1975-05-01 whose file ``village`` (or ``township``, a new one by
    default) keeps. Sex, birth date and retirement date follow from the ID number, as the
    services set them."""

    class Meta:
        model = Person

    class Params:
        born = dt.date(1975, 5, 1)
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
    village = None
    township = township_of_village()
    region_code = factory.LazyAttribute(lambda o: (o.village or o.township).code)
    residence = "rural"
    retirement_category = factory.LazyAttribute(lambda o: default_category(o.sex))
    retirement_date = factory.LazyAttribute(
        lambda o: retirement_date(o.retirement_category, o.birth_date)
    )
    created_by = factory.LazyFunction(first_user)


class PersonGroupFactory(factory.django.DjangoModelFactory):
    """The person's membership of a (new, county) target group, recognised in 2020."""

    class Meta:
        model = PersonGroup

    person = factory.SubFactory(PersonFactory)
    group = factory.SubFactory(TargetGroupFactory)
    recognised_on = dt.date(2020, 1, 1)
    evidence = "认定文书"
    recorded_by = factory.SelfAttribute("person.created_by")


def add_group(person, code: str, recognised_on=None, **kw):
    """Record ``person`` in the standard target group ``code``."""
    return PersonGroupFactory(
        person=person,
        group=TargetGroup.objects.get(code=code, county=None),
        recognised_on=recognised_on or dt.date(2020, 1, 1),
        **{"evidence": "", **kw},
    )


class RelativeDeclarationFactory(factory.django.DjangoModelFactory):
    """A spouse who is a village cadre, declared and not yet decided (seed 003 §9)."""

    class Meta:
        model = RelativeDeclaration

    person = factory.SubFactory(PersonFactory)
    relation = Relation.SPOUSE
    relative_name = "王某"
    relative_kind = RelativeKind.CADRE
    relative_post = "某村村民委员会委员"
    declared_on = dt.date(2026, 3, 1)
    status = DeclarationStatus.DECLARED
    created_by = factory.SelfAttribute("person.created_by")


_PDF = b"%PDF-1.4\n%test scan\n"


class PersonDocumentFactory(factory.django.DjangoModelFactory):
    """A small PDF scan of the ID card, stored under ``MEDIA_ROOT`` (tests point it at a
    temporary folder)."""

    class Meta:
        model = PersonDocument

    person = factory.SubFactory(PersonFactory)
    kind = DocumentKind.ID_CARD
    file = factory.django.FileField(filename="scan.pdf", data=_PDF)
    original_name = "身份证.pdf"
    content_type = "application/pdf"
    size = len(_PDF)
    uploaded_by = factory.SelfAttribute("person.created_by")


class PlacementFactory(factory.django.DjangoModelFactory):
    """A person born 1980 on the post from 2026-04-01, on the post's pay, for three years.

    Written directly (the workflow's last step makes real ones), but the counters follow as
    they do there: an open placement takes a place of the post through
    ``posts.services.post_occupancy_change`` and adds one to the person's placements.
    """

    class Meta:
        model = Placement
        skip_postgeneration_save = True

    # Born 1980: of working age on any post for years yet (the person factory's own default,
    # a woman born 1975, reached her statutory retirement date in 2025: the payout holds the
    # months past it).
    person = factory.SubFactory(PersonFactory, born=dt.date(1980, 5, 1))
    post = factory.SubFactory(PostFactory, township=factory.SelfAttribute("..person.township"))
    region_code = factory.LazyAttribute(lambda o: o.post.region_code)
    start_date = dt.date(2026, 4, 1)
    end_date = None
    monthly_subsidy = factory.LazyAttribute(lambda o: o.post.monthly_subsidy)
    hourly_rate = factory.LazyAttribute(lambda o: o.post.hourly_rate)
    hours_per_week = factory.LazyAttribute(lambda o: o.post.hours_per_week)
    subsidy_start = factory.LazyAttribute(lambda o: o.start_date)
    subsidy_end = factory.LazyAttribute(
        lambda o: o.start_date.replace(year=o.start_date.year + 3) - dt.timedelta(days=1)
    )

    @factory.post_generation
    def _counters(obj, create, extracted, **kwargs):
        if not create or obj.end_date is not None:
            return
        from django.db.models import F

        from posts.services import post_occupancy_change

        post_occupancy_change(
            actor=obj.post.created_by, post_id=obj.post_id, delta=1, on=obj.start_date
        )
        obj.post.refresh_from_db()
        Person.objects.filter(pk=obj.person_id).update(placements_used=F("placements_used") + 1)
        obj.person.refresh_from_db()
