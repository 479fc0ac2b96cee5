from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from posts.enums import AreaKind, PostCategory
from posts.models import MinimumWage, Post, PostType, SubsidyStandard
from posts.selectors import post_types_for, townships_for, villages_for
from posts.services import MAX_TARGET, POST_FIELDS


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class PostTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_category_display()} · {obj.name}"


#: More places than a county's plan ever has (one province's is some hundred thousand).
MAX_PLACES = MAX_TARGET


class PostForm(forms.ModelForm):
    """The post's fields; the area and the rules are checked again by the service."""

    class Meta:
        model = Post
        fields = POST_FIELDS
        widgets = {
            "duties": forms.Textarea(attrs={"rows": 3}),
            "requirements": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post_type"] = PostTypeChoiceField(
            post_types_for(user), label=_("standard name")
        )
        self.fields["township"] = RegionChoiceField(townships_for(user), label=_("township"))
        self.fields["village"] = RegionChoiceField(
            villages_for(user).select_related("parent"),
            label=_("village or community"),
            required=False,
            help_text=_("Empty if the work is done at the township itself."),
        )
        self.fields["insurance_kind"].required = False
        self.fields["insurance_kind"].help_text = _(
            "Empty: social-insurance subsidy for urban posts, accident insurance for rural posts."
        )
        self.fields["plan_year"].initial = timezone.localdate().year
        self.fields["hours_per_week"].help_text = _("Hourly posts only.")
        self.fields["monthly_subsidy"].help_text = _("Full-time posts only.")
        self.fields["hourly_rate"].help_text = _("Hourly posts only.")
        if len(self.fields["township"].queryset) == 1 and not self.instance.pk:
            self.fields["township"].initial = self.fields["township"].queryset[0]

    def validate_unique(self):
        """Left to the service: its messages say what is wrong with the pay or the place, where
        the model's check constraints (the database's backstop) could only name themselves."""

    def clean_headcount(self):
        value = self.cleaned_data["headcount"]
        if value is not None and value < 1:
            raise forms.ValidationError(_("The headcount must be at least 1."))
        return value


class CloseForm(forms.Form):
    reason = forms.CharField(label=_("reason for closing"), max_length=200)


class PostTypeForm(forms.ModelForm):
    class Meta:
        model = PostType
        fields = ["category", "name", "description"]

    category = forms.ChoiceField(label=_("category"), choices=PostCategory.choices)


class MinimumWageForm(forms.ModelForm):
    monthly = forms.DecimalField(
        label=_("monthly minimum (yuan)"), max_digits=10, decimal_places=2, min_value=1
    )
    hourly = forms.DecimalField(
        label=_("hourly minimum (yuan)"), max_digits=10, decimal_places=2, min_value=1
    )

    class Meta:
        model = MinimumWage
        fields = ["tier", "monthly", "hourly", "effective_from", "source"]
        widgets = {"effective_from": forms.DateInput(attrs={"type": "date"})}


class SubsidyStandardForm(forms.ModelForm):
    annual_amount = forms.DecimalField(
        label=_("yuan per post and year"), max_digits=10, decimal_places=2, min_value=1
    )

    class Meta:
        model = SubsidyStandard
        fields = ["area_kind", "annual_amount", "effective_from", "source"]
        widgets = {"effective_from": forms.DateInput(attrs={"type": "date"})}

    area_kind = forms.ChoiceField(label=_("urban or rural"), choices=AreaKind.choices)


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    urban_target = forms.IntegerField(label=_("urban target"), min_value=0, max_value=MAX_PLACES)
    rural_target = forms.IntegerField(label=_("rural target"), min_value=0, max_value=MAX_PLACES)
    note = forms.CharField(label=_("basis"), max_length=200, required=False)


class AllocationForm(forms.Form):
    """One pair of fields (urban, rural) per township of the county."""

    def __init__(self, *args, townships, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.townships = list(townships)
        for township in self.townships:
            urban, rural = current.get(township.pk, (0, 0))
            self.fields[f"urban_{township.pk}"] = forms.IntegerField(
                label=_("urban posts"), min_value=0, max_value=MAX_PLACES, initial=urban
            )
            self.fields[f"rural_{township.pk}"] = forms.IntegerField(
                label=_("rural posts"), min_value=0, max_value=MAX_PLACES, initial=rural
            )

    def rows(self):
        return [(t, self[f"urban_{t.pk}"], self[f"rural_{t.pk}"]) for t in self.townships]

    def shares(self) -> dict[int, tuple[int, int]]:
        return {
            t.pk: (self.cleaned_data[f"urban_{t.pk}"], self.cleaned_data[f"rural_{t.pk}"])
            for t in self.townships
        }
