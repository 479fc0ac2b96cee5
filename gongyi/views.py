"""Pages of the core: login, the home page of each role, regions, history and the audit log."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from gongyi import selectors
from gongyi.audit import HISTORY_MODELS
from gongyi.enums import AuditAction, RegionLevel, Role
from gongyi.forms import LoginForm
from gongyi.history import readable_entries
from gongyi.home import home_panels
from gongyi.roles import (
    EDIT_SETTINGS,
    HOME_TOWNSHIPS,
    HOME_VILLAGES,
    VIEW_AUDIT,
    VIEW_HISTORY,
    VIEW_SETTINGS,
    VIEW_USERS,
    RoleRequiredMixin,
    has_role,
)

PAGE_SIZE = 50


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get(self, request, *args, **kwargs):
        # A session cookie that no longer opens a session means the session ran out.
        if (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            and not request.user.is_authenticated
            and request.GET.get("next")
        ):
            messages.info(request, _("Your session has expired. Please log in again."))
        return super().get(request, *args, **kwargs)


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


def lockout(request, credentials=None, *args, **kwargs):
    """django-axes calls this once a user name has failed too often from one address."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if request.path.startswith("/api/"):
        message = _(
            "Too many failed logins (%(limit)s in a row). This account is locked on this "
            "computer for %(minutes)s minutes."
        ) % {"limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
        return JsonResponse({"detail": message}, status=429)
    return render(
        request,
        "registration/lockout.html",
        {"minutes": minutes, "limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )


def csrf_failure(request, reason=""):
    return render(request, "errors/csrf.html", status=403)


@never_cache
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@login_required
def home(request):
    user = request.user
    context = {"region": user.region}
    if has_role(user, HOME_TOWNSHIPS):
        context["townships"] = selectors.townships_with_village_counts(user)
    elif has_role(user, HOME_VILLAGES):
        context["villages"] = selectors.villages_of_area(user)
    if has_role(user, VIEW_AUDIT):
        context["recent_entries"] = readable_entries(
            user, selectors.recent_audit_entries(user, 10), limit=0
        )
    if has_role(user, VIEW_USERS):
        context["user_counts"] = selectors.active_user_counts(user)
        context["role_labels"] = dict(Role.choices)
    context["home_panels"] = home_panels(user)
    return render(request, f"home/{user.role}.html", context)


class RegionListView(RoleRequiredMixin, TemplateView):
    template_name = "regions/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        q = self.request.GET.get("q", "").strip()
        level = self.request.GET.get("level", "")
        regions = selectors.region_list(self.request.user, q=q, level=level)
        page = Paginator(regions, PAGE_SIZE).get_page(self.request.GET.get("page"))
        context.update(page=page, q=q, level=level, levels=RegionLevel.choices)
        return context


class RegionDetailView(RoleRequiredMixin, TemplateView):
    template_name = "regions/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        region = selectors.region_get(user, kwargs["code"])
        context["region"] = region
        context["ancestors"] = [
            r for r in region.ancestors() if r.code.startswith(user.region.code)
        ]
        context["children"] = selectors.region_children(user, region)
        if has_role(user, VIEW_USERS):
            context["users"] = selectors.region_users(user, region)
        context["can_view_history"] = has_role(user, VIEW_HISTORY)
        return context


class ObjectHistoryView(RoleRequiredMixin, TemplateView):
    """Every audit entry of one object, oldest first; the object itself must be in the area."""

    template_name = "history.html"
    allowed_roles = VIEW_HISTORY

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        model = HISTORY_MODELS.get(kwargs["object_type"])
        if model is None or not (kwargs["pk"].isascii() and kwargs["pk"].isdigit()):
            raise Http404(_("Not found, or outside your area."))
        obj = selectors.history_object(self.request.user, model, kwargs["pk"])
        entries = selectors.object_entries(self.request.user, kwargs["object_type"], obj)
        page = Paginator(entries, PAGE_SIZE).get_page(self.request.GET.get("page"))
        context.update(
            object=obj,
            model_name=model._meta.verbose_name,
            page=page,
            rows=readable_entries(self.request.user, page.object_list),
        )
        return context


class AuditLogView(RoleRequiredMixin, TemplateView):
    template_name = "audit/list.html"
    allowed_roles = VIEW_AUDIT

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        action = params.get("action", "")
        username = params.get("user", "").strip()
        date_from, date_to = params.get("from", ""), params.get("to", "")
        entries = selectors.audit_entry_list(
            self.request.user,
            action=action,
            username=username,
            date_from=self.day(date_from),
            date_to=self.day(date_to),
        )
        page = Paginator(entries, PAGE_SIZE).get_page(params.get("page"))
        context.update(
            page=page,
            rows=readable_entries(self.request.user, page.object_list, limit=6),
            action=action,
            user_filter=username,
            date_from=date_from,
            date_to=date_to,
            actions=AuditAction.choices,
            history_types=set(HISTORY_MODELS),
        )
        return context

    def day(self, value: str) -> dt.date | None:
        """A date of the filter, or ``None`` when it is not given or (with a message) not a date."""
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            messages.error(self.request, _("Enter dates as YYYY-MM-DD."))
            return None


@login_required
@never_cache
def job_status(request, pk):
    """A background job's progress, for the page that polls it."""
    job = selectors.own_job(request.user, pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "finished": job.finished,
            "error": job.error,
        }
    )


class PolicySettingsView(RoleRequiredMixin, TemplateView):
    """The county's policy settings: the value in force of each, its history, and (for county HR
    staff) a form to set a new value from a date."""

    template_name = "settings.html"
    allowed_roles = VIEW_SETTINGS

    def get_context_data(self, **kwargs):
        from gongyi.policy import POLICY_KEYS, policy_values

        context = super().get_context_data(**kwargs)
        user = self.request.user
        current = policy_values(user.region.code, list(POLICY_KEYS))
        rows = selectors.policy_setting_rows(user)
        context.update(
            settings=[(k, POLICY_KEYS[k], current[k]) for k in sorted(POLICY_KEYS)],
            rows=[
                (row, POLICY_KEYS[row.key].label if row.key in POLICY_KEYS else row.key)
                for row in rows
            ],
            can_edit=has_role(user, EDIT_SETTINGS),
            today=timezone.localdate().isoformat(),
            form_error=kwargs.get("form_error"),
            posted=self.request.POST if self.request.method == "POST" else {},
        )
        return context

    def post(self, request, *args, **kwargs):
        from gongyi.errors import DomainError
        from gongyi.policy import policy_setting_set

        try:
            day = dt.date.fromisoformat(request.POST.get("effective_from", ""))
            policy_setting_set(
                actor=request.user,
                key=request.POST.get("key", ""),
                value=request.POST.get("value", ""),
                effective_from=day,
                note=request.POST.get("note", "")[:200],
            )
        except ValueError:
            return self.render_to_response(
                self.get_context_data(form_error=_("Enter dates as YYYY-MM-DD.")), status=400
            )
        except DomainError as exc:
            return self.render_to_response(
                self.get_context_data(form_error=exc.message), status=400
            )
        messages.success(request, _("The setting is saved."))
        return redirect("policy-settings")
