"""The check before a payment file is issued (docs/policy.md §7): a line whose account number is
empty or malformed, or whose name is not the person file's, would fail at the bank (a name that
does not match the account makes the payout fail), so it is stopped with the reason instead."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from people.idnumbers import normalise
from people.services.checks import ACCOUNT_MAX_DIGITS, ACCOUNT_MIN_DIGITS

#: An account number is digits only, 9 to 32 of them: the person file's rule
#: (people/services/checks.py; ``Person.account_number`` is 32 wide), so that an account the
#: registry took is judged the same here. Why the window is wide: a bank card number, the
#: social-security card's financial account included (a UnionPay debit card), is an ISO/IEC 7812
#: primary account number of at most 19 digits (UnionPay debit cards: 16 to 19), but the one-card
#: account (惠民惠农"一卡通") may also be a passbook or settlement account, whose length is each bank's
#: own (rural credit cooperatives' passbooks run past 19, some banks' accounts past 25). A card-only
#: rule (16–19 digits, a Luhn check digit) would stop those. Letters, spaces and punctuation never
#: belong: banks' batch systems take the digits as they stand.
#: (The bounds are the person file's, imported.)
_ASCII_DIGITS = re.compile(r"[0-9]+")
_SPACES = re.compile(r"\s+")
#: The middle dot of names such as 阿依古丽·买买提, as people type it.
_DOTS = str.maketrans("•・‧﹒．･", "······")


@dataclass(frozen=True)
class StoppedLine:
    """A line that must not go to the bank: its position in the lines given (1 is the first),
    its id when the line dict has one, and the reason."""

    position: int
    line_id: object
    reason: str


@dataclass
class LineCheck:
    good: list[dict] = field(default_factory=list)
    stopped: list[StoppedLine] = field(default_factory=list)


def account_error(account: str | None) -> str | None:
    """Why ``account`` cannot be paid into, or None."""
    account = account or ""
    if not account.strip():
        return _("The card or account number is empty.")
    if not _ASCII_DIGITS.fullmatch(account):
        return _(
            "The card or account number %(account)s holds characters other than digits; "
            "a card or account number is %(min)s to %(max)s digits."
        ) % {"account": account, "min": ACCOUNT_MIN_DIGITS, "max": ACCOUNT_MAX_DIGITS}
    if not ACCOUNT_MIN_DIGITS <= len(account) <= ACCOUNT_MAX_DIGITS:
        return _(
            "The card or account number has %(n)s digits; a card or account number is "
            "%(min)s to %(max)s digits."
        ) % {"n": len(account), "min": ACCOUNT_MIN_DIGITS, "max": ACCOUNT_MAX_DIGITS}
    return None


def name_key(name: str | None) -> str:
    """A name as the bank compares it: spaces dropped, the middle dot made one character."""
    return _SPACES.sub("", name or "").translate(_DOTS)


def payment_lines_check(lines: Iterable[Mapping], people: Mapping[str, str]) -> LineCheck:
    """Split ``lines`` (payout line dicts: ``name``, ``id_number``, ``account_number``,
    ``amount`` in fen, optionally ``id``) into those that may go to the bank and those stopped,
    each with its reasons in one message. ``people`` maps an ID number (normalised as
    people/idnumbers.py does) to the name on the person file. Changes nothing."""
    result = LineCheck()
    for position, line in enumerate(lines, start=1):
        reasons = []
        account_message = account_error(line.get("account_number"))
        if account_message:
            reasons.append(account_message)
        on_file = people.get(normalise(line.get("id_number") or ""))
        if on_file is None:
            reasons.append(_("No person file has this ID number."))
        elif name_key(on_file) != name_key(line.get("name")):
            reasons.append(
                _("The name %(name)s is not the person file's (%(on_file)s).")
                % {"name": line.get("name") or "", "on_file": on_file}
            )
        amount = line.get("amount")
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            reasons.append(_("The amount must be more than 0 fen."))
        if reasons:
            result.stopped.append(StoppedLine(position, line.get("id"), " ".join(reasons)))
        else:
            result.good.append(line)
    return result
