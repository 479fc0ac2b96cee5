from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **params) -> str:
    """The current query string with ``params`` replaced: keeps filters across pages."""
    query = context["request"].GET.copy()
    for key, value in params.items():
        query[key] = value
    return query.urlencode()
