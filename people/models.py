"""The person registry: one file per person (一人一档), keyed by the ID number.

Scoping (``gongyi.scoping``): a person belongs to the home village or community, or to the
township that keeps the file when no village is given (``region_code``); target groups are a
county's reference data, read by everyone under it (``scope_include_ancestors``). The ID number is
unique in the whole database, whichever county keeps the file.
"""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Reverse
from django.utils.translation import gettext_lazy as _

from gongyi.models import Region, User, county_foreign_key
from people.enums import (
    AccountKind,
    AgeCondition,
    DeclarationStatus,
    DisabilityGrade,
    DocumentKind,
    GroupArea,
    Registration,
    Relation,
    RelativeKind,
    Sex,
)
from people.retirement import RetirementCategory
from people.scans import scan_name
from posts.enums import AreaKind
from posts.models import MONEY, Post


class TargetGroup(models.Model):
    """A group of people who may be placed (docs/policy.md §2). Rows without a county are the groups
    the seeds name (loaded by a migration); a county adds its own.

    ``priority`` is the group's place in docs/policy.md §3's order (1 first; empty: no priority);
    ``may_be_placed_again`` marks the groups seed 003 §19 allows a second placement.
    """

    county = county_foreign_key(null=True)
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=60)
    area = models.CharField(_("posts"), max_length=8, choices=GroupArea.choices)
    age_condition = models.CharField(
        _("age condition"), max_length=16, choices=AgeCondition.choices, blank=True
    )
    priority = models.PositiveSmallIntegerField(_("priority order"), null=True, blank=True)
    may_be_placed_again = models.BooleanField(_("may be placed a second time"), default=False)
    source = models.CharField(_("source"), max_length=100, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    scope_code_field = "county__code"
    scope_include_ancestors = True

    class Meta:
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        ordering = ["priority", "area", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(county__isnull=True), name="target_group_shared_code"
            ),
            models.UniqueConstraint(fields=["county", "code"], name="target_group_county_code"),
        ]

    def __str__(self) -> str:
        return self.name

    def serves(self, area_kind: str) -> bool:
        return self.area in (GroupArea.BOTH, area_kind)


class Person(models.Model):
    """A person who may be placed, with everything the eligibility rules and the payouts read.

    ``sex`` and ``birth_date`` come from the ID number and ``retirement_date`` from them and the
    category (docs/policy.md §4-5); the services set all three, never a form. ``placements_used``
    and ``subsidy_months_used`` count the person's lifetime so far, including placements before this
    system (entered with the file); the placement services add to them under a row lock.
    """

    id_number = models.CharField(_("ID number"), max_length=18, unique=True)
    #: The ID number backwards, so that "the last digits" is a prefix search off an index.
    id_reversed = models.GeneratedField(
        expression=Reverse("id_number"),
        output_field=models.CharField(max_length=18),
        db_persist=True,
    )
    name = models.CharField(_("name"), max_length=50)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, editable=False)
    birth_date = models.DateField(_("birth date"), editable=False)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    registration = models.CharField(
        _("household registration"), max_length=12, choices=Registration.choices
    )
    township = models.ForeignKey(
        Region, verbose_name=_("township"), on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(
        Region,
        verbose_name=_("home village or community"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region_code = models.CharField(_("region code"), max_length=12, editable=False)
    residence = models.CharField(_("residence"), max_length=8, choices=AreaKind.choices)
    retirement_category = models.CharField(
        _("retirement category"), max_length=12, choices=RetirementCategory.choices
    )
    retirement_date = models.DateField(_("statutory retirement date"), editable=False)
    account_kind = models.CharField(
        _("payout account"), max_length=8, choices=AccountKind.choices, default=AccountKind.CARD
    )
    account_number = models.CharField(_("card or account number"), max_length=32, blank=True)
    bank_name = models.CharField(_("bank"), max_length=60, blank=True)
    dibao_family = models.BooleanField(_("minimum-living-allowance family"), default=False)
    zero_employment_family = models.BooleanField(_("zero-employment household"), default=False)
    disability_certificate = models.CharField(
        _("disability certificate number"), max_length=32, blank=True
    )
    disability_grade = models.PositiveSmallIntegerField(
        _("disability grade"), choices=DisabilityGrade.choices, null=True, blank=True
    )
    placements_used = models.PositiveSmallIntegerField(_("placements so far"), default=0)
    subsidy_months_used = models.PositiveSmallIntegerField(_("subsidy months so far"), default=0)
    note = models.TextField(_("note"), blank=True)
    groups = models.ManyToManyField(
        TargetGroup, through="PersonGroup", related_name="people", verbose_name=_("target groups")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )

    scope_code_field = "region_code"
    scope_reviewer_path = "applications"
    audit_exclude = frozenset({"updated_at", "id_reversed"})

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["region_code", "id"]
        indexes = [
            models.Index(fields=["region_code", "id"], name="person_list_idx"),
            # Search by name (its beginning) and by the ID number's last digits, both off an index.
            models.Index(
                fields=["name", "region_code"],
                name="person_name_idx",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
            ),
            models.Index(
                fields=["id_reversed"], name="person_id_tail_idx", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["township", "birth_date"], name="person_township_birth_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(id_number__regex=r"^\d{17}[\dX]$"), name="person_id_number_form"
            ),
            models.CheckConstraint(
                condition=Q(disability_grade__isnull=True)
                | Q(disability_grade__gte=1, disability_grade__lte=4),
                name="person_disability_grade_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def home(self) -> Region:
        return self.village or self.township


class PersonGroup(models.Model):
    """The person's membership of a target group: when it was recognised and on what evidence."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    group = models.ForeignKey(
        TargetGroup, verbose_name=_("target group"), on_delete=models.PROTECT, related_name="+"
    )
    recognised_on = models.DateField(_("recognition date"))
    evidence = models.CharField(_("evidence"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    scope_code_field = "person__region_code"
    scope_reviewer_path = "person__applications"

    class Meta:
        verbose_name = _("target group membership")
        verbose_name_plural = _("target group memberships")
        ordering = ["group__priority", "recognised_on"]
        constraints = [
            models.UniqueConstraint(fields=["person", "group"], name="person_group_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.group_id}"


class RelativeDeclaration(models.Model):
    """A relative who is a public official or a village/community cadre (seed 003 §9).

    Declared before applying; the onboarding workflow takes it through the township's decision and
    the county's filing (``status``) before the person may start on a post.
    """

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="declarations"
    )
    relation = models.CharField(_("relation"), max_length=24, choices=Relation.choices)
    relative_name = models.CharField(_("relative's name"), max_length=50)
    relative_kind = models.CharField(
        _("relative is a"), max_length=12, choices=RelativeKind.choices
    )
    relative_post = models.CharField(_("relative's unit and post"), max_length=100)
    declared_on = models.DateField(_("declared on"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DeclarationStatus.choices,
        default=DeclarationStatus.DECLARED,
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    scope_code_field = "person__region_code"
    scope_reviewer_path = "person__applications"

    class Meta:
        verbose_name = _("relative declaration")
        verbose_name_plural = _("relative declarations")
        ordering = ["declared_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_relation_display()} {self.relative_name}"

    @property
    def moves(self) -> frozenset[str]:
        """The statuses it may move to now, for the pages to offer (``people.declarations``)."""
        from people.declarations import declaration_moves

        return declaration_moves(self.status)


def document_path(instance, filename: str) -> str:
    # Never the uploaded name, nor its extension: a random name, of the type the bytes say.
    return f"people/{instance.person_id}/{scan_name(instance.content_type)}"


class PersonDocument(models.Model):
    """A scan attached to the file. Served only through the scoped download view."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        User, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    scope_code_field = "person__region_code"
    scope_reviewer_path = "person__applications"

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class Placement(models.Model):
    """A person on a post for a period (GLOSSARY: placement). The onboarding workflow's last step
    creates it; exits end it. A person with a placement that has not ended is on a post."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="placements"
    )
    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.PROTECT, related_name="placements"
    )
    region_code = models.CharField(_("region code"), max_length=12, editable=False)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    # The subsidy standard as it stood when the person started: a later
    # change of the post's pay does not rewrite what was agreed.
    monthly_subsidy = models.DecimalField(
        _("monthly subsidy (yuan)"), null=True, blank=True, **MONEY
    )
    hourly_rate = models.DecimalField(_("hourly rate (yuan)"), null=True, blank=True, **MONEY)
    hours_per_week = models.DecimalField(
        _("hours a week"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    #: The subsidy period: from the agreement's start to its end (seed 001 §二(四)).
    subsidy_start = models.DateField(_("subsidy from"), null=True, blank=True)
    subsidy_end = models.DateField(_("subsidy until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    scope_code_field = "region_code"
    scope_reviewer_path = "person__applications"

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-start_date"]
        indexes = [
            models.Index(fields=["person", "end_date"], name="placement_person_idx"),
            # The placements of an area (a prefix of its code): attendance's months and overview.
            models.Index(
                fields=["region_code", "start_date"],
                name="placement_area_idx",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="placement_ends_after_start",
            ),
            # One post at a time: at most one open placement per person.
            models.UniqueConstraint(
                fields=["person"], condition=Q(end_date__isnull=True), name="placement_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}@{self.post_id}"
