"""Amounts in a bank file: written from whole fen, read back to whole fen, never through float
(STYLE.md). Nothing is rounded: an amount with more than two decimals is refused."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from gongyi.importing import _decimal, _text
from subsidies.bankfiles.templates import AmountFormat


def yuan_text(fen: int) -> str:
    """1234.50 for 123450; -0.05 for -5."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{yuan}.{cents:02d}"


def amount_text(fen: int, amount_format: AmountFormat) -> str:
    return yuan_text(fen) if amount_format == AmountFormat.YUAN else str(fen)


def yuan_decimal(fen: int) -> Decimal:
    """The exact yuan of ``fen`` (an xlsx number cell is written from it, as 1234.50)."""
    return Decimal(fen).scaleb(-2)


def amount_fen(value, amount_format: AmountFormat) -> int:
    """The fen of a cell; ValueError with the message for the user."""
    if value is None or isinstance(value, bool) or _text(value) == "":
        raise ValueError(_("The amount is empty."))
    text = value if isinstance(value, int | float) else _text(value).lstrip("¥￥").strip()
    try:
        if amount_format == AmountFormat.YUAN:
            return int(_decimal(text, 2).scaleb(2))
        return int(_decimal(text, 0))
    except ValueError:
        if amount_format == AmountFormat.YUAN:
            message = _("%(value)s is not an amount in yuan with at most two decimals.")
        else:
            message = _("%(value)s is not a whole number of fen.")
        raise ValueError(message % {"value": _text(value)}) from None
