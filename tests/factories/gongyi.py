"""Factories of the shared core: regions, users, the audit trail, settings, jobs, the calendar."""

import datetime as dt

import factory

from gongyi.enums import AuditAction, RegionKind, RegionLevel, Role
from gongyi.models import (
    ApiToken,
    AuditChainHead,
    AuditEntry,
    CalendarDay,
    Job,
    PolicySetting,
    Region,
    User,
)
from gongyi.services import region_kind_for_code

TEST_PASSWORD = "test-pass-9f3k"

#: The level of a region, by the number of digits of its code (docs/policy.md §10).
_LEVEL_OF_LENGTH = {6: RegionLevel.COUNTY, 9: RegionLevel.TOWNSHIP, 12: RegionLevel.VILLAGE}


class RegionFactory(factory.django.DjangoModelFactory):
    """A region whose level, kind and parent follow from its code; a county by default."""

    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{370900 + n:06d}")
    name = factory.Sequence(lambda n: f"测试区域{n}")
    level = factory.LazyAttribute(lambda o: _LEVEL_OF_LENGTH[len(o.code)])
    kind = factory.LazyAttribute(lambda o: region_kind_for_code(o.code) or RegionKind.COUNTY)
    parent = factory.LazyAttribute(
        lambda o: (
            Region.objects.filter(code=o.code[: {9: 6, 12: 9}[len(o.code)]]).first()
            if len(o.code) > 6
            else None
        )
    )


class TownshipFactory(RegionFactory):
    """A street (township digits 001–099) under ``parent``, a new county by default."""

    parent = factory.SubFactory(RegionFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.parent.code}{n % 99 + 1:03d}")
    name = factory.Sequence(lambda n: f"测试街道{n}")


class VillageFactory(RegionFactory):
    """A village (village digits 200–399) under ``parent``, a new township by default."""

    parent = factory.SubFactory(TownshipFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.parent.code}{200 + n % 200:03d}")
    name = factory.Sequence(lambda n: f"测试村{n}")


def township_of_village():
    """The declaration of ``township`` for a row kept by a ``village`` or, without one, a
    township: the village's township, else a new township."""
    return factory.Maybe(
        "village",
        yes_declaration=factory.LazyAttribute(lambda o: o.village.parent),
        no_declaration=factory.SubFactory(TownshipFactory),
    )


class UserFactory(factory.django.DjangoModelFactory):
    """A county HR user of a new county, who logs in with ``TEST_PASSWORD``."""

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


def first_user() -> User:
    """The oldest user, or a new one: the author of rows whose tests do not care who wrote them."""
    return User.objects.order_by("pk").first() or UserFactory()


class AuditEntryFactory(factory.django.DjangoModelFactory):
    """An entry appended through ``gongyi.audit.audit_record``, never inserted directly: the entry
    is hashed onto the chain and the head moves, so ``audit_verify_chain`` still holds."""

    class Meta:
        model = AuditEntry

    actor = factory.SubFactory(UserFactory)
    action = AuditAction.UPDATE
    object_type = "gongyi.region"
    object_pk = factory.Sequence(str)
    object_repr = factory.Sequence(lambda n: f"测试对象{n}")
    region_code = factory.LazyAttribute(lambda o: o.actor.region.code if o.actor else "")
    changes = factory.LazyFunction(lambda: {"name": ["旧名", "新名"]})
    note = ""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from gongyi.audit import audit_record

        return audit_record(**kwargs)


class AuditChainHeadFactory(factory.django.DjangoModelFactory):
    """The chain head (one row, pk=1) after appending one entry through the audit service.

    The head is the service's own bookkeeping: the only consistent way to "make" one is to move
    it. Keyword arguments go to ``AuditEntryFactory``.
    """

    class Meta:
        model = AuditChainHead

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        AuditEntryFactory(**kwargs)
        return model_class.objects.get(pk=1)


class PolicySettingFactory(factory.django.DjangoModelFactory):
    """A county's own value of the vacant-days review setting (seed 003 §1.3), from 2026-01-01."""

    class Meta:
        model = PolicySetting

    county = factory.SubFactory(RegionFactory)
    key = "posts.vacant_days"
    value = 120
    effective_from = dt.date(2026, 1, 1)
    note = "测试设置"


class JobFactory(factory.django.DjangoModelFactory):
    """A queued background job of its user's region."""

    class Meta:
        model = Job

    kind = "test"
    created_by = factory.SubFactory(UserFactory)
    region_code = factory.LazyAttribute(lambda o: o.created_by.region.code)
    file_name = "测试.xlsx"


class ApiTokenFactory(factory.django.DjangoModelFactory):
    """A live API token of its user, issued through ``gongyi.tokens`` (only its hash is kept, and
    the issue is on the audit trail); the key is on the object as ``key``."""

    class Meta:
        model = ApiToken

    user = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *args, user, **kwargs):
        from gongyi.tokens import api_token_issue

        token, key = api_token_issue(user=user)
        token.key = key
        return token


class CalendarDayFactory(factory.django.DjangoModelFactory):
    """A make-up working day on a Saturday, one a week from 2099 on (clear of real calendars)."""

    class Meta:
        model = CalendarDay
        django_get_or_create = ("date",)

    date = factory.Sequence(lambda n: dt.date(2099, 1, 3) + dt.timedelta(weeks=n))
    is_workday = True
    name = "调休上班"
