import contextlib

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("Person registry")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from gongyi.audit import register_history
        from gongyi.history import (
            register_object_name,
            register_object_page,
            register_value_writer,
        )
        from gongyi.navigation import NavItem, add_nav_item
        from people import demo, policy  # noqa: F401  (demo step, policy keys)
        from people.masking import register_person_fields
        from people.models import Person, PersonGroup, Placement, TargetGroup
        from people.roles import VIEW_PEOPLE

        with contextlib.suppress(ImportError):  # the roster import's job runners
            from people import imports  # noqa: F401
        for model in (Person, TargetGroup):
            register_history(model)
        register_person_fields()
        register_object_page(Person, "person-detail")
        register_value_writer(Person, "target_groups", label=_("target groups"))
        register_object_name(Placement, lambda p: f"{p.person.name} → {p.post.title}")
        register_object_name(PersonGroup, lambda m: f"{m.person.name}：{m.group.name}")
        add_nav_item(
            NavItem(_("People"), "person-list", VIEW_PEOPLE, "/people/"), before="region-list"
        )
