"""What each role may do. Where it may do it is ``gongyi.scoping``'s business alone."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.permissions import BasePermission

from gongyi.enums import Role

ALL_ROLES = frozenset(Role)
#: See the audit log of the area and the history of any object in it.
VIEW_AUDIT = frozenset({Role.COUNTY, Role.ADMIN})
VIEW_HISTORY = frozenset({Role.COUNTY, Role.CLERK, Role.ADMIN})
#: See the user accounts of the area.
VIEW_USERS = frozenset({Role.COUNTY, Role.ADMIN})
#: Read the county's policy settings and their history.
VIEW_SETTINGS = frozenset({Role.COUNTY, Role.ADMIN})
#: Set a new value of a policy setting from a date: county HR staff (docs/policy.md).
EDIT_SETTINGS = frozenset({Role.COUNTY})
#: Read the API documentation.
VIEW_API_DOCS = frozenset({Role.COUNTY, Role.ADMIN})
#: Open Django's administration.
ADMINISTER = frozenset({Role.ADMIN})
#: The home page lists the area's townships (county-wide roles) or the township's villages (clerks).
HOME_TOWNSHIPS = frozenset({Role.COUNTY, Role.ADMIN, Role.REVIEWER})
HOME_VILLAGES = frozenset({Role.CLERK})


def has_role(user, roles) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role in roles


def require_role(user, roles) -> None:
    if not has_role(user, roles):
        raise PermissionDenied(_("Your role does not allow this page."))


class RoleRequiredMixin:
    """For class-based views: log in first (redirect), then the role must be in ``allowed_roles``."""

    allowed_roles = ALL_ROLES

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        require_role(request.user, self.allowed_roles)
        return super().dispatch(request, *args, **kwargs)


class HasRole(BasePermission):
    """DRF: the view's ``allowed_roles`` (all roles if it names none)."""

    message = gettext_lazy("Your role does not allow this request.")

    def has_permission(self, request, view) -> bool:
        return has_role(request.user, getattr(view, "allowed_roles", ALL_ROLES))
