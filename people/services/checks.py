"""The checks of a person file that need no query, and the values stored: every write of a file,
from a page, the API or a row of an import (``people.imports``), refuses the same data with the
same messages."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils.translation import gettext as _

from gongyi.errors import DomainError
from people.enums import AccountKind, Registration, Sex
from people.idnumbers import IdNumberError, parse_id_number
from people.retirement import RetirementCategory, default_category, retirement_date
from posts.enums import AreaKind

#: A card or account number is 9 to 32 digits (``Person.account_number`` is 32 wide): the one
#: rule, which the bank's payment file checks again before issuing (``subsidies.bankfiles``).
ACCOUNT_MIN_DIGITS = 9
ACCOUNT_MAX_DIGITS = 32

#: The fields of a person file that a form, the API or an import row gives.
PERSON_FIELDS = (
    "name",
    "id_number",
    "phone",
    "registration",
    "township",
    "village",
    "residence",
    "retirement_category",
    "account_kind",
    "account_number",
    "bank_name",
    "dibao_family",
    "zero_employment_family",
    "disability_certificate",
    "disability_grade",
    "placements_used",
    "subsidy_months_used",
    "note",
)
#: Read once: ``TextChoices.values`` builds a new list on every call, and an import checks every row.
_CHOICE_VALUES = {
    "registration": frozenset(Registration.values),
    "residence": frozenset(AreaKind.values),
    "account_kind": frozenset(AccountKind.values),
}
_CATEGORIES = frozenset(RetirementCategory.values)
_PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8}|\d{7,8})$")
_NAME = re.compile(r"^[^\d<>@#$%^&*=+{}\[\]|\\/]{1,50}$")


def person_errors(data: dict[str, Any], *, today: dt.date) -> tuple[dict[str, str], Any]:
    """Field → message for everything wrong with a file's data that needs no query, and the
    parsed ID number (``people.idnumbers.IdNumber``, None if it is wrong). Used by the forms, the
    API and every row of an import alike."""
    errors: dict[str, str] = {}
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = _("Enter the name.")
    elif not _NAME.match(name):
        errors["name"] = _("A name has at most 50 characters and no digits or symbols.")
    parsed = None
    try:
        parsed = parse_id_number(data.get("id_number"), today=today)
    except IdNumberError as exc:
        errors["id_number"] = str(exc)
    phone = (data.get("phone") or "").replace(" ", "")
    if phone and not _PHONE.match(phone):
        errors["phone"] = _(
            "Enter a mobile number of 11 digits or a landline such as 0538-6221234."
        )
    for key, values in _CHOICE_VALUES.items():
        if key == "account_kind" and not data.get(key):
            continue  # the one-card account by default (docs/policy.md §7)
        if data.get(key) not in values:
            errors[key] = _("Choose one of the list.")
    category = data.get("retirement_category")
    if category and category not in _CATEGORIES:
        errors["retirement_category"] = _("Choose one of the list.")
    elif parsed and category:
        male = parsed.sex == Sex.MALE
        if male != (category == RetirementCategory.MALE_60):
            errors["retirement_category"] = _(
                "The ID number says this person is a %(sex)s; choose a category for %(sexes)s."
            ) % {
                "sex": _("man") if male else _("woman"),
                "sexes": _("men") if male else _("women"),
            }
    account = (data.get("account_number") or "").replace(" ", "")
    if account and not (
        account.isdigit() and ACCOUNT_MIN_DIGITS <= len(account) <= ACCOUNT_MAX_DIGITS
    ):
        errors["account_number"] = _("A card or account number has 9 to 32 digits.")
    errors.update(_disability_errors(data, parsed))
    for key in ("placements_used", "subsidy_months_used"):
        value = data.get(key) or 0
        if not isinstance(value, int) or value < 0:
            errors[key] = _("Enter a whole number, 0 or more.")
    if (data.get("placements_used") or 0) > 2 and "placements_used" not in errors:
        errors["placements_used"] = _("Nobody can have been placed more than twice.")
    if (data.get("subsidy_months_used") or 0) > 600 and "subsidy_months_used" not in errors:
        errors["subsidy_months_used"] = _("Enter the months of subsidy, not days.")
    return errors, parsed


def _disability_errors(data: dict[str, Any], parsed) -> dict[str, str]:
    """The second-generation disability certificate number is the ID number followed by the kind
    (1–7) and the grade (1–4) (残疾人证管理办法); the grade must agree with it."""
    certificate = (data.get("disability_certificate") or "").strip().upper()
    grade = data.get("disability_grade")
    if not certificate:
        if grade:
            return {"disability_certificate": _("Enter the certificate number for the grade.")}
        return {}
    if len(certificate) != 20 or not certificate[18:].isdigit():
        return {
            "disability_certificate": _(
                "A disability certificate number is the ID number followed by two digits."
            )
        }
    if parsed and certificate[:18] != parsed.number:
        return {
            "disability_certificate": _(
                "The certificate number does not begin with this person's ID number."
            )
        }
    if certificate[18] not in "1234567" or certificate[19] not in "1234":
        return {
            "disability_certificate": _(
                "The last two digits are the kind (1–7) and the grade (1–4) of disability."
            )
        }
    if grade and int(grade) != int(certificate[19]):
        return {
            "disability_grade": _("The certificate number says grade %(g)s.")
            % {"g": certificate[19]}
        }
    return {}


def _normalise(data: dict[str, Any], parsed) -> dict[str, Any]:
    """The values stored: the ID number in its 18-character form, sex and birth from it, the
    default retirement category (women: the 50 category, docs/policy.md §4), the grade from the
    certificate, spaces dropped from numbers."""
    data = {k: data.get(k) for k in PERSON_FIELDS}
    data["name"] = data["name"].strip()
    data["id_number"] = parsed.number
    for key in ("phone", "account_number", "bank_name", "disability_certificate", "note"):
        data[key] = (data.get(key) or "").replace(" ", "" if key != "note" else " ").strip()
    data["disability_certificate"] = data["disability_certificate"].upper()
    if data["disability_certificate"] and not data.get("disability_grade"):
        data["disability_grade"] = int(data["disability_certificate"][19])
    data["disability_grade"] = data.get("disability_grade") or None
    data["retirement_category"] = data.get("retirement_category") or default_category(parsed.sex)
    data["account_kind"] = data.get("account_kind") or AccountKind.CARD
    for key in ("dibao_family", "zero_employment_family"):
        data[key] = bool(data.get(key))
    for key in ("placements_used", "subsidy_months_used"):
        data[key] = data.get(key) or 0
    data["sex"] = parsed.sex
    data["birth_date"] = parsed.birth_date
    data["retirement_date"] = retirement_date(data["retirement_category"], parsed.birth_date)
    return data


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise DomainError(" ".join(errors.values()), field_errors=errors)
