"""Payout lines as the payout app hands them to the bank files: plain dicts, amounts in fen."""

import datetime as dt

import pytest

from people.idnumbers import check_character


def id_number(n: int) -> str:
    """A valid ID number (a 1990 birth date) for the ``n``th person."""
    first17 = f"370902199001{1 + n % 28:02d}{n % 1000:03d}"
    return first17 + check_character(first17)


def payout_line(n: int, **changes) -> dict:
    line = {
        "id": n,
        "name": f"张{n}",
        "id_number": id_number(n),
        "account_number": f"621700{n:013d}",
        "bank": "泰安农商银行",
        "item": "公益性岗位补贴",
        "amount": 190000 + n,
        "period": dt.date(2026, 3, 1),
        "remark": "",
    }
    line.update(changes)
    return line


@pytest.fixture
def lines() -> list[dict]:
    return [payout_line(n) for n in range(1, 6)]
