"""Forms of the person registry. They read the input; the services check the rules again."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongyi.scoping import scope_queryset
from people.enums import DisabilityGrade, DocumentKind, Relation, RelativeKind
from people.models import Person, TargetGroup
from people.retirement import RetirementCategory
from posts.forms import RegionChoiceField
from posts.selectors import townships_for, villages_for

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonForm(forms.ModelForm):
    """The fields a clerk enters; sex, birth date and retirement date come from the ID number."""

    id_number = forms.CharField(
        label=_("ID number"),
        max_length=40,
        help_text=_("18 characters (15 for an old number); a lower-case x is fine."),
    )
    retirement_category = forms.ChoiceField(
        label=_("retirement category"),
        required=False,
        choices=[("", _("By sex (women: the 50 category)")), *RetirementCategory.choices],
        help_text=_("Women cadres retire in the 55 category; choose it for them."),
    )
    disability_grade = forms.TypedChoiceField(
        label=_("disability grade"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *DisabilityGrade.choices],
    )

    class Meta:
        model = Person
        fields = [
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
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"] = RegionChoiceField(townships_for(user), label=_("township"))
        self.fields["village"] = RegionChoiceField(
            villages_for(user),
            label=_("home village or community"),
            required=False,
        )
        if len(self.fields["township"].queryset) == 1 and not self.instance.pk:
            self.fields["township"].initial = self.fields["township"].queryset[0]
        if self.instance.pk and user.role != "county":
            # Lifetime counts: entered with the file, corrected by the county only.
            for name in ("placements_used", "subsidy_months_used"):
                self.fields[name].disabled = True
        self.fields["placements_used"].help_text = _(
            "Placements on public-welfare posts before this system, if any."
        )
        self.fields["subsidy_months_used"].help_text = _(
            "Months of post subsidy received before this system, if any."
        )
        self.fields["disability_certificate"].help_text = _(
            "The ID number followed by two digits (kind and grade)."
        )

    def validate_unique(self):
        """Left to the service: a duplicate ID number is answered with where its file is."""


class MembershipForm(forms.Form):
    group = forms.ModelChoiceField(TargetGroup.objects.none(), label=_("target group"))
    recognised_on = forms.DateField(label=_("recognition date"), widget=DATE_INPUT)
    evidence = forms.CharField(
        label=_("evidence"),
        max_length=200,
        required=False,
        help_text=_("Which department recognised it, and the document number."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = scope_queryset(
            user, TargetGroup.objects.filter(is_active=True)
        ).order_by("priority", "area", "code")


class DeclarationForm(forms.Form):
    relation = forms.ChoiceField(label=_("relation"), choices=Relation.choices)
    relative_name = forms.CharField(label=_("relative's name"), max_length=50)
    relative_kind = forms.ChoiceField(label=_("relative is a"), choices=RelativeKind.choices)
    relative_post = forms.CharField(label=_("relative's unit and post"), max_length=100)
    declared_on = forms.DateField(
        label=_("declared on"), widget=DATE_INPUT, initial=timezone.localdate
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("file"), help_text=_("PDF, JPEG or PNG, at most 10 MB."))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=200)


class TargetGroupForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=60)
    area = forms.ChoiceField(label=_("posts"), choices=TargetGroup._meta.get_field("area").choices)
    priority = forms.IntegerField(
        label=_("priority order"),
        required=False,
        min_value=6,
        max_value=99,
        help_text=_("1 to 5 are the priority groups of seed 003 §8; a county's own come after."),
    )
    may_be_placed_again = forms.BooleanField(label=_("may be placed a second time"), required=False)
    source = forms.CharField(label=_("source"), max_length=100, required=False)
