from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **params) -> str:
    """The current query string with ``params`` replaced: keeps filters across pages."""
    query = context["request"].GET.copy()
    for key, value in params.items():
        query[key] = value
    return query.urlencode()


@register.filter
def changes_head(changes: dict, limit: int = 6) -> dict:
    """The first ``limit`` changed fields and how many more there are: an audit list of created
    objects (every field from none to a value) would otherwise be mostly these tables."""
    items = list((changes or {}).items())
    return {"items": items[: int(limit)], "more": max(0, len(items) - int(limit))}
