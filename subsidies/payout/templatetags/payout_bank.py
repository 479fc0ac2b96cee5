"""``yuan``: whole fen as yuan with two decimals, never through a float."""

from django import template

from subsidies.bankfiles.money import yuan_text

register = template.Library()


@register.filter
def yuan(fen) -> str:
    return "" if fen is None else yuan_text(int(fen))
