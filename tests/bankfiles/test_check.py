from subsidies.bankfiles import payment_lines_check
from subsidies.bankfiles.check import ACCOUNT_MAX_DIGITS, ACCOUNT_MIN_DIGITS
from tests.bankfiles.conftest import payout_line


def people_of(lines) -> dict[str, str]:
    return {line["id_number"]: line["name"] for line in lines}


def test_check_passes_good_lines(lines):
    result = payment_lines_check(lines, people_of(lines))

    assert result.good == lines
    assert result.stopped == []


def test_check_stops_an_account_with_letters(lines):
    people = people_of(lines)
    lines[1]["account_number"] = "62170000A0000000002"

    result = payment_lines_check(lines, people)

    assert [(s.position, s.line_id) for s in result.stopped] == [(2, 2)]
    assert result.stopped[0].reason == (
        f"卡号或账号 62170000A0000000002 含有数字以外的字符；卡号或账号应为 {ACCOUNT_MIN_DIGITS} 至 "
        f"{ACCOUNT_MAX_DIGITS} 位数字。"
    )
    assert len(result.good) == 4


def test_check_stops_an_empty_short_or_spaced_account(lines):
    people = people_of(lines)
    lines[0]["account_number"] = ""
    lines[1]["account_number"] = "12345678"
    lines[2]["account_number"] = "6217 0000 0000 0000 003"
    lines[3]["account_number"] = "６２１７０００００００００００００００４"  # full-width digits

    result = payment_lines_check(lines, people)

    reasons = [s.reason for s in result.stopped]
    assert reasons[0] == "卡号或账号为空。"
    assert reasons[1].startswith("卡号或账号为 8 位")
    assert "含有数字以外的字符" in reasons[2]
    assert "含有数字以外的字符" in reasons[3]
    assert [line["id"] for line in result.good] == [5]


def test_check_stops_a_name_that_differs_from_the_person_file(lines):
    people = people_of(lines)
    lines[4]["name"] = "张五"

    result = payment_lines_check(lines, people)

    assert result.stopped[0].line_id == 5
    assert result.stopped[0].reason == "姓名 张五 与人员档案中的姓名（张5）不符。"


def test_check_takes_a_name_written_with_another_dot_or_spaces():
    line = payout_line(1, name="阿依古丽•买买提 ")

    result = payment_lines_check([line], {line["id_number"]: "阿依古丽·买买提"})

    assert result.stopped == []


def test_check_finds_the_person_by_a_normalised_id_number():
    line = payout_line(1)
    people = {line["id_number"]: line["name"]}
    line["id_number"] = line["id_number"].lower() + " "

    assert payment_lines_check([line], people).stopped == []


def test_check_stops_a_line_without_person_file_and_gives_every_reason():
    line = payout_line(1, account_number="", amount=0)

    result = payment_lines_check([line], {})

    assert result.stopped[0].reason == (
        "卡号或账号为空。 人员档案中没有此身份证号。 金额必须大于 0。"
    )
