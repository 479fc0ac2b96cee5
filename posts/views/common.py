"""What the catalogue's pages share: the page size and the export's query flag and audit entry."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gongyi.audit import audit_record
from gongyi.enums import AuditAction
from gongyi.scoping import user_region_code

PAGE_SIZE = 50


def wants_xlsx(request) -> bool:
    return request.GET.get("format") == "xlsx"


def export_logged(request, *, what: str, count: int) -> None:
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        object_type="posts.post",
        region_code=user_region_code(request.user),
        object_repr=what,
        note=_("%(n)s rows") % {"n": count},
    )
