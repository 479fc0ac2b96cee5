"""Resident ID numbers (docs/policy.md §5, GB 11643-1999): check character, birth date, sex, the
legacy 15-digit form, Excel's damage, and the publicity mask (docs/policy.md §9)."""

import datetime as dt

import pytest

from people.idnumbers import IdNumberError, check_character, mask, normalise, parse_id_number

TODAY = dt.date(2026, 12, 2)


def test_check_character_of_the_standard_example_is_x():
    """GB 11643's worked example 11010519491231002X."""
    assert check_character("11010519491231002") == "X"


def test_valid_number_gives_birth_date_and_sex():
    parsed = parse_id_number("370902196204150012", today=TODAY)
    assert (parsed.number, parsed.birth_date, parsed.sex) == (
        "370902196204150012",
        dt.date(1962, 4, 15),
        "male",
    )


def test_address_code_is_not_checked():
    """docs/policy.md §5: 370902 (泰山区) was created after 1962, yet people born then carry it; a code
    that exists nowhere today is accepted too."""
    first17 = "99999919620415002"
    assert parse_id_number(first17 + check_character(first17), today=TODAY).sex == "female"


def test_lower_case_x_is_stored_upper_case():
    assert parse_id_number("11010519491231002x", today=TODAY).number == "11010519491231002X"


def test_full_width_digits_and_spaces_are_accepted():
    assert (
        parse_id_number("３７０９０２ 1962 0415 0012", today=TODAY).number == "370902196204150012"
    )


def test_legacy_15_digit_number_becomes_18():
    """docs/policy.md §5: "19" before the six-digit date, then the check character."""
    assert normalise("370902620415001") == "370902196204150012"
    assert parse_id_number("370902620415001", today=TODAY).birth_date == dt.date(1962, 4, 15)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "请填写身份证号。"),
        ("37090219620415001", "身份证号应为18位（旧证15位），此号码为 17 位。"),
        ("3709021962041500123", "身份证号应为18位（旧证15位），此号码为 19 位。"),
        ("37090219620415A012", "身份证号前17位应为数字，最后一位为数字或 X。"),
        ("370902196204150013", "校验位应为 2。"),
        ("370902196202300012", "身份证号中的出生日期 19620230 不存在。"),
        ("370902203001010012", "身份证号中的出生日期 2030-01-01 晚于今天。"),
        ("370902180001010012", "身份证号中的出生日期 1800-01-01 早于1900年。"),
    ],
)
def test_each_kind_of_mistake_has_its_message(text, message):
    with pytest.raises(IdNumberError) as refused:
        parse_id_number(text, today=TODAY)
    assert str(refused.value) == message


@pytest.mark.parametrize("value", ["3.70902E+17", 3.70902196204150e17])
def test_a_number_excel_turned_into_a_float_is_explained(value):
    with pytest.raises(IdNumberError) as refused:
        parse_id_number(value, today=TODAY)
    assert "Excel 已把身份证号变成了数字" in str(refused.value)


def test_leap_day_birth_dates():
    assert parse_id_number("370902200002290024", today=TODAY).birth_date == dt.date(2000, 2, 29)
    with pytest.raises(IdNumberError):
        parse_id_number("370406199902290030", today=TODAY)  # 1999 has no 29 February


def test_mask_shows_first_six_and_last_four():
    """docs/policy.md §9: 370902********1234."""
    assert mask("370902196204150012") == "370902********0012"
