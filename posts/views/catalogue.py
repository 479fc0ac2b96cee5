"""The post catalogue: the list with its filters and export, one post, its form and status, and
the standard post names."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from gongyi.errors import DomainError
from gongyi.excel import xlsx_response
from gongyi.roles import RoleRequiredMixin, has_role, require_role
from gongyi.scoping import user_region_code
from posts import exports, selectors, services
from posts.enums import AreaKind, PostCategory, PostStatus, WorkPattern
from posts.forms import CloseForm, PostForm, PostTypeForm
from posts.roles import EDIT_POSTS, IMPORT_POSTS, MANAGE_CATALOGUE
from posts.views.common import PAGE_SIZE, export_logged, wants_xlsx


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
            export_logged(request, what=_("post catalogue"), count=count)
            title, sheets = exports.post_catalogue_workbook(posts)
            return xlsx_response(f"{title}.xlsx", sheets)
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
        post = selectors.post_detail(user, kwargs["pk"])
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
        return selectors.post_get(self.request.user, self.kwargs["pk"])

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
        post = selectors.post_get(request.user, pk)
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
        types = selectors.post_types_for(self.request.user, with_county=True)
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
