"""The reviews the county asks for (seed 003 §1.2–1.3): the same post paid differently, posts
with places free for long, posts nobody was ever placed on. Each has the catalogue's filters and
``?format=xlsx``."""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from gongyi.excel import xlsx_response
from gongyi.roles import RoleRequiredMixin
from posts import exports, selectors
from posts.enums import AreaKind, PostCategory, WorkPattern
from posts.roles import VIEW_REVIEWS
from posts.views.common import PAGE_SIZE, export_logged, wants_xlsx


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
            export_logged(request, what=title, count=context["count"])
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
        groups = context["groups"]
        posts = selectors.disparity_posts(self.request.user, self.request.GET.dict(), groups)
        return exports.disparity_sheets(self.title(), groups, posts)


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
        return exports.post_review_sheets(self.title(), context["posts"])


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
