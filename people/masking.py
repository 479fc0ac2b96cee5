"""How the registry's personal fields read to each role (docs/policy.md §9), and the ID-number mask.

``gongyi.masking.sees_in_full`` decides who reads a field in full; this module says which of the
person's fields are personal, who needs each (``people.roles``), and how an ID number reads when
masked: the first and last characters the county's settings ``people.id_mask_head`` and
``people.id_mask_tail`` show (6 and 4 by default), never more than the rule allows, whatever is
stored. Lists and public notices mask the number for every reader; pages, the API, exports,
prints, the admin and the audit trail show it in full only to the roles that need it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gongyi.masking import Masker, Sensitive, mask_text, register_sensitive
from gongyi.policy import POLICY_KEYS, policy_values
from gongyi.scoping import user_region_code
from people.policy import ID_MASK_HEAD, ID_MASK_TAIL


def id_mask_rule(region_code: str, on: dt.date | None = None) -> tuple[int, int]:
    """How many characters a masked ID number shows at its start and its end in the county of
    ``region_code`` on ``on``: the settings, each between 0 and what the rule allows; a value that
    is not a number counts as the rule's default."""
    values = policy_values(region_code, [ID_MASK_HEAD, ID_MASK_TAIL], on)
    return _allowed(ID_MASK_HEAD, values[ID_MASK_HEAD]), _allowed(
        ID_MASK_TAIL, values[ID_MASK_TAIL]
    )


def _allowed(key: str, value: Any) -> int:
    rule = POLICY_KEYS[key]
    try:
        count = int(value)
    except (TypeError, ValueError, OverflowError):
        count = rule.default
    return max(0, min(count, rule.maximum if rule.maximum is not None else rule.default))


def notice_masker(region_code: str, on: dt.date | None = None) -> Masker:
    """ID numbers as the county of ``region_code`` masks them on ``on`` (a notice's own date)."""
    head, tail = id_mask_rule(region_code, on)
    return lambda number: mask_text(number, head=head, tail=tail)


def id_masker(user) -> Masker:
    """ID numbers as the reader's county masks them today: for lists, and for readers who may
    not read them in full (the selector every page and API uses)."""
    return notice_masker(user_region_code(user))


def _last_two(user) -> Masker:
    return lambda value: mask_text(value, head=0, tail=2)


def register_person_fields() -> None:
    from people.models import Person
    from people.roles import EXPORT_ID_NUMBERS, SEE_ACCOUNTS, SEE_ID_NUMBERS, SEE_PHONES

    register_sensitive(
        Person,
        {
            "id_number": Sensitive(SEE_ID_NUMBERS, id_masker, bulk_readers=EXPORT_ID_NUMBERS),
            "disability_certificate": Sensitive(SEE_ID_NUMBERS, _last_two),
            "account_number": Sensitive(SEE_ACCOUNTS),
            "phone": Sensitive(SEE_PHONES),
        },
    )
