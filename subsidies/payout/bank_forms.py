"""The bank template form (docs/policy.md §7): each column of the payment file with its place and
header, the file's format, encoding, amounts, period and control; the return file's columns by
header or position and the bank's words. It builds the dicts ``bank_template_save`` checks."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from subsidies.bankfiles import (
    AmountFormat,
    ControlPlace,
    Encoding,
    Field,
    FileFormat,
    ReturnField,
)

FIELD_LABELS = {
    Field.NAME: _("Full name"),
    Field.ID_NUMBER: _("ID number"),
    Field.ACCOUNT_NUMBER: _("Card or account number"),
    Field.BANK: _("Bank"),
    Field.ITEM: _("Item paid"),
    Field.AMOUNT: _("Amount"),
    Field.PERIOD: _("Period"),
    Field.REMARK: _("Remark"),
}
RETURN_LABELS = {
    ReturnField.NAME: _("Full name"),
    ReturnField.ID_NUMBER: _("ID number"),
    ReturnField.ACCOUNT_NUMBER: _("Card or account number"),
    ReturnField.AMOUNT: _("Amount"),
    ReturnField.STATUS: _("Result (paid or failed)"),
    ReturnField.REASON: _("Reason of a failure"),
    ReturnField.REMARK: _("Remark as the payment file had it"),
}
FORMATS = [(FileFormat.XLSX, _("Excel (.xlsx)")), (FileFormat.TEXT, _("Delimited text"))]
ENCODINGS = [
    (Encoding.GBK, "GBK"),
    (Encoding.UTF8, "UTF-8"),
    (Encoding.UTF8_BOM, _("UTF-8 with BOM")),
]
AMOUNTS = [(AmountFormat.YUAN, _("Yuan with two decimals")), (AmountFormat.FEN, _("Whole fen"))]
CONTROLS = [
    (ControlPlace.NONE, _("Not stated")),
    (ControlPlace.SHEET, _("On a control sheet (Excel)")),
    (ControlPlace.FIRST_LINE, _("On a control line above the lines (text)")),
    (ControlPlace.LAST_LINE, _("On a control line below the lines (text)")),
]
DELIMITER_HELP = _("One character, for example , | or a tab written as \\t.")


def _words(text: str) -> list[str]:
    return [w.strip() for w in text.replace("，", ",").replace("、", ",").split(",") if w.strip()]


class BankTemplateForm(forms.Form):
    name = forms.CharField(label=_("Template name"), max_length=60)
    bank_name = forms.CharField(label=_("Bank"), max_length=60, required=False)
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)
    # The payment file.
    file_format = forms.ChoiceField(label=_("File format"), choices=FORMATS)
    encoding = forms.ChoiceField(label=_("Encoding of a text file"), choices=ENCODINGS)
    delimiter = forms.CharField(
        label=_("Delimiter"), max_length=2, required=False, strip=False, help_text=DELIMITER_HELP
    )
    header_row = forms.BooleanField(label=_("First line holds the headers"), required=False)
    amount_format = forms.ChoiceField(label=_("Amounts"), choices=AMOUNTS)
    period_format = forms.CharField(
        label=_("Period format"),
        max_length=20,
        help_text=_("%Y the year, %m the month: %Y%m writes 202611, %Y年%m月 writes 2026年11月."),
    )
    control = forms.ChoiceField(label=_("Line count and total"), choices=CONTROLS)
    control_prefix = forms.CharField(
        label=_("Control line starts with"),
        max_length=40,
        required=False,
        help_text=_("Values before the count and total, separated by commas; often empty."),
    )
    # The return file.
    return_format = forms.ChoiceField(label=_("File format"), choices=FORMATS)
    return_encoding = forms.ChoiceField(label=_("Encoding of a text file"), choices=ENCODINGS)
    return_delimiter = forms.CharField(
        label=_("Delimiter"), max_length=2, required=False, strip=False, help_text=DELIMITER_HELP
    )
    return_header_row = forms.BooleanField(
        label=_("Columns found by their headers"), required=False
    )
    return_skip_lines = forms.IntegerField(
        label=_("Lines to skip without headers"), min_value=0, max_value=50, initial=0
    )
    return_amount_format = forms.ChoiceField(label=_("Amounts"), choices=AMOUNTS)
    paid_words = forms.CharField(label=_("The bank's words for paid"), max_length=200)
    failed_words = forms.CharField(label=_("The bank's words for failed"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in Field:
            self.fields[f"col_{field}_order"] = forms.IntegerField(
                label=FIELD_LABELS[field], min_value=1, max_value=len(Field), required=False
            )
            self.fields[f"col_{field}_header"] = forms.CharField(
                label=FIELD_LABELS[field], max_length=40, required=False
            )
        for field in ReturnField:
            self.fields[f"ret_{field}_header"] = forms.CharField(
                label=RETURN_LABELS[field], max_length=40, required=False
            )
            self.fields[f"ret_{field}_position"] = forms.IntegerField(
                label=RETURN_LABELS[field], min_value=1, max_value=99, required=False
            )

    def file_rows(self):
        return [(FIELD_LABELS[f], self[f"col_{f}_order"], self[f"col_{f}_header"]) for f in Field]

    def return_rows(self):
        return [
            (RETURN_LABELS[f], self[f"ret_{f}_header"], self[f"ret_{f}_position"])
            for f in ReturnField
        ]

    FILE_SETTINGS = (
        "file_format",
        "encoding",
        "delimiter",
        "header_row",
        "amount_format",
        "period_format",
        "control",
        "control_prefix",
    )
    RETURN_SETTINGS = (
        "return_format",
        "return_encoding",
        "return_delimiter",
        "return_header_row",
        "return_skip_lines",
        "return_amount_format",
        "paid_words",
        "failed_words",
    )

    def file_fields(self):
        return [self[name] for name in self.FILE_SETTINGS]

    def return_fields(self):
        return [self[name] for name in self.RETURN_SETTINGS]

    def clean(self):
        data = super().clean()
        orders = [data.get(f"col_{f}_order") for f in Field if data.get(f"col_{f}_order")]
        if len(orders) != len(set(orders)):
            raise forms.ValidationError(_("Two columns of the payment file have the same place."))
        return data

    @staticmethod
    def _delimiter(value: str) -> str:
        return "\t" if value in ("\\t", "\t") else (value or ",")

    def templates(self) -> tuple[dict, dict]:
        """The payment file's and the return file's templates as ``from_dict`` reads them."""
        d = self.cleaned_data
        placed = sorted(
            (d[f"col_{f}_order"], f) for f in Field if d.get(f"col_{f}_order") is not None
        )
        payment = {
            "columns": [
                {"field": str(f), "header": (d.get(f"col_{f}_header") or "").strip()}
                for _order, f in placed
            ],
            "file_format": d["file_format"],
            "encoding": d["encoding"],
            "delimiter": self._delimiter(d.get("delimiter")),
            "header_row": bool(d.get("header_row")),
            "amount_format": d["amount_format"],
            "period_format": d["period_format"],
            "control": d["control"],
            "control_prefix": _words(d.get("control_prefix") or ""),
        }
        columns = []
        for f in ReturnField:
            header = (d.get(f"ret_{f}_header") or "").strip()
            position = d.get(f"ret_{f}_position")
            if header or position:
                columns.append({"field": str(f), "header": header, "position": position})
        bank_return = {
            "columns": columns,
            "file_format": d["return_format"],
            "encoding": d["return_encoding"],
            "delimiter": self._delimiter(d.get("return_delimiter")),
            "header_row": bool(d.get("return_header_row")),
            "skip_lines": d.get("return_skip_lines") or 0,
            "amount_format": d["return_amount_format"],
            "paid_words": _words(d["paid_words"]),
            "failed_words": _words(d["failed_words"]),
        }
        return payment, bank_return

    @classmethod
    def initial_from(cls, template) -> dict:
        """The form's values from a ``BankTemplate`` (to edit it, or to start from a copy)."""
        payment, bank_return = template.file_template, template.return_template
        initial = {
            "name": template.name,
            "bank_name": template.bank_name,
            "active": template.active,
            "file_format": payment["file_format"],
            "encoding": payment["encoding"],
            "delimiter": "\\t" if payment["delimiter"] == "\t" else payment["delimiter"],
            "header_row": payment["header_row"],
            "amount_format": payment["amount_format"],
            "period_format": payment["period_format"],
            "control": payment["control"],
            "control_prefix": ",".join(payment.get("control_prefix") or []),
            "return_format": bank_return["file_format"],
            "return_encoding": bank_return["encoding"],
            "return_delimiter": bank_return["delimiter"],
            "return_header_row": bank_return["header_row"],
            "return_skip_lines": bank_return.get("skip_lines", 0),
            "return_amount_format": bank_return["amount_format"],
            "paid_words": "、".join(bank_return["paid_words"]),
            "failed_words": "、".join(bank_return["failed_words"]),
        }
        for n, column in enumerate(payment["columns"], start=1):
            initial[f"col_{column['field']}_order"] = n
            initial[f"col_{column['field']}_header"] = column["header"]
        for column in bank_return["columns"]:
            initial[f"ret_{column['field']}_header"] = column.get("header", "")
            initial[f"ret_{column['field']}_position"] = column.get("position")
        return initial
