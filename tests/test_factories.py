"""Every model of the project has a factory in ``tests/factories/<app label>.py`` whose default
row is valid: it passes ``full_clean()`` and the database's constraints."""

import datetime as dt
import importlib
import inspect

import factory
import pytest
from django.apps import apps

from gongyi.audit import audit_verify_chain
from gongyi.services import region_kind_for_code
from people.idnumbers import parse_id_number

PROJECT_APPS = (
    "gongyi",
    "posts",
    "people",
    "onboarding",
    "subsidies",
    "attendance",
    "payout",
    "audits",
)

#: Models deliberately without a factory, with the reason. None today.
NO_FACTORY: dict[str, str] = {}


def project_models():
    return [
        model
        for label in PROJECT_APPS
        for model in apps.get_app_config(label).get_models()
        if not model._meta.abstract and not model._meta.proxy
    ]


def factories_of(label: str) -> dict[type, type]:
    """model → factory, for the factories defined in ``tests/factories/<label>.py``."""
    try:
        module = importlib.import_module(f"tests.factories.{label}")
    except ModuleNotFoundError:
        return {}
    return {
        obj._meta.model: obj
        for obj in vars(module).values()
        if inspect.isclass(obj)
        and issubclass(obj, factory.django.DjangoModelFactory)
        and obj.__module__ == module.__name__
        and obj._meta.model is not None
    }


def factory_for(model):
    """The factory named after the model (``RegionFactory``), else another of the same model."""
    found = factories_of(model._meta.app_label)
    candidates = [f for m, f in found.items() if m is model]
    named = [f for f in candidates if f.__name__ == f"{model.__name__}Factory"]
    return (named or candidates or [None])[0]


MODELS = [m for m in project_models() if m._meta.label not in NO_FACTORY]


def test_every_project_model_has_a_factory_in_its_apps_module():
    missing = [m._meta.label for m in MODELS if factory_for(m) is None]

    assert missing == []


def test_the_exceptions_name_real_models():
    labels = {m._meta.label for m in project_models()}

    assert sorted(set(NO_FACTORY) - labels) == []


@pytest.fixture
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.django_db
@pytest.mark.usefixtures("_media_root")
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_factory_default_row_is_valid(model):
    made = factory_for(model)()

    row = model.objects.get(pk=made.pk)
    row.full_clean()
    assert type(made) is model


@pytest.mark.django_db
@pytest.mark.usefixtures("_media_root")
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_factory_makes_two_rows_side_by_side(model):
    """Sequences keep unique fields apart (the chain head is one row by design)."""
    make = factory_for(model)

    first, second = make(), make()

    assert (first.pk == second.pk) == (model._meta.label == "gongyi.AuditChainHead")


@pytest.mark.django_db
def test_region_factories_make_codes_of_their_level_and_kind():
    from tests.factories.gongyi import RegionFactory, TownshipFactory, VillageFactory

    regions = [RegionFactory(), TownshipFactory(), VillageFactory()]

    assert [(len(r.code), r.level) for r in regions] == [
        (6, "county"),
        (9, "township"),
        (12, "village"),
    ]
    assert [r.kind for r in regions] == [region_kind_for_code(r.code) for r in regions]
    assert [r.parent.code if r.parent else None for r in regions] == [
        None,
        regions[1].code[:6],
        regions[2].code[:9],
    ]


@pytest.mark.django_db
def test_person_factory_gives_a_valid_id_number_matching_sex_and_birth_date():
    from tests.factories.people import PersonFactory

    people = [PersonFactory(), PersonFactory(male=True, born=dt.date(1980, 2, 29))]

    parsed = [parse_id_number(p.id_number) for p in people]
    assert [(i.number, i.sex, i.birth_date) for i in parsed] == [
        (p.id_number, p.sex, p.birth_date) for p in people
    ]


@pytest.mark.django_db
def test_audit_factories_append_through_the_service_and_keep_the_chain():
    from gongyi.models import AuditChainHead
    from tests.factories.gongyi import AuditChainHeadFactory, AuditEntryFactory

    entries = [AuditEntryFactory(), AuditEntryFactory(actor=None)]
    head = AuditChainHeadFactory()

    report = audit_verify_chain()
    assert report.ok, report.reason
    assert [e.seq for e in entries] == [head.seq - 2, head.seq - 1]
    assert AuditChainHead.objects.get() == head


@pytest.mark.django_db
def test_placement_factory_takes_a_place_of_the_post():
    from tests.factories.people import PlacementFactory

    placement = PlacementFactory()

    assert (placement.post.occupied, placement.person.placements_used) == (1, 1)
    assert placement.region_code == placement.post.region_code


@pytest.mark.django_db
def test_application_factory_applies_for_a_post_the_round_offers():
    from people.onboarding.models import RoundPost
    from tests.factories.onboarding import ApplicationFactory

    application = ApplicationFactory()

    assert RoundPost.objects.filter(round=application.round, post=application.post).exists()
    assert application.person.township == application.post.township == application.round.township
