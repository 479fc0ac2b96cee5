import contextlib

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("Person registry")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from gongyi.audit import register_history, register_sensitive
        from gongyi.navigation import NavItem, add_nav_item
        from people import demo, policy  # noqa: F401  (demo step, policy keys)
        from people.models import Person, TargetGroup
        from people.roles import SEE_ACCOUNTS, SEE_ID_NUMBERS, VIEW_PEOPLE

        with contextlib.suppress(ImportError):  # the roster import's job runners
            from people import imports  # noqa: F401
        for model in (Person, TargetGroup):
            register_history(model)
        register_sensitive(
            Person,
            {
                "id_number": SEE_ID_NUMBERS,
                "disability_certificate": SEE_ID_NUMBERS,
                "account_number": SEE_ACCOUNTS,
            },
        )
        add_nav_item(
            NavItem(_("People"), "person-list", VIEW_PEOPLE, "/people/"), before="region-list"
        )
