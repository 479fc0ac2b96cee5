from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **params) -> str:
    """The current query string with ``params`` replaced: keeps filters across pages."""
    query = context["request"].GET.copy()
    for key, value in params.items():
        query[key] = value
    return query.urlencode()


def _masked(value):
    text = "" if value is None else str(value)
    return None if value is None else "*" * max(0, len(text) - 4) + text[-4:]


@register.simple_tag(takes_context=True)
def changes_head(context, entry, limit: int = 6) -> dict:
    """The first ``limit`` changed fields of an audit entry and how many more there are (a list of
    created objects would otherwise be mostly these tables), with the fields the viewer's role may
    not read masked (``gongyi.audit.SENSITIVE_FIELDS``)."""
    from gongyi.audit import SENSITIVE_FIELDS

    role = getattr(context.get("user"), "role", None)
    sensitive = SENSITIVE_FIELDS.get(entry.object_type, {})
    items = []
    for field, pair in list((entry.changes or {}).items())[: int(limit)]:
        if field in sensitive and role not in sensitive[field] and isinstance(pair, list):
            pair = [_masked(v) for v in pair]
        items.append((field, pair))
    return {"items": items, "more": max(0, len(entry.changes or {}) - int(limit))}
