"""Pages of the person registry. Each view checks the role, reads through ``scope_queryset`` (via
the selectors), calls one service and shows its refusal (STYLE.md "Services and views")."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from gongyi.errors import DomainError
from gongyi.forms import form_refused
from gongyi.masking import shown
from gongyi.roles import VIEW_HISTORY, RoleRequiredMixin, has_role
from people import exports, selectors, services
from people.enums import Outcome, Sex
from people.file_sections import file_sections_for
from people.forms import (
    DeclarationForm,
    DocumentForm,
    MembershipForm,
    PersonForm,
    ReasonForm,
    TargetGroupForm,
)
from people.masking import id_masker
from people.models import Person
from people.roles import (
    EDIT_PEOPLE,
    IMPORT_PEOPLE,
    MANAGE_GROUPS,
    SEE_ID_NUMBERS,
    VIEW_PEOPLE,
)
from posts.enums import AreaKind


def _list_rows(rows: list[dict], masker) -> list[dict]:
    """The registry list's cells, worded once per page rather than by template tags and filters
    on every row (a URL, a translation and two date filters a row were most of the page's time
    at 50 rows)."""
    prefix = reverse("person-detail", args=[0])[: -len("0/")]
    sexes = {value: str(label) for value, label in Sex.choices}
    for row in rows:
        row["url"] = f"{prefix}{row['pk']}/"
        row["id_masked"] = masker(row["id_number"])
        row["sex_label"] = sexes[row["sex"]]
        row["where"] = " · ".join(filter(None, (row["township__name"], row["village__name"])))
        row["groups_label"] = "、".join(row["groups"]) or "—"
        for field in ("birth_date", "retirement_date"):
            row[f"{field}_shown"] = row[field].isoformat() if row[field] else ""
    return rows


class PersonListView(RoleRequiredMixin, TemplateView):
    """Search the registry: by name, full ID number or its last digits, village, group, and
    eligibility for a kind of post. ID numbers are masked in the list for every role."""

    template_name = "people/list.html"
    allowed_roles = VIEW_PEOPLE

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "xlsx":
            return self.export(request)
        return super().get(request, *args, **kwargs)

    def export(self, request):
        """The filtered list as Excel, on the audit trail (``people.exports``)."""
        people = selectors.person_list(selectors.people_for(request.user), request.GET)
        return exports.person_registry_export(actor=request.user, people=people)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        params = selectors.person_list_params(self.request.GET)
        people = selectors.person_list(selectors.people_for(user), params)
        page = selectors.person_page(people, selectors.page_number(self.request.GET))
        townships, villages = selectors.list_regions_for(user, params["township"])
        context.update(
            page=page,
            rows=_list_rows(page.rows, id_masker(user)),
            params=params,
            townships=townships,
            villages=villages,
            groups=selectors.active_groups_for(user),
            area_kinds=AreaKind.choices,
            can_edit=has_role(user, EDIT_PEOPLE),
            can_import=has_role(user, IMPORT_PEOPLE),
        )
        return context


class PersonFormView(RoleRequiredMixin, TemplateView):
    """Open a file (no pk) or change one. An ID number already in the registry leads to the
    existing file if it is in the user's area, or says who keeps it."""

    template_name = "people/form.html"
    allowed_roles = EDIT_PEOPLE

    def get_person(self):
        if "pk" not in self.kwargs:
            return None
        return selectors.person_get(self.request.user, self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        person = self.get_person()
        form = PersonForm(instance=person, user=request.user)
        return self.render_to_response(self.get_context_data(form=form, person=person))

    def post(self, request, *args, **kwargs):
        person = self.get_person()
        form = PersonForm(request.POST, instance=person, user=request.user)
        if form.is_valid():
            data = {k: form.cleaned_data.get(k) for k in form.Meta.fields}
            try:
                if person is None:
                    person = services.person_create(actor=request.user, **data)
                    messages.success(request, _("The file is opened."))
                else:
                    person = services.person_update(actor=request.user, person=person, **data)
                    messages.success(request, _("The file is saved."))
                return redirect("person-detail", pk=person.pk)
            except DomainError as exc:
                existing = getattr(exc, "existing", None)
                if existing is not None and existing.person is not None:
                    messages.info(request, existing.message())
                    return redirect("person-detail", pk=existing.person.pk)
                form_refused(form, exc)
        return self.render_to_response(self.get_context_data(form=form, person=person), status=400)


class PersonDetailView(RoleRequiredMixin, TemplateView):
    """The person file: everything on it, the retirement date, the groups, declarations,
    documents and placements, and the eligibility verdict for a chosen post or kind of post."""

    template_name = "people/detail.html"
    allowed_roles = VIEW_PEOPLE

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        person = selectors.person_get(
            user, self.kwargs["pk"], related=("township", "village", "created_by")
        )
        today = timezone.localdate()
        posts = selectors.township_open_posts(user, person)
        chosen_post, kind = None, self.request.GET.get("kind") or ""
        post_id = self.request.GET.get("post") or ""
        if post_id.isascii() and post_id.isdigit():
            chosen_post = selectors.post_for(user, post_id)
            if chosen_post is not None:
                kind = chosen_post.area_kind
        if kind not in AreaKind.values:
            kind = person.residence
        verdict = selectors.person_verdict(person, kind, today)
        can_edit = has_role(user, EDIT_PEOPLE)
        context.update(
            person=person,
            id_number=shown(user, Person, "id_number")(person.id_number),
            account=shown(user, Person, "account_number")(person.account_number),
            phone=shown(user, Person, "phone")(person.phone),
            certificate=shown(user, Person, "disability_certificate")(
                person.disability_certificate
            ),
            **selectors.person_records(person),
            posts=posts,
            chosen_post=chosen_post,
            kind=kind,
            kind_label=AreaKind(kind).label,
            area_kinds=AreaKind.choices,
            verdict=verdict,
            outcome=Outcome,
            can_edit=can_edit,
            membership_form=MembershipForm(user=user) if can_edit else None,
            declaration_form=DeclarationForm() if can_edit else None,
            document_form=DocumentForm() if can_edit else None,
            can_see_history=has_role(user, VIEW_HISTORY),
            can_open_documents=has_role(user, DocumentDownloadView.allowed_roles),
            file_sections=file_sections_for(user, person),
        )
        return context


class _PersonActionView(RoleRequiredMixin, View):
    """POST only: one change to a person's file, then back to the file."""

    allowed_roles = EDIT_PEOPLE
    http_method_names = ["post"]

    def person(self):
        return selectors.person_get(self.request.user, self.kwargs["pk"])

    def refused(self, form_or_exc) -> None:
        if isinstance(form_or_exc, DomainError):
            messages.error(self.request, form_or_exc.message)
            return
        for errors in form_or_exc.errors.values():
            for error in errors:
                messages.error(self.request, error)

    def done(self):
        return redirect("person-detail", pk=self.kwargs["pk"])

    def run(self, form, action, success: str):
        """Validate ``form``, call the service with its data, say how it went, back to the file."""
        if not form.is_valid():
            self.refused(form)
            return self.done()
        try:
            action(form.cleaned_data)
            messages.success(self.request, success)
        except DomainError as exc:
            self.refused(exc)
        return self.done()


class MembershipAddView(_PersonActionView):
    def post(self, request, pk):
        person = self.person()
        return self.run(
            MembershipForm(request.POST, user=request.user),
            lambda data: services.membership_add(actor=request.user, person=person, **data),
            _("The target group is recorded."),
        )


class MembershipRemoveView(_PersonActionView):
    def post(self, request, pk, membership):
        self.person()
        row = selectors.person_membership_get(request.user, pk, membership)
        return self.run(
            ReasonForm(request.POST),
            lambda data: services.membership_remove(
                actor=request.user, membership=row, reason=data["reason"]
            ),
            _("The target group is removed."),
        )


class DeclarationAddView(_PersonActionView):
    def post(self, request, pk):
        person = self.person()
        return self.run(
            DeclarationForm(request.POST),
            lambda data: services.declaration_add(actor=request.user, person=person, **data),
            _("The declaration is recorded."),
        )


class DeclarationWithdrawView(_PersonActionView):
    def post(self, request, pk, declaration):
        self.person()
        row = selectors.person_declaration_get(request.user, pk, declaration)
        return self.run(
            ReasonForm(request.POST),
            lambda data: services.declaration_withdraw(
                actor=request.user, declaration=row, reason=data["reason"]
            ),
            _("The declaration is withdrawn."),
        )


class DocumentUploadView(_PersonActionView):
    def post(self, request, pk):
        person = self.person()
        return self.run(
            DocumentForm(request.POST, request.FILES),
            lambda data: services.document_add(
                actor=request.user, person=person, kind=data["kind"], upload=data["file"]
            ),
            _("The document is attached."),
        )


class DocumentDownloadView(RoleRequiredMixin, View):
    """A scan, only to users who may see the person; never a public media URL."""

    allowed_roles = EDIT_PEOPLE | SEE_ID_NUMBERS

    def get(self, request, pk):
        document = selectors.person_document_get(request.user, pk)
        return FileResponse(
            document.file.open("rb"),
            content_type=document.content_type,
            as_attachment=request.GET.get("download") == "1",
            filename=document.original_name,
        )


class TargetGroupListView(RoleRequiredMixin, TemplateView):
    """The groups of the county, with how many people each has; the county adds its own."""

    template_name = "people/groups.html"
    allowed_roles = VIEW_PEOPLE

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            groups=selectors.group_counts(user),
            can_manage=has_role(user, MANAGE_GROUPS),
            form=form or (TargetGroupForm() if has_role(user, MANAGE_GROUPS) else None),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not has_role(request.user, MANAGE_GROUPS):
            return self.http_method_not_allowed(request)
        form = TargetGroupForm(request.POST)
        if form.is_valid():
            try:
                services.target_group_create(actor=request.user, **form.cleaned_data)
                messages.success(request, _("The target group is added."))
                return redirect("target-group-list")
            except DomainError as exc:
                form_refused(form, exc)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class RankingView(RoleRequiredMixin, TemplateView):
    """The priority order of the people who may be placed on a post (docs/policy.md §3): the
    township's eligible people for the post's kind, each position with its reason."""

    template_name = "people/ranking.html"
    allowed_roles = EDIT_PEOPLE
    LIMIT = 500

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        post_id = self.request.GET.get("post") or ""
        post = (
            selectors.ranking_post(user, post_id)
            if post_id.isascii() and post_id.isdigit()
            else None
        )
        context.update(posts=selectors.ranking_posts(user), post=post)
        if post is None:
            return context
        today = timezone.localdate()
        ranking = selectors.post_candidates(user, post, today)
        masker = id_masker(user)
        context.update(
            ranked=[
                (r, masker(r.facts.id_number), ranking.attention.get(r.facts.person_id, []))
                for r in ranking.ranked[: self.LIMIT]
            ],
            total=len(ranking.ranked),
            limit=self.LIMIT,
            today=today,
        )
        return context
