from subsidies.bankfiles import (
    BankResult,
    FailureReason,
    LineOutcome,
    ProblemKind,
    ReturnRow,
    return_match,
)
from subsidies.bankfiles.enums import failure_reason
from tests.bankfiles.conftest import payout_line


def expected_of(lines) -> dict:
    return {
        line["id"]: (line["id_number"], line["account_number"], line["amount"]) for line in lines
    }


def paid(row: int, line: dict, **changes) -> ReturnRow:
    values = {
        "row": row,
        "id_number": line["id_number"],
        "account_number": line["account_number"],
        "amount": line["amount"],
        "result": BankResult.PAID,
        "reason": None,
        "reason_text": "",
    }
    values.update(changes)
    return ReturnRow(**values)


def failed(row: int, line: dict, text: str) -> ReturnRow:
    return paid(row, line, result=BankResult.FAILED, reason=failure_reason(text), reason_text=text)


def test_match_settles_every_line(lines):
    rows = [
        paid(2, lines[0]),
        failed(3, lines[1], "账户户名不符"),
        *(paid(n, line) for n, line in enumerate(lines[2:], start=4)),
    ]

    result = return_match(expected_of(lines), rows)

    assert result.problems == []
    assert result.other_batch == ""
    assert result.outcomes[:2] == [
        LineOutcome(1, 2, BankResult.PAID, None, ""),
        LineOutcome(2, 3, BankResult.FAILED, FailureReason.NAME_MISMATCH, "账户户名不符"),
    ]
    assert [o.line_id for o in result.outcomes] == [1, 2, 3, 4, 5]


def test_match_reports_a_changed_amount_and_leaves_the_line_unsettled(lines):
    rows = [paid(n, line) for n, line in enumerate(lines, start=2)]
    rows[1] = paid(3, lines[1], amount=lines[1]["amount"] + 100)

    result = return_match(expected_of(lines), rows)

    assert [(p.kind, p.row, p.line_id) for p in result.problems] == [(ProblemKind.AMOUNT, 3, 2)]
    assert result.problems[0].message == (
        "第 3 行：金额 1901.02 元与发放明细的 1900.02 元不符；该明细暂不处理。"
    )
    assert 2 not in {o.line_id for o in result.outcomes}
    assert result.missing == []


def test_match_reports_a_duplicated_line(lines):
    rows = [paid(n, line) for n, line in enumerate(lines, start=2)]
    rows.append(failed(7, lines[0], "失败"))

    result = return_match(expected_of(lines), rows)

    assert [(p.kind, p.row) for p in result.problems] == [(ProblemKind.DUPLICATE, 7)]
    assert result.problems[0].message.startswith("第 7 行与第 2 行重复")
    assert result.outcomes[0] == LineOutcome(1, 2, BankResult.PAID, None, "")


def test_match_reports_a_duplicate_with_another_amount(lines):
    rows = [paid(2, lines[0]), paid(3, lines[0], amount=1)]

    result = return_match(expected_of(lines[:1]), rows)

    assert [(p.kind, p.row) for p in result.problems] == [(ProblemKind.DUPLICATE, 3)]
    assert "第 2 行对应的发放明细又出现一次" in result.problems[0].message


def test_match_settles_two_lines_sharing_id_account_and_amount():
    line = payout_line(1)
    expected = {
        1: (line["id_number"], line["account_number"], 500),
        2: (line["id_number"], line["account_number"], 500),
    }
    rows = [paid(2, line, amount=500), paid(3, line, amount=500)]

    result = return_match(expected, rows)

    assert result.problems == []
    assert sorted(o.line_id for o in result.outcomes) == [1, 2]


def test_match_reports_an_unknown_line_and_a_known_person_with_another_account(lines):
    stranger = payout_line(99)
    rows = [paid(n, line) for n, line in enumerate(lines, start=2)]
    rows += [paid(7, stranger), paid(8, lines[0], account_number="6228480000000000000")]

    result = return_match(expected_of(lines), rows)

    assert [(p.kind, p.row) for p in result.problems] == [
        (ProblemKind.UNKNOWN, 7),
        (ProblemKind.UNKNOWN, 8),
    ]
    assert result.problems[0].message == "第 7 行：本发放批次中没有此身份证号的明细。"
    assert "卡号或账号不是这个" in result.problems[1].message


def test_match_reports_a_line_the_bank_did_not_return(lines):
    rows = [paid(n, line) for n, line in enumerate(lines[:4], start=2)]

    result = return_match(expected_of(lines), rows)

    assert result.missing == [5]
    assert result.problems[0].row is None


def test_match_says_when_the_file_is_another_batchs():
    ours, theirs = payout_line(1), payout_line(2)

    result = return_match(expected_of([ours]), [paid(2, theirs)])

    assert result.outcomes == []
    assert result.other_batch.startswith("回盘文件中没有一行属于本发放批次")
    assert result.missing == [1]


def test_match_normalises_the_expected_id_number_and_account():
    line = payout_line(3)
    expected = {1: (f" {line['id_number']} ", line["account_number"] + " ", line["amount"])}

    result = return_match(expected, [paid(2, line)])

    assert result.problems == []
    assert [o.line_id for o in result.outcomes] == [1]


def test_failure_reasons_are_normalised():
    assert failure_reason("户名不一致") == FailureReason.NAME_MISMATCH
    assert failure_reason("账号户名不符") == FailureReason.NAME_MISMATCH
    assert failure_reason("无此账户") == FailureReason.NO_ACCOUNT
    assert failure_reason("账户已销户") == FailureReason.ACCOUNT_CLOSED
    assert failure_reason("卡片状态异常：冻结") == FailureReason.ACCOUNT_CLOSED
    assert failure_reason("系统繁忙") == FailureReason.OTHER
    assert failure_reason("") == FailureReason.OTHER


def test_a_row_with_another_batchs_reference_settles_nothing():
    """The batch's reference in the remark tells last month's row from this month's, though the
    ID number, account and amount are the same (docs/policy.md §7)."""
    from subsidies.bankfiles import payout_reference

    a, b, c = payout_line(1), payout_line(2), payout_line(3)
    ours, theirs = payout_reference(7), payout_reference(6)
    rows = [paid(2, a, remark=ours), paid(3, b, remark=f"{theirs} 账户修正后重发"), paid(4, c)]

    result = return_match(expected_of([a, b, c]), rows, ours)

    assert [o.line_id for o in result.outcomes] == [1, 3]
    assert [(p.kind, p.row) for p in result.problems] == [
        (ProblemKind.OTHER_BATCH, 3),
        (ProblemKind.MISSING, None),
    ]
    assert theirs in result.problems[0].message and ours in result.problems[0].message
    assert payout_reference(7) == "GY00000007"
