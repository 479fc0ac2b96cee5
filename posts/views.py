"""Pages of the post catalogue, the annual plans and the reviews. Each view checks the role, reads
through ``scope_queryset`` (via the selectors), calls one service and shows its refusal."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from gongyi.audit import audit_record
from gongyi.enums import AuditAction, RegionLevel
from gongyi.errors import DomainError
from gongyi.excel import Sheet, xlsx_response
from gongyi.import_views import ImportCommitView, ImportJobView, ImportUploadView
from gongyi.models import Region
from gongyi.roles import RoleRequiredMixin, has_role, require_role
from gongyi.scoping import get_scoped_object_or_404, scope_queryset, user_region_code
from posts import selectors, services
from posts.enums import DEVELOPED_STATUSES, AreaKind, PostCategory, PostStatus, WorkPattern
from posts.forms import (
    AllocationForm,
    CloseForm,
    MinimumWageForm,
    PlanForm,
    PostForm,
    PostTypeForm,
    SubsidyStandardForm,
)
from posts.models import AnnualPlan, MinimumWage, Post, SubsidyStandard
from posts.resources import POST_COLUMNS, PostResource
from posts.roles import (
    EDIT_POSTS,
    IMPORT_POSTS,
    MANAGE_CATALOGUE,
    MANAGE_PLANS,
    PLAN_ROLES,
    VIEW_REVIEWS,
)

PAGE_SIZE = 50


def wants_xlsx(request) -> bool:
    return request.GET.get("format") == "xlsx"


def _export_logged(request, *, what: str, count: int) -> None:
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        object_type="posts.post",
        region_code=user_region_code(request.user),
        object_repr=what,
        note=_("%(n)s rows") % {"n": count},
    )


def post_export_rows(posts):
    """The catalogue's export rows: the import columns, then the state the system keeps."""
    with translation.override("zh-hans"):
        for p in posts.iterator(chunk_size=2000):
            yield [
                p.post_type.name,
                p.title,
                p.get_area_kind_display(),
                p.get_work_pattern_display(),
                p.hours_per_week,
                p.township.name,
                p.village.name if p.village else "",
                p.get_department_display(),
                p.duties,
                p.requirements,
                p.headcount,
                p.monthly_subsidy,
                p.hourly_rate,
                p.get_insurance_kind_display(),
                p.plan_year,
                p.get_status_display(),
                p.post_type.get_category_display(),
                p.occupied,
                p.region_code,
                p.opened_on,
                p.vacant_since,
                p.pk,
            ]


def post_export_headers() -> list[str]:
    with translation.override("zh-hans"):
        extra = [
            _("Category"),
            _("People on post"),
            _("Region code"),
            _("Opened on"),
            _("Places free since"),
            _("Post number"),
        ]
        return [str(c.header) for c in POST_COLUMNS] + [str(x) for x in extra]


def filter_params(params: dict[str, str]) -> dict[str, str]:
    """The filters' values for the form, every filter present ("" if not chosen): the template
    engine reads a dict's key at once, where a missing key of the query (a ``QueryDict``) costs
    three failed lookups for each option of each filter."""
    return {name: params.get(name, "") for name in selectors.POST_FILTERS}


class PostListView(RoleRequiredMixin, TemplateView):
    """The catalogue with its filters; ``?format=xlsx`` exports what the filters select."""

    template_name = "posts/list.html"

    def get(self, request, *args, **kwargs):
        if wants_xlsx(request):
            posts = selectors.post_list(request.user, request.GET.dict())
            count = posts.count()
            _export_logged(request, what=_("post catalogue"), count=count)
            with translation.override("zh-hans"):
                title = _("Post catalogue")
            return xlsx_response(
                f"{title}.xlsx", [Sheet(title, post_export_headers(), post_export_rows(posts))]
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, params = self.request.user, self.request.GET.dict()
        townships, villages = selectors.filter_regions(user, params.get("township", ""))
        posts = selectors.post_list(user, params)
        page, rows = selectors.post_page(
            posts,
            params.get("page"),
            PAGE_SIZE,
            region_names={r["id"]: r["name"] for r in townships + villages},
        )
        context.update(
            page=page,
            rows=rows,
            params=filter_params(params),
            townships=townships,
            villages=villages,
            categories=PostCategory.choices,
            area_kinds=AreaKind.choices,
            work_patterns=WorkPattern.choices,
            statuses=PostStatus.choices,
            can_edit=has_role(user, EDIT_POSTS),
            can_import=has_role(user, IMPORT_POSTS),
        )
        return context


class PostDetailView(RoleRequiredMixin, TemplateView):
    template_name = "posts/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        post = get_scoped_object_or_404(
            user,
            Post.objects.select_related("post_type", "township", "village", "created_by"),
            pk=kwargs["pk"],
        )
        minimum = services.minimum_wage_in_force(post.region_code, timezone.localdate())
        context.update(
            post=post,
            minimum=minimum,
            monthly_pay=services.monthly_pay(post),
            transitions=services.post_allowed_transitions(post, user)
            if has_role(user, EDIT_POSTS)
            else [],
            can_edit=has_role(user, EDIT_POSTS) and post.status != PostStatus.CLOSED,
            close_form=CloseForm(),
            statuses=dict(PostStatus.choices),
        )
        return context


class PostFormView(RoleRequiredMixin, TemplateView):
    """Create (no pk) or edit a post."""

    template_name = "posts/form.html"
    allowed_roles = EDIT_POSTS

    def get_post(self):
        if "pk" not in self.kwargs:
            return None
        return get_scoped_object_or_404(self.request.user, Post.objects.all(), pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        post = self.get_post()
        form = PostForm(instance=post, user=request.user)
        return self.render_to_response(self.get_context_data(form=form, post=post))

    def post(self, request, *args, **kwargs):
        post = self.get_post()
        form = PostForm(request.POST, instance=post, user=request.user)
        if form.is_valid():
            data = {k: form.cleaned_data.get(k) for k in form.Meta.fields}
            try:
                if post is None:
                    post = services.post_create(actor=request.user, **data)
                    messages.success(request, _("The post is saved as a draft."))
                else:
                    post = services.post_update(actor=request.user, post=post, **data)
                    messages.success(request, _("The post is saved."))
                return redirect("post-detail", pk=post.pk)
            except DomainError as exc:
                if exc.field_errors:
                    for name, message in exc.field_errors.items():
                        form.add_error(name if name in form.fields else None, message)
                else:
                    form.add_error(None, exc.message)
        return self.render_to_response(self.get_context_data(form=form, post=post), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["minimum"] = services.minimum_wage_in_force(
            user_region_code(user), timezone.localdate()
        )
        return context


class PostTransitionView(RoleRequiredMixin, View):
    """POST only: publish, recruit again or close (``services.post_transition``)."""

    allowed_roles = EDIT_POSTS
    http_method_names = ["post"]

    def post(self, request, pk):
        post = get_scoped_object_or_404(request.user, Post.objects.all(), pk=pk)
        target = request.POST.get("to", "")
        if target not in PostStatus.values:
            messages.error(request, _("Choose what to do with the post."))
            return redirect("post-detail", pk=pk)
        try:
            services.post_transition(
                actor=request.user, post=post, to=target, reason=request.POST.get("reason", "")
            )
            messages.success(
                request, _("The post is now %(status)s.") % {"status": PostStatus(target).label}
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("post-detail", pk=pk)


class PostTypeListView(RoleRequiredMixin, TemplateView):
    """The standard post names by category; the county adds its own."""

    template_name = "posts/types.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        types = selectors.post_types_for(self.request.user).select_related("county")
        by_category = {value: [] for value in PostCategory.values}
        for post_type in types:
            by_category[post_type.category].append(post_type)
        context.update(
            groups=[(PostCategory(c).label, items) for c, items in by_category.items()],
            form=kwargs.get("form") or PostTypeForm(),
            can_add=has_role(self.request.user, MANAGE_CATALOGUE),
        )
        return context

    def post(self, request, *args, **kwargs):
        require_role(request.user, MANAGE_CATALOGUE)
        form = PostTypeForm(request.POST)
        if form.is_valid():
            try:
                services.post_type_create(actor=request.user, **form.cleaned_data)
                messages.success(request, _("The standard name is added."))
                return redirect("post-type-list")
            except DomainError as exc:
                form.add_error("name", exc.message)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class StandardsView(RoleRequiredMixin, TemplateView):
    """The county's minimum wage table and subsidy standards; the county adds rows."""

    template_name = "posts/standards.html"
    allowed_roles = PLAN_ROLES  # who reads the plans reads the pay rules behind them

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            wages=scope_queryset(user, MinimumWage.objects.select_related("county")),
            standards=scope_queryset(user, SubsidyStandard.objects.select_related("county")),
            in_force=services.minimum_wage_in_force(user_region_code(user), timezone.localdate()),
            wage_form=kwargs.get("wage_form") or MinimumWageForm(),
            standard_form=kwargs.get("standard_form") or SubsidyStandardForm(),
            can_add=has_role(user, MANAGE_CATALOGUE),
        )
        return context

    def post(self, request, *args, **kwargs):
        require_role(request.user, MANAGE_CATALOGUE)
        which = request.POST.get("which")
        form_class, service, key = (
            (MinimumWageForm, services.minimum_wage_create, "wage_form")
            if which == "wage"
            else (SubsidyStandardForm, services.subsidy_standard_create, "standard_form")
        )
        form = form_class(request.POST)
        if form.is_valid():
            try:
                service(actor=request.user, **form.cleaned_data)
                messages.success(request, _("The row is added."))
                return redirect("post-standards")
            except DomainError as exc:
                form.add_error(None, exc.message)
        return self.render_to_response(self.get_context_data(**{key: form}), status=400)


# --- import ---------------------------------------------------------------------------------------


class _PostImport:
    """The catalogue import: who may, its two jobs (``posts.imports``), its URL names."""

    allowed_roles = IMPORT_POSTS
    check_kind, commit_kind = "posts.import_check", "posts.import_commit"
    url_name = "post-import"


class PostImportView(_PostImport, ImportUploadView):
    template_name = "posts/import.html"


class PostImportTemplateView(RoleRequiredMixin, View):
    """The empty template, made by the resource, with a sheet explaining the columns."""

    allowed_roles = IMPORT_POSTS

    def get(self, request):
        with translation.override("zh-hans"):
            dataset = PostResource().export(queryset=Post.objects.none())
            rules = [
                [
                    str(c.header),
                    _("yes") if c.required else _("no"),
                    "、".join(str(label) for _v, label in c.choices.choices) if c.choices else "",
                    str(c.hint),
                ]
                for c in POST_COLUMNS
            ]
            names = [
                [t.get_category_display(), t.name] for t in selectors.post_types_for(request.user)
            ]
            sheets = [
                Sheet(_("Posts"), dataset.headers, []),
                Sheet(
                    _("Instructions"),
                    [_("Column"), _("Required"), _("Allowed values"), _("Note")],
                    rules,
                    widths=[22, 8, 60, 40],
                ),
                Sheet(_("Standard post names"), [_("Category"), _("Standard post name")], names),
            ]
            title = _("Post import template")
        return xlsx_response(f"{title}.xlsx", sheets)


class PostImportJobView(_PostImport, ImportJobView):
    template_name = "posts/import_job.html"


class PostImportCommitView(_PostImport, ImportCommitView):
    pass


# --- plans ----------------------------------------------------------------------------------------


class PlanListView(RoleRequiredMixin, TemplateView):
    template_name = "plans/list.html"
    allowed_roles = PLAN_ROLES

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            plans=selectors.plans_for(self.request.user),
            form=kwargs.get("form") or PlanForm(initial={"year": timezone.localdate().year}),
            can_manage=has_role(self.request.user, MANAGE_PLANS),
        )
        return context

    def post(self, request, *args, **kwargs):
        require_role(request.user, MANAGE_PLANS)
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                plan = services.plan_save(actor=request.user, **form.cleaned_data)
                messages.success(request, _("The plan is saved."))
                return redirect("plan-detail", pk=plan.pk)
            except DomainError as exc:
                form.add_error(None, exc.message)
        return self.render_to_response(self.get_context_data(form=form), status=400)


def allocation_rows(progress) -> list[list]:
    """Seed 001 附件2: 单位, 城镇公益岗, 乡村公益岗, 合计; the total last."""
    rows = [
        [
            row.township.name,
            row.urban.allocated or None,
            row.rural.allocated or None,
            row.total.allocated,
        ]
        for row in progress.rows
        if not row.unallocated
    ]
    total = progress.total
    with translation.override("zh-hans"):
        rows.append(
            [_("Total"), total.urban.allocated, total.rural.allocated, total.total.allocated]
        )
    return rows


def progress_rows(progress) -> list[list]:
    out = []
    for row in [*progress.rows, progress.total]:
        with translation.override("zh-hans"):
            name = row.township.name if row.township else _("Total")
        cells = [name]
        for p in (row.urban, row.rural, row.total):
            cells += [
                p.allocated,
                p.developed,
                p.filled,
                p.on_post,
                round(p.on_post_share, 2) if p.on_post_share is not None else None,
            ]
        out.append(cells)
    return out


class PlanDetailView(RoleRequiredMixin, TemplateView):
    """A plan's progress per township, urban and rural apart; ``?format=xlsx`` exports the
    allocation table (seed 001 附件2) and the progress."""

    template_name = "plans/detail.html"
    allowed_roles = PLAN_ROLES

    def get(self, request, *args, **kwargs):
        if wants_xlsx(request):
            plan = self.get_plan()
            progress = selectors.plan_progress(request.user, plan)
            with translation.override("zh-hans"):
                units = [_("Unit"), _("Urban posts"), _("Rural posts"), _("Total")]
                kinds = [_("urban"), _("rural"), _("total")]
                measures = [
                    _("allocated"),
                    _("developed"),
                    _("filled"),
                    _("on post"),
                    _("on post, share of allocation (percent)"),
                ]
                progress_headers = [_("Unit")] + [f"{k}{m}" for k in kinds for m in measures]
                title = _("Plan allocation %(county)s %(year)s") % {
                    "county": plan.county.name,
                    "year": plan.year,
                }
                sheets = [
                    Sheet(
                        _("Allocation"), units, allocation_rows(progress), widths=[20, 14, 14, 10]
                    ),
                    Sheet(_("Progress"), progress_headers, progress_rows(progress)),
                    Sheet(
                        _("Against the target"),
                        [
                            _("Kind"),
                            _("Target"),
                            _("Developed"),
                            _("share (percent)"),
                            _("Filled"),
                            _("share (percent)"),
                            _("On post"),
                            _("share (percent)"),
                        ],
                        [
                            [
                                {"urban": _("urban"), "rural": _("rural")}.get(
                                    t["kind"], _("total")
                                ),
                                t["target"],
                                t["developed"],
                                t["developed_share"],
                                t["filled"],
                                t["filled_share"],
                                t["on_post"],
                                t["on_post_share"],
                            ]
                            for t in progress.against_target()
                        ],
                    ),
                ]
            _export_logged(request, what=title, count=len(progress.rows))
            return xlsx_response(f"{title}.xlsx", sheets)
        return super().get(request, *args, **kwargs)

    def get_plan(self) -> AnnualPlan:
        return get_scoped_object_or_404(
            self.request.user, AnnualPlan.objects.select_related("county"), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.get_plan()
        context.update(
            plan=plan,
            progress=selectors.plan_progress(self.request.user, plan),
            can_manage=has_role(self.request.user, MANAGE_PLANS),
            form=PlanForm(
                initial={
                    "year": plan.year,
                    "urban_target": plan.urban_target,
                    "rural_target": plan.rural_target,
                    "note": plan.note,
                }
            ),
        )
        return context


class PlanAllocateView(RoleRequiredMixin, TemplateView):
    """The county splits a plan over its townships, urban and rural apart."""

    template_name = "plans/allocate.html"
    allowed_roles = MANAGE_PLANS

    def setup_plan(self):
        plan = get_scoped_object_or_404(
            self.request.user, AnnualPlan.objects.select_related("county"), pk=self.kwargs["pk"]
        )
        townships = scope_queryset(
            self.request.user,
            Region.objects.filter(level=RegionLevel.TOWNSHIP, code__startswith=plan.county.code),
        ).order_by("code")
        current = {
            a.township_id: (a.urban, a.rural)
            for a in scope_queryset(self.request.user, plan.allocations.all())
        }
        return plan, townships, current

    def get(self, request, *args, **kwargs):
        plan, townships, current = self.setup_plan()
        form = AllocationForm(townships=townships, current=current)
        return self.render_to_response(self.get_context_data(plan=plan, form=form))

    def post(self, request, *args, **kwargs):
        plan, townships, current = self.setup_plan()
        form = AllocationForm(request.POST, townships=townships, current=current)
        if form.is_valid():
            try:
                services.plan_allocate(actor=request.user, plan=plan, shares=form.shares())
                messages.success(request, _("The allocation is saved."))
                return redirect("plan-detail", pk=plan.pk)
            except DomainError as exc:
                form.add_error(None, exc.message)
        return self.render_to_response(self.get_context_data(plan=plan, form=form), status=400)


class PlanEditView(RoleRequiredMixin, View):
    """POST: change the targets of a plan."""

    allowed_roles = MANAGE_PLANS
    http_method_names = ["post"]

    def post(self, request, pk):
        plan = get_scoped_object_or_404(request.user, AnnualPlan.objects.all(), pk=pk)
        form = PlanForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
            return redirect("plan-detail", pk=pk)
        data = form.cleaned_data | {"year": plan.year}
        try:
            services.plan_save(actor=request.user, **data)
            messages.success(request, _("The targets are saved."))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("plan-detail", pk=pk)


# --- reviews (seed 003 §1.2–1.3) ------------------------------------------------------------------


class ReviewView(RoleRequiredMixin, TemplateView):
    """A review page with the catalogue's filters and ``?format=xlsx``."""

    allowed_roles = VIEW_REVIEWS
    template_name = "reviews/posts.html"
    review = ""

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        if wants_xlsx(request):
            with translation.override("zh-hans"):
                sheets = self.sheets(context)
                title = str(self.title())
            _export_logged(request, what=title, count=context["count"])
            return xlsx_response(f"{title}.xlsx", sheets)
        return self.render_to_response(context)

    def base_context(self):
        user, params = self.request.user, self.request.GET
        settings = selectors.review_settings(user)
        return {
            "params": params,
            "settings": settings,
            "townships": selectors.townships_for(user),
            "categories": PostCategory.choices,
            "area_kinds": AreaKind.choices,
            "work_patterns": WorkPattern.choices,
            "review": self.review,
            "review_title": self.title(),
        }

    def int_param(self, name, default):
        """A number of days or a percentage from the query, within 0–36500; else the setting."""
        value = self.request.GET.get(name, "")
        number = int(value) if selectors.is_number(value, 5) else int(default)
        return min(number, 36500)

    def title(self):
        raise NotImplementedError


class DisparityReviewView(ReviewView):
    template_name = "reviews/disparity.html"
    review = "disparity"

    def title(self):
        return _("Same post, different treatment")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs) | self.base_context()
        pay_pct = self.int_param("pay_pct", context["settings"]["posts.pay_disparity_percent"])
        hours_pct = self.int_param(
            "hours_pct", context["settings"]["posts.hours_disparity_percent"]
        )
        groups = selectors.disparity_groups(
            self.request.user, self.request.GET.dict(), pay_pct=pay_pct, hours_pct=hours_pct
        )
        context.update(groups=groups, count=len(groups), pay_pct=pay_pct, hours_pct=hours_pct)
        return context

    def sheets(self, context):
        headers = [
            _("County code"),
            _("Standard post name"),
            _("Working pattern"),
            _("Posts"),
            _("Lowest pay"),
            _("Highest pay"),
            _("Pay difference (percent)"),
            _("Fewest hours a week"),
            _("Most hours a week"),
            _("Hours difference (percent)"),
        ]
        rows = [
            [
                g["county_code"],
                g["post_type__name"],
                str(g["work_pattern_label"]),
                g["n"],
                g["pay_low"],
                g["pay_high"],
                round(g["pay_spread"], 1) if g["pay_spread"] is not None else None,
                g["min_hours"],
                g["max_hours"],
                round(g["hours_spread"], 1) if g["hours_spread"] is not None else None,
            ]
            for g in context["groups"]
        ]
        flagged = Q(pk__in=[])
        for g in context["groups"]:
            flagged |= Q(
                region_code__startswith=g["county_code"],
                post_type_id=g["post_type_id"],
                work_pattern=g["work_pattern"],
            )
        posts = (
            selectors.post_list(self.request.user, self.request.GET.dict())
            .filter(flagged, status__in=DEVELOPED_STATUSES)
            .order_by("post_type__name", "work_pattern", "monthly_subsidy", "hourly_rate", "id")
        )
        return [
            Sheet(self.title(), headers, rows),
            Sheet(_("Posts"), post_export_headers(), post_export_rows(posts)),
        ]


class PostReviewView(ReviewView):
    """Vacant or unused posts: a list of posts, paged, with the catalogue's export columns."""

    days_key = ""

    def posts(self, days):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs) | self.base_context()
        days = self.int_param("days", context["settings"][self.days_key])
        posts = self.posts(days)
        page, rows = selectors.post_page(posts, self.request.GET.get("page"), PAGE_SIZE)
        context.update(
            page=page,
            rows=rows,
            days=days,
            count=page.paginator.count,
            posts=posts,
            today=timezone.localdate(),
        )
        return context

    def sheets(self, context):
        return [Sheet(self.title(), post_export_headers(), post_export_rows(context["posts"]))]


class VacantReviewView(PostReviewView):
    review = "vacant"
    days_key = "posts.vacant_days"

    def title(self):
        return _("Posts with places free for long")

    def posts(self, days):
        return selectors.vacant_posts(self.request.user, self.request.GET.dict(), days=days)


class UnusedReviewView(PostReviewView):
    review = "unused"
    days_key = "posts.unused_days"

    def title(self):
        return _("Posts nobody was ever placed on")

    def posts(self, days):
        return selectors.unused_posts(self.request.user, self.request.GET.dict(), days=days)
