"""The upload form of an external dataset (docs/policy.md §8)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audits.datasets.enums import DatasetKind


class DatasetUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DatasetKind.choices)
    as_of = forms.DateField(
        label=_("Data as of"),
        help_text=_("The day the department's list describes."),
        # ISO: a date input shows nothing for the locale's 2026/12/08.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    file = forms.FileField(label=_("File (.xlsx or .csv)"))

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, DatasetKind(k).label) for k in kinds]
        self.fields["as_of"].initial = timezone.localdate()
