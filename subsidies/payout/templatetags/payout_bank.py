"""``yuan``: whole fen as yuan with two decimals and thousands grouped as on every payout page
(2,100.00), never through a float; ``batch_title``: a payout batch's name on the pages."""

from django import template

from subsidies.payout.amount import yuan as yuan_grouped
from subsidies.payout.selectors import payout_batch_title

register = template.Library()


@register.filter
def yuan(fen) -> str:
    return "" if fen is None else yuan_grouped(int(fen))


@register.simple_tag
def batch_title(batch, township_name: str = "") -> str:
    """A payout batch as its users name it: its month, township and kind, and which follow-up it
    is (``PayoutBatch.__str__`` has the township's code, for logs)."""
    return payout_batch_title(batch, township_name)
