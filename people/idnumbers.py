"""Resident ID numbers (GB 11643-1999; docs/policy.md §5): normalise, validate, read birth date and
sex.

Only the check character and the birth date are validated, never the address code: codes change
over time (a person born in 1962 in 泰山区 carries 370902, a code created later), so checking them
against today's list would reject valid people. That is also why python-stdnum's ``cn.ric`` is not
used (it raises on unknown address codes).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from gongyi.masking import mask_text

#: ISO 7064 MOD 11-2 weights of the first 17 digits, and the check character for each remainder.
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"
_FULL_WIDTH = str.maketrans("０１２３４５６７８９ＸｘＸ", "0123456789XXX")
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")


class IdNumberError(ValueError):
    """The number is not a valid resident ID number; ``str()`` is the message for the user."""


@dataclass(frozen=True)
class IdNumber:
    number: str  # 18 characters, the check character upper-case
    birth_date: dt.date
    sex: str  # "male" (odd order code) or "female" (even)


def check_character(first17: str) -> str:
    """The check character of the first 17 digits (docs/policy.md §5: Σ dᵢ·wᵢ mod 11 →
    "10X98765432")."""
    return CHECK_CHARACTERS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def normalise(text: str) -> str:
    """Spaces dropped, full-width digits and X made ASCII, x upper-case; 15 digits become 18."""
    number = re.sub(r"\s", "", str(text)).translate(_FULL_WIDTH).upper()
    if len(number) == 15 and number.isdigit():
        # Legacy numbers: "19" before the six-digit date, then the check character
        # (docs/policy.md §5).
        first17 = number[:6] + "19" + number[6:]
        number = first17 + check_character(first17)
    return number


def parse_id_number(text, *, today: dt.date | None = None) -> IdNumber:
    """The valid ID number in ``text``, with its birth date and sex; ``IdNumberError`` with one
    message per kind of mistake (length, characters, date, check character)."""
    raw = "" if text is None else str(text).strip()
    if not raw:
        raise IdNumberError(_("Enter the ID number."))
    if _SCIENTIFIC.match(raw) or isinstance(text, float):
        raise IdNumberError(
            _(
                "Excel has turned the ID number into a number (%(value)s) and lost its last "
                "digits. Format the column as text and enter the number again."
            )
            % {"value": raw}
        )
    number = normalise(raw)
    if len(number) != 18:
        raise IdNumberError(
            _("An ID number has 18 characters (or 15 for an old one); this one has %(n)s.")
            % {"n": len(number)}
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise IdNumberError(_("The first 17 characters must be digits and the last a digit or X."))
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdNumberError(
            _("The birth date %(date)s in the ID number does not exist.") % {"date": number[6:14]}
        ) from None
    today = today or dt.date.today()
    if birth > today:
        raise IdNumberError(
            _("The birth date %(date)s in the ID number is in the future.")
            % {"date": birth.isoformat()}
        )
    if birth.year < 1900:
        raise IdNumberError(
            _("The birth date %(date)s in the ID number is before 1900.")
            % {"date": birth.isoformat()}
        )
    expected = check_character(number[:17])
    if number[17] != expected:
        raise IdNumberError(_("The check character should be %(c)s.") % {"c": expected})
    return IdNumber(number, birth, "male" if int(number[16]) % 2 else "female")


def mask(number: str, *, head: int = 6, tail: int = 4) -> str:
    """For public notices and lists (docs/policy.md §9): the first 6 and last 4 characters shown (the
    county's own numbers: ``people.masking``)."""
    return mask_text(number, head=head, tail=tail)
