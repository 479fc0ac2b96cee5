"""Forms of the workflow's queues: the county's bulk actions, the departments' opinions, the
village's democratic review meeting and the objections received during publicity."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.onboarding.enums import ApplicationState as S
from people.onboarding.enums import Opinion
from people.onboarding.models import Application
from people.services import DOCUMENT_TYPES, MAX_DOCUMENT_BYTES

#: At most this many applications in one bulk action (a page holds 50; the API may send more).
MAX_IDS = 5000


class IdsField(forms.Field):
    """The ids of the applications ticked in a list (checkboxes of the same name)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Choose at least one application."),
        "invalid": _("The list of applications is not valid; reload the page."),
        "too_many": _("Choose at most %(n)s applications at once."),
    }

    def to_python(self, value) -> list[int]:
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        ids = set()
        for item in value:
            text = str(item).strip()
            if not (text.isascii() and text.isdigit()) or len(text) > 18:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            ids.add(int(text))
        if len(ids) > MAX_IDS:
            raise ValidationError(
                self.error_messages["too_many"], code="too_many", params={"n": MAX_IDS}
            )
        return sorted(ids)


class QueueActionForm(forms.Form):
    """A bulk action of the county's queue: one target state for every ticked application."""

    #: action → the state the applications go to (``workflow.TRANSITIONS``)
    TARGETS = {"rereview": S.REREVIEW_PASSED, "approve": S.APPROVED, "reject": S.REJECTED}

    action = forms.ChoiceField(
        label=_("action"),
        choices=[
            ("rereview", _("Pass the re-review")),
            ("approve", _("Approve")),
            ("reject", _("Not pass")),
        ],
    )
    applications = IdsField(label=_("applications"))
    comment = forms.CharField(
        label=_("comment or reason"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Required when not passing (the applicant is told it), or when a department disagrees."
        ),
    )
    query = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("action") == "reject" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Give the reason; the applicant is told it."))
        return data

    @property
    def target(self) -> str:
        return self.TARGETS[self.cleaned_data["action"]]


class OpinionActionForm(forms.Form):
    """A department reviewer's opinion on the ticked applications."""

    opinion = forms.ChoiceField(label=_("opinion"), choices=Opinion.choices)
    applications = IdsField(label=_("applications"))
    comment = forms.CharField(
        label=_("comment"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the department disagrees."),
    )
    query = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("opinion") == Opinion.DISAGREE and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say why the department disagrees."))
        return data


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


RESULT_CHOICES = [
    ("", _("Not reviewed at this meeting")),
    ("pass", _("Passed")),
    ("fail", _("Not passed")),
]


class DemocraticReviewForm(forms.Form):
    """A village's democratic review meeting (民主评议, step 3) and the result for each of its
    applicants awaiting it: passed or not, the votes for, the reason when not passed."""

    village = forms.ChoiceField(label=_("village or community"))
    held_on = forms.DateField(label=_("held on"), widget=DateInput())
    place = forms.CharField(label=_("place"), max_length=100, required=False)
    attendance = forms.IntegerField(label=_("people attending"), min_value=1, max_value=100_000)
    minutes = forms.CharField(
        label=_("minutes"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000
    )
    minutes_file = forms.FileField(
        label=_("minutes (scan)"),
        required=False,
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, villages, applicants: list[Application], fixed_village=None, **kw):
        super().__init__(*args, **kw)
        self.applicants = applicants
        self.villages = {v.code: v for v in villages}
        self.fields["village"].choices = [(v.code, v.name) for v in villages]
        if fixed_village is not None:
            self.fields["village"].initial = fixed_village.code
            self.fields["village"].widget = forms.HiddenInput()
        self.fields["held_on"].initial = timezone.localdate()
        for app in applicants:
            self.fields[f"result_{app.pk}"] = forms.ChoiceField(
                label=_("result"), choices=RESULT_CHOICES, required=False
            )
            self.fields[f"votes_{app.pk}"] = forms.IntegerField(
                label=_("votes for"), min_value=0, max_value=100_000, required=False
            )
            self.fields[f"reason_{app.pk}"] = forms.CharField(
                label=_("reason not passed"), max_length=200, required=False
            )

    def applicant_rows(self):
        """Each applicant with the bound fields of its result, for the table."""
        for app in self.applicants:
            yield (
                app,
                self[f"result_{app.pk}"],
                self[f"votes_{app.pk}"],
                self[f"reason_{app.pk}"],
            )

    def clean_minutes_file(self):
        """A scan is a PDF, JPEG or PNG of at most 10 MB, told by its first bytes (as
        ``people.services.document_add`` checks a person's documents)."""
        upload = self.cleaned_data.get("minutes_file")
        if not upload:
            return None
        if upload.size > MAX_DOCUMENT_BYTES:
            raise ValidationError(
                _("A scan may be at most 10 MB; this one is %(mb)s MB."),
                params={"mb": round(upload.size / 1024 / 1024, 1)},
            )
        head = upload.read(8)
        upload.seek(0)
        if not any(head.startswith(magic) for magic in DOCUMENT_TYPES):
            raise ValidationError(_("Attach a PDF, JPEG or PNG scan."))
        return upload

    def clean_held_on(self):
        held_on: dt.date = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise ValidationError(_("The meeting's date cannot be in the future."))
        return held_on

    def clean(self):
        data = super().clean()
        results = {}
        for app in self.applicants:
            outcome = data.get(f"result_{app.pk}")
            if not outcome:
                continue
            votes = data.get(f"votes_{app.pk}")
            reason = (data.get(f"reason_{app.pk}") or "").strip()
            if outcome == "fail" and not reason:
                self.add_error(f"reason_{app.pk}", _("Give the reason; the applicant is told it."))
            attendance = data.get("attendance")
            if votes is not None and attendance and votes > attendance:
                self.add_error(
                    f"votes_{app.pk}",
                    _("Votes for cannot exceed the people attending (%(n)s).") % {"n": attendance},
                )
            results[app.pk] = (outcome == "pass", votes, reason)
        if not results and not self.errors:
            raise ValidationError(_("Give the result for at least one applicant."))
        data["results"] = results
        return data

    @property
    def village_region(self):
        return self.villages.get(self.cleaned_data.get("village"))


class ObjectionForm(forms.Form):
    """An objection received during publicity (审核公示, seed 003 §6)."""

    raised_on = forms.DateField(label=_("raised on"), widget=DateInput())
    raised_by = forms.CharField(
        label=_("raised by"),
        max_length=50,
        required=False,
        help_text=_("May be left empty for an anonymous objection."),
    )
    content = forms.CharField(
        label=_("objection"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["raised_on"].initial = timezone.localdate()
