"""Forms of the township's pages (``views``): rounds, applications, moves, training."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongyi.enums import RegionLevel
from gongyi.models import Region
from gongyi.policy import policy_value
from gongyi.scoping import scope_queryset
from people.eligibility import add_months
from people.onboarding.models import Application, Round
from people.policy import SUBSIDY_MONTHS_PER_PLACEMENT
from posts.enums import AreaKind, PostStatus
from posts.models import Post

# ISO dates: a browser's date input reads no other format, whatever the language.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RoundForm(forms.ModelForm):
    """A round and the places offered on each open post of its township (``places_<post id>``)."""

    township = forms.ModelChoiceField(queryset=Region.objects.none(), label=_("Township"))

    class Meta:
        model = Round
        fields = [
            "township",
            "title",
            "who_may_apply",
            "opens_on",
            "closes_on",
            "apply_at",
            "contact",
        ]
        widgets = {
            "opens_on": DATE,
            "closes_on": DATE,
            "who_may_apply": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, township: Region | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        townships = scope_queryset(user, Region.objects.filter(level=RegionLevel.TOWNSHIP))
        self.fields["township"].queryset = townships
        self.fields["township"].disabled = True
        self.fields["township"].required = False
        self.fields["township"].initial = township
        self.township = township
        self.posts = list(
            scope_queryset(user, Post.objects.all())
            .filter(status__in=[PostStatus.OPEN, PostStatus.VACANT])
            .filter(township=self.township)
            .select_related("post_type", "village")
            .order_by("title", "pk")[:300]
            if self.township
            else []
        )
        offered = (
            dict(self.instance.round_posts.values_list("post_id", "places"))
            if self.instance.pk
            else {}
        )
        for post in self.posts:
            self.fields[f"places_{post.pk}"] = forms.IntegerField(
                label=post.title,
                required=False,
                min_value=0,
                initial=offered.get(post.pk),
                widget=forms.NumberInput(attrs={"class": "narrow", "min": 0}),
            )

    def post_rows(self):
        return [(post, self[f"places_{post.pk}"]) for post in self.posts]

    def places(self) -> dict[int, int]:
        return {
            post.pk: self.cleaned_data[f"places_{post.pk}"]
            for post in self.posts
            if self.cleaned_data.get(f"places_{post.pk}")
        }

    def service_data(self) -> dict:
        return {k: self.cleaned_data.get(k) for k in self.Meta.fields if k != "township"}


class ApplicationForm(forms.Form):
    """The post of the round and the person: one of the people found by the search on the page
    (``person``, a pk checked by the view against the township's registry) or an ID number."""

    post = forms.ModelChoiceField(queryset=Post.objects.none(), label=_("Post"))
    person = forms.IntegerField(required=False, widget=forms.HiddenInput)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=20,
        required=False,
        help_text=_("The applicant's file must be in the registry of the township."),
    )
    applied_on = forms.DateField(label=_("applied on"), widget=DATE)
    evidence = forms.CharField(label=_("Materials received"), max_length=300, required=False)

    def __init__(self, *args, round_: Round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = round_.posts.all().order_by("title")
        self.fields["applied_on"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        if not data.get("person") and not (data.get("id_number") or "").strip():
            raise forms.ValidationError(
                _("Choose the person among those found, or enter the ID number.")
            )
        return data


class PublicityStartForm(forms.Form):
    """Rank a post's qualified applicants and publicise them, from a day (today if empty)."""

    round_post = forms.IntegerField()
    starts_on = forms.DateField(label=_("publicity starts"), required=False, widget=DATE)


class TransitionForm(forms.Form):
    """The target state and what the move needs (docs/policy.md §6; ``workflow.TRANSITIONS``)."""

    to = forms.CharField(max_length=16)
    comment = forms.CharField(
        label=_("Reason or comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.CharField(label=_("Evidence"), max_length=300, required=False)
    signed_on = forms.DateField(label=_("signed on"), required=False, widget=DATE)
    term_start = forms.DateField(label=_("term starts"), required=False, widget=DATE)
    term_end = forms.DateField(label=_("term ends"), required=False, widget=DATE)
    agreement_number = forms.CharField(label=_("agreement number"), max_length=40, required=False)
    start_date = forms.DateField(label=_("start date"), required=False, widget=DATE)

    def data_for_service(self) -> dict:
        keys = ("signed_on", "term_start", "term_end", "agreement_number", "start_date")
        return {k: self.cleaned_data[k] for k in keys if self.cleaned_data.get(k)}


def default_term(app: Application, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The form's default term: from today for the county's subsidy period (a setting, 36
    months by default: seed 001 §二(四)), for urban posts no later than the retirement date."""
    start = today or timezone.localdate()
    months = policy_value(app.region_code, SUBSIDY_MONTHS_PER_PLACEMENT, start)
    end = add_months(start, months) - dt.timedelta(days=1)
    if app.post.area_kind == AreaKind.URBAN:
        end = min(end, app.person.retirement_date)
    return start, end


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve")), ("0", _("Refuse"))],
        coerce=lambda v: v == "1",
    )
    comment = forms.CharField(label=_("Reason or comment"), required=False, max_length=200)


class FindingForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("Finding"),
        choices=[("0", _("Not upheld")), ("1", _("Upheld"))],
        coerce=lambda v: v == "1",
    )
    finding = forms.CharField(label=_("finding"), widget=forms.Textarea(attrs={"rows": 2}))


class TrainingForm(forms.Form):
    held_on = forms.DateField(label=_("held on"), widget=DATE)
    topic = forms.CharField(label=_("topic"), max_length=200)
    place = forms.CharField(label=_("place"), max_length=100)
    hours = forms.DecimalField(label=_("hours"), max_digits=4, decimal_places=1)
    trainer = forms.CharField(label=_("trainer"), max_length=50, required=False)
    present = forms.ModelMultipleChoiceField(
        label=_("Present"),
        queryset=Application.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = applications
        self.fields["present"].label_from_instance = lambda a: f"{a.person.name}（{a.post.title}）"
        self.fields["held_on"].initial = timezone.localdate()
