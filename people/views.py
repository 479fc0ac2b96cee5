"""Pages of the person registry. Each view checks the role, reads through ``scope_queryset`` (via
the selectors), calls one service and shows its refusal (STYLE.md "Services and views")."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from gongyi.audit import audit_record
from gongyi.enums import AuditAction
from gongyi.errors import DomainError
from gongyi.excel import Sheet, xlsx_response
from gongyi.forms import form_refused
from gongyi.masking import sees_in_full, shown
from gongyi.roles import VIEW_HISTORY, RoleRequiredMixin, has_role
from gongyi.scoping import get_scoped_object_or_404, scope_queryset, user_region_code
from people import selectors, services
from people.enums import Outcome, Sex
from people.forms import (
    DeclarationForm,
    DocumentForm,
    MembershipForm,
    PersonForm,
    ReasonForm,
    TargetGroupForm,
)
from people.masking import id_masker
from people.models import Person, PersonDocument, PersonGroup, RelativeDeclaration, TargetGroup
from people.roles import (
    EDIT_PEOPLE,
    IMPORT_PEOPLE,
    MANAGE_GROUPS,
    SEE_ID_NUMBERS,
    VIEW_PEOPLE,
)
from posts.enums import AreaKind, PostStatus
from posts.models import Post
from posts.selectors import townships_for, villages_for


def people_in_area(user):
    return scope_queryset(user, Person.objects.all())


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
        """The filtered list as Excel. Full ID numbers only for the roles that need them, and
        every export is on the audit trail (docs/policy.md §9)."""
        people = selectors.person_list(people_in_area(request.user), request.GET)
        full = sees_in_full(request.user, Person, "id_number", bulk=True)
        masker = id_masker(request.user)
        count = people.count()
        audit_record(
            actor=request.user,
            action=AuditAction.EXPORT,
            object_type="people.person",
            region_code=user_region_code(request.user),
            object_repr=_("person registry"),
            note=(_("%(n)s rows, full ID numbers") if full else _("%(n)s rows, masked ID numbers"))
            % {"n": count},
        )
        with translation.override("zh-hans"):
            title = _("Person registry")
            headers = [
                _("Full name"),
                _("ID number"),
                _("Sex"),
                _("Birth date"),
                _("Township"),
                _("Village or community"),
                _("Residence"),
                _("Statutory retirement date"),
                _("Target groups"),
            ]

        def rows():
            with translation.override("zh-hans"):
                for r in selectors.person_export_rows(people):
                    yield [
                        r["name"],
                        r["id_number"] if full else masker(r["id_number"]),
                        str(Sex(r["sex"]).label),
                        r["birth_date"],
                        r["township__name"],
                        r["village__name"] or "",
                        str(AreaKind(r["residence"]).label),
                        r["retirement_date"],
                        "、".join(r["groups"]),
                    ]

        return xlsx_response(f"{title}.xlsx", [Sheet(title, headers, rows())])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        params = {
            k: (self.request.GET.get(k) or "").replace("\x00", "").strip()
            for k in selectors.PERSON_FILTERS
        }
        people = selectors.person_list(people_in_area(user), params)
        try:
            number = int(self.request.GET.get("page", 1))
        except ValueError:
            number = 1
        page = selectors.person_page(people, number)
        context.update(
            page=page,
            rows=_list_rows(page.rows, id_masker(user)),
            params=params,
            townships=townships_for(user).only("code", "name"),
            villages=(
                villages_for(user).filter(code__startswith=params["township"]).only("code", "name")
                if params["township"] or user.region.level == "township"
                else []
            ),
            groups=scope_queryset(user, TargetGroup.objects.filter(is_active=True)),
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
        return get_scoped_object_or_404(
            self.request.user, Person.objects.all(), pk=self.kwargs["pk"]
        )

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
        person = get_scoped_object_or_404(
            user,
            Person.objects.select_related("township", "village", "created_by"),
            pk=self.kwargs["pk"],
        )
        today = timezone.localdate()
        posts = scope_queryset(
            user,
            Post.objects.filter(
                township=person.township_id, status__in=[PostStatus.OPEN, PostStatus.VACANT]
            ),
        ).only("pk", "title", "area_kind")[:200]
        chosen_post, kind = None, self.request.GET.get("kind") or ""
        post_id = self.request.GET.get("post") or ""
        if post_id.isascii() and post_id.isdigit():
            chosen_post = scope_queryset(user, Post.objects.all()).filter(pk=post_id).first()
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
            memberships=person.memberships.select_related("group", "recorded_by"),
            declarations=person.declarations.all(),
            documents=person.documents.select_related("uploaded_by"),
            placements=person.placements.select_related("post"),
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
        )
        return context


class _PersonActionView(RoleRequiredMixin, View):
    """POST only: one change to a person's file, then back to the file."""

    allowed_roles = EDIT_PEOPLE
    http_method_names = ["post"]

    def person(self):
        return get_scoped_object_or_404(
            self.request.user, Person.objects.all(), pk=self.kwargs["pk"]
        )

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
        row = get_scoped_object_or_404(
            request.user, PersonGroup.objects.filter(person_id=pk), pk=membership
        )
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
        row = get_scoped_object_or_404(
            request.user, RelativeDeclaration.objects.filter(person_id=pk), pk=declaration
        )
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
        document = get_scoped_object_or_404(request.user, PersonDocument.objects.all(), pk=pk)
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
        posts = scope_queryset(
            user, Post.objects.filter(status__in=[PostStatus.OPEN, PostStatus.VACANT])
        ).select_related("township")
        post_id = self.request.GET.get("post") or ""
        post = posts.filter(pk=post_id).first() if post_id.isascii() and post_id.isdigit() else None
        context.update(posts=posts.only("pk", "title", "township__name")[:500], post=post)
        if post is None:
            return context
        today = timezone.localdate()
        candidates = selectors.eligible_people(
            people_in_area(user).filter(township=post.township_id),
            area_kind=post.area_kind,
            on=today,
        )
        ranking = selectors.rank_people(
            candidates, area_kind=post.area_kind, on=today, county_code=post.region_code
        )
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
