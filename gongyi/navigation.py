"""The navigation each role sees. Later apps append their entries with ``add_nav_item``."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from gongyi.roles import ADMINISTER, ALL_ROLES, VIEW_API_DOCS, VIEW_AUDIT, VIEW_SETTINGS


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset
    section: str  # the URL prefix that marks the item as current


NAV_ITEMS: list[NavItem] = [
    NavItem(_("Home"), "home", ALL_ROLES, "/"),
    NavItem(_("Regions"), "region-list", ALL_ROLES, "/regions/"),
    NavItem(_("Audit log"), "audit-log", VIEW_AUDIT, "/audit/"),
    NavItem(_("Settings"), "policy-settings", VIEW_SETTINGS, "/settings/"),
    NavItem(_("API docs"), "api-docs", VIEW_API_DOCS, "/api/"),
    NavItem(_("Administration"), "admin:index", ADMINISTER, "/admin/"),
]


def add_nav_item(item: NavItem, *, before: str | None = None) -> None:
    names = [i.url_name for i in NAV_ITEMS]
    NAV_ITEMS.insert(names.index(before) if before in names else len(NAV_ITEMS), item)


def nav_for(user) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [item for item in NAV_ITEMS if user.role in item.roles]
