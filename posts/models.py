"""The post catalogue, minimum wages and subsidy standards, and the annual plan
(docs/policy.md §1, §7).

Scoping (``gongyi.scoping``): a post belongs to the village where the work is done, or to its
township when it has none (``region_code``); post types, minimum wages, standards and plans are a
county's reference data, read by everyone in the county (``scope_include_ancestors``).
"""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongyi.models import Region, User, county_foreign_key
from posts.enums import (
    AreaKind,
    InsuranceKind,
    LeadDepartment,
    PostCategory,
    PostStatus,
    WorkPattern,
)

MONEY = {"max_digits": 10, "decimal_places": 2}


class PostType(models.Model):
    """A standard post name under one of the five categories. Rows without a county are the
    names the seeds give (``load_post_types``); a county adds its own."""

    category = models.CharField(_("category"), max_length=32, choices=PostCategory.choices)
    name = models.CharField(_("standard name"), max_length=60)
    county = county_foreign_key(null=True)
    description = models.TextField(_("typical duties"), blank=True)
    source = models.CharField(_("source"), max_length=100, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    scope_code_field = "county__code"
    scope_include_ancestors = True

    class Meta:
        verbose_name = _("post type")
        verbose_name_plural = _("post types")
        ordering = ["category", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"], condition=Q(county__isnull=True), name="post_type_shared_name"
            ),
            models.UniqueConstraint(fields=["county", "name"], name="post_type_county_name"),
        ]

    def __str__(self) -> str:
        return self.name


class MinimumWage(models.Model):
    """The minimum wage in force in a county from a date (docs/policy.md §7: per county, monthly for
    full-time and hourly for hourly posts, effective-dated). The newest row not after a day is
    the one in force on it."""

    county = county_foreign_key()
    tier = models.CharField(_("tier"), max_length=20, blank=True)
    monthly = models.DecimalField(_("monthly minimum (yuan)"), **MONEY)
    hourly = models.DecimalField(_("hourly minimum (yuan)"), **MONEY)
    effective_from = models.DateField(_("effective from"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    scope_code_field = "county__code"
    scope_include_ancestors = True

    class Meta:
        verbose_name = _("minimum wage")
        verbose_name_plural = _("minimum wages")
        ordering = ["county__code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "effective_from"], name="minimum_wage_once_per_day"
            ),
            models.CheckConstraint(
                condition=Q(monthly__gt=0) & Q(hourly__gt=0), name="minimum_wage_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.county.name} {self.effective_from}: {self.monthly}/{self.hourly}"


class SubsidyStandard(models.Model):
    """What the county pays per post and year for a kind of post, from a date (seed 001 §二(四):
    泰山区 rural posts 10,000 yuan a year). Recorded and shown; the payout issue budgets with it."""

    county = county_foreign_key()
    area_kind = models.CharField(_("urban or rural"), max_length=8, choices=AreaKind.choices)
    annual_amount = models.DecimalField(_("yuan per post and year"), **MONEY)
    effective_from = models.DateField(_("effective from"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    scope_code_field = "county__code"
    scope_include_ancestors = True

    class Meta:
        verbose_name = _("subsidy standard")
        verbose_name_plural = _("subsidy standards")
        ordering = ["county__code", "area_kind", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "area_kind", "effective_from"], name="subsidy_standard_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_area_kind_display()} {self.annual_amount} ({self.effective_from})"


class Post(models.Model):
    """A post a township develops: what the work is, where, for how many people, on what pay.

    ``occupied`` is the number of people on the post now; the placement services (onboarding,
    exits) change it under a row lock so that it never passes ``headcount``.
    """

    post_type = models.ForeignKey(
        PostType, verbose_name=_("standard name"), on_delete=models.PROTECT, related_name="posts"
    )
    title = models.CharField(_("local title"), max_length=100)
    area_kind = models.CharField(_("urban or rural"), max_length=8, choices=AreaKind.choices)
    work_pattern = models.CharField(
        _("working pattern"), max_length=12, choices=WorkPattern.choices
    )
    hours_per_week = models.DecimalField(
        _("hours a week"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    township = models.ForeignKey(
        Region, verbose_name=_("township"), on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(
        Region,
        verbose_name=_("village or community"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region_code = models.CharField(_("region code"), max_length=12, editable=False, db_index=True)
    department = models.CharField(
        _("department in charge"), max_length=24, choices=LeadDepartment.choices
    )
    duties = models.TextField(_("duties"))
    requirements = models.TextField(_("work requirements"), blank=True)
    headcount = models.PositiveIntegerField(_("headcount"), validators=[MinValueValidator(1)])
    occupied = models.PositiveIntegerField(_("people on post"), default=0, editable=False)
    monthly_subsidy = models.DecimalField(
        _("monthly subsidy (yuan)"), null=True, blank=True, **MONEY
    )
    hourly_rate = models.DecimalField(_("hourly rate (yuan)"), null=True, blank=True, **MONEY)
    insurance_kind = models.CharField(_("insurance"), max_length=32, choices=InsuranceKind.choices)
    plan_year = models.PositiveSmallIntegerField(_("plan year"))
    status = models.CharField(
        _("status"), max_length=8, choices=PostStatus.choices, default=PostStatus.DRAFT
    )
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    first_filled_on = models.DateField(_("first person on post"), null=True, blank=True)
    vacant_since = models.DateField(_("places free since"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.CharField(_("reason for closing"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )

    scope_code_field = "region_code"
    audit_exclude = frozenset({"updated_at"})

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["region_code", "id"]
        indexes = [
            # The catalogue's order: a page of 50 is read off the index, not sorted.
            models.Index(fields=["region_code", "id"], name="post_catalogue_idx"),
            models.Index(fields=["plan_year", "township", "area_kind"], name="post_plan_idx"),
            # Counts of the catalogue's filters, read off the index alone (index-only scans).
            models.Index(
                fields=["region_code", "status"],
                name="post_region_status_idx",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
            ),
            models.Index(fields=["post_type", "area_kind", "region_code"], name="post_type_idx"),
            models.Index(fields=["status", "vacant_since"], name="post_vacant_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(headcount__gte=1), name="post_headcount_positive"),
            models.CheckConstraint(
                condition=Q(occupied__lte=models.F("headcount")), name="post_not_over_headcount"
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        work_pattern=WorkPattern.FULL_TIME,
                        monthly_subsidy__gt=0,
                    )
                    | Q(
                        work_pattern=WorkPattern.HOURLY,
                        hourly_rate__gt=0,
                        hours_per_week__gt=0,
                    )
                ),
                name="post_pay_fits_pattern",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def category(self) -> str:
        return self.post_type.category

    def get_category_display(self) -> str:
        return self.post_type.get_category_display()

    @property
    def free_places(self) -> int:
        """Seats nobody sits on yet (headcount − people on the post): what a placement may still
        fill. The places still free for recruitment also keep those approved and not yet started
        back (docs/policy.md §6): ``posts.selectors.free_places``."""
        return self.headcount - self.occupied

    @property
    def workplace(self) -> Region:
        return self.village or self.township


class AnnualPlan(models.Model):
    """The county's target for a year, urban and rural apart (seed 001 §一(三) and 附件2)."""

    county = county_foreign_key()
    year = models.PositiveSmallIntegerField(_("year"))
    urban_target = models.PositiveIntegerField(_("urban target"))
    rural_target = models.PositiveIntegerField(_("rural target"))
    note = models.CharField(_("basis"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    scope_code_field = "county__code"
    scope_include_ancestors = True

    class Meta:
        verbose_name = _("annual plan")
        verbose_name_plural = _("annual plans")
        ordering = ["county__code", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["county", "year"], name="plan_once_per_county_year"),
        ]

    def __str__(self) -> str:
        return f"{self.county.name} {self.year}"

    @property
    def total_target(self) -> int:
        return self.urban_target + self.rural_target


class Allocation(models.Model):
    """One township's share of a plan, urban and rural apart (a row of seed 001's 附件2)."""

    plan = models.ForeignKey(
        AnnualPlan,
        verbose_name=_("annual plan"),
        on_delete=models.CASCADE,
        related_name="allocations",
    )
    township = models.ForeignKey(
        Region, verbose_name=_("township"), on_delete=models.PROTECT, related_name="+"
    )
    urban = models.PositiveIntegerField(_("urban posts"), default=0)
    rural = models.PositiveIntegerField(_("rural posts"), default=0)

    scope_code_field = "township__code"

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["plan", "township__code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "township"], name="allocation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.township.name}"

    @property
    def total(self) -> int:
        return self.urban + self.rural
