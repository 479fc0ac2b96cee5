"""The workflow's printed documents: the recruitment announcement,
the notice to an applicant who did not pass, the village's publicity list, the finding on an
objection, the agreement and the training sign-in sheet.

Each is an A4 page with a print button and, where a PDF is wanted, the same template rendered by
WeasyPrint (``printing``). Every object is read through the selectors (``selectors.documents``,
with ``scope_queryset``): outside the user's area it is a 404. Public notices mask ID numbers
(docs/policy.md §9); the agreement, a contract between its parties, carries the full number, only
for the township and the county, and each print of it is on the audit trail.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from gongyi.audit import audit_record
from gongyi.enums import AuditAction
from gongyi.masking import shown
from gongyi.roles import RoleRequiredMixin
from people.enums import Sex
from people.masking import notice_masker
from people.models import Person
from people.onboarding import selectors
from people.onboarding.enums import STEP_OF, AgreementKind, ApplicationState
from people.onboarding.printing import pdf_response
from people.onboarding.roles import PRINT_PERSONAL_DOCUMENTS, VIEW_APPLICATIONS

S = ApplicationState

#: Which review an application did not pass, by the state it was in (the step says the rest).
REJECTION_STAGE = {
    S.APPLIED: gettext_lazy("initial review"),
    S.INITIAL_PASSED: gettext_lazy("democratic review"),
    S.REVIEWED: gettext_lazy("re-review"),
    S.REREVIEW_PASSED: gettext_lazy("publicity"),
    S.WAITLISTED: gettext_lazy("publicity"),
    S.PUBLICITY: gettext_lazy("publicity and county approval"),
}


class DocumentView(RoleRequiredMixin, View):
    """One printed document: ``document`` reads the object and the template's context; the page
    shows it with a print button, and with ``pdf`` set the same template comes as a PDF."""

    template_name = ""
    allowed_roles = VIEW_APPLICATIONS
    pdf = False
    #: The URL name of the document's PDF, for the page's download button.
    pdf_url_name = ""

    def document(self, request, pk) -> dict:
        raise NotImplementedError

    def filename(self, context) -> str:
        raise NotImplementedError

    def printed(self, request, context) -> None:
        """Called once the document is made (the agreement records it)."""

    def own_page(self, context) -> str:
        """The page the document belongs to: where "Back" goes when the user came from
        elsewhere (a link typed, a bookmark)."""
        return reverse("home")

    def back_url(self, request, context) -> str:
        """The toolbar's way back: the page of this site the user came from, else ``own_page``."""
        referer = request.headers.get("referer", "")
        came_from = urlsplit(referer)
        if (
            referer
            and url_has_allowed_host_and_scheme(
                referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            )
            and came_from.path != request.path
        ):
            return referer
        return self.own_page(context)

    def get(self, request, pk):
        context = self.document(request, pk)
        if self.pdf:
            response = pdf_response(request, self.template_name, context, self.filename(context))
        else:
            if self.pdf_url_name:
                context["pdf_url"] = reverse(self.pdf_url_name, kwargs={"pk": pk})
            context["back_url"] = self.back_url(request, context)
            response = render(request, self.template_name, {**context, "pdf": False})
        self.printed(request, context)
        return response


class RoundAnnouncementView(DocumentView):
    """招聘公告 (step 1): the round's posts with their places, pay, insurance, duties and
    requirements; who may apply, the window, where to apply, the contact and the date."""

    template_name = "onboarding/print/round_announcement.html"
    pdf_url_name = "round-announcement-pdf"

    def own_page(self, context) -> str:
        return reverse("round-detail", kwargs={"pk": context["round"].pk})

    def document(self, request, pk) -> dict:
        round_, round_posts = selectors.announced_round(request.user, pk)
        parent = round_.township.parent
        return {
            "round": round_,
            "round_posts": round_posts,
            "total_places": sum(rp.places for rp in round_posts),
            "county_name": parent.name if parent else "",
        }

    def filename(self, context) -> str:
        return f"{context['round'].title}.pdf"


class RoundAnnouncementPdfView(RoundAnnouncementView):
    pdf = True


class ApplicationNoticeView(DocumentView):
    """未通过告知书: the notice to an applicant who did not pass, with the step and the reason
    (seed 003 §5: those who fail are told, with the reason)."""

    template_name = "onboarding/print/application_notice.html"
    allowed_roles = PRINT_PERSONAL_DOCUMENTS

    def own_page(self, context) -> str:
        return reverse("application-detail", kwargs={"pk": context["app"].pk})

    def document(self, request, pk) -> dict:
        app = selectors.rejected_application(request.user, pk)
        return {
            "app": app,
            "step": STEP_OF.get(app.rejected_state),
            "stage": REJECTION_STAGE.get(app.rejected_state, ""),
            "decided_on": timezone.localdate(app.state_changed_at),
            "masked_id": notice_masker(app.region_code)(app.person.id_number),
        }


class PublicityView(DocumentView):
    """公示名单: the village's list for its notice board (docs/policy.md §6, §9): name, sex, masked ID
    number, post, target group and priority position; never a phone, an account or a full ID
    number. The period, where objections go, and the published findings on objections to the
    people listed."""

    template_name = "onboarding/print/publicity.html"
    pdf_url_name = "publicity-pdf"

    def own_page(self, context) -> str:
        return reverse("round-detail", kwargs={"pk": context["publicity"].round_id})

    def document(self, request, pk) -> dict:
        user = request.user
        publicity = selectors.publicity_of(user, pk)
        masker = notice_masker(publicity.region_code, publicity.starts_on)
        apps = selectors.publicity_people(user, publicity)
        codes = {code for a in apps for code in (a["eligibility"] or {}).get("groups", [])}
        group_names = selectors.target_group_names(user, codes)
        rows = [
            {
                "name": a["person__name"],
                "sex": Sex(a["person__sex"]).label,
                "masked_id": masker(a["person__id_number"]),
                "post": a["post__title"],
                "groups": "、".join(
                    group_names.get(c, c) for c in (a["eligibility"] or {}).get("groups", [])
                ),
                "rank": a["rank"],
            }
            for a in apps
        ]
        findings = selectors.publicity_findings(user, publicity)
        return {"publicity": publicity, "rows": rows, "findings": findings}

    def filename(self, context) -> str:
        publicity = context["publicity"]
        return _("Publicity list %(village)s %(date)s.pdf") % {
            "village": publicity.village.name,
            "date": publicity.starts_on.isoformat(),
        }


class PublicityPdfView(PublicityView):
    pdf = True


class ObjectionFindingView(DocumentView):
    """异议调查结果公告: the township's finding on an objection, published once it is made
    (seed 003 §6). Who raised the objection is not printed."""

    template_name = "onboarding/print/objection_finding.html"

    def own_page(self, context) -> str:
        return reverse("application-detail", kwargs={"pk": context["app"].pk})

    def document(self, request, pk) -> dict:
        objection = selectors.found_objection(request.user, pk)
        app = objection.application
        return {
            "objection": objection,
            "app": app,
            "masked_id": notice_masker(app.region_code)(app.person.id_number),
        }


class AgreementView(DocumentView):
    """协议签订 (step 6): the service agreement of a rural post or the labour contract of an
    urban one, between the township and the person, with the full ID number (a contract, not a
    public notice: docs/policy.md §9), the post, duties, workplace, pattern, subsidy, insurance,
    term and signature lines."""

    template_name = "onboarding/print/agreement.html"
    allowed_roles = PRINT_PERSONAL_DOCUMENTS
    pdf_url_name = "application-agreement-pdf"

    def own_page(self, context) -> str:
        return reverse("application-detail", kwargs={"pk": context["app"].pk})

    def document(self, request, pk) -> dict:
        app = selectors.agreed_application(request.user, pk)
        is_contract = app.agreement_kind == AgreementKind.LABOUR_CONTRACT
        post = app.post
        workplace = post.township.name + (f" {post.village.name}" if post.village else "")
        person, reader = app.person, request.user
        return {
            "app": app,
            # a contract carries the full number (docs/policy.md §9), for the roles that read it in full
            "id_number": shown(reader, Person, "id_number")(person.id_number),
            "phone": shown(reader, Person, "phone")(person.phone),
            "is_contract": is_contract,
            "title": (
                _("Labour contract for a public-welfare post")
                if is_contract
                else _("Service agreement for a public-welfare post")
            ),
            "workplace": workplace,
        }

    def filename(self, context) -> str:
        return f"{context['title']} {context['app'].agreement_number}.pdf"

    def printed(self, request, context) -> None:
        """Each print of a document with a full ID number is on the audit trail
        (docs/policy.md §9)."""
        app = context["app"]
        audit_record(
            actor=request.user,
            action=AuditAction.EXPORT,
            instance=app,
            object_repr=str(context["title"]),
            note=(
                _("agreement %(number)s as PDF, full ID number")
                if self.pdf
                else _("agreement %(number)s printed, full ID number")
            )
            % {"number": app.agreement_number},
        )


class AgreementPdfView(AgreementView):
    pdf = True


class TrainingSignInView(DocumentView):
    """岗前培训签到表 (step 7): the session and its attendees, with a blank signature column and
    who was present."""

    template_name = "onboarding/print/training_signin.html"

    def own_page(self, context) -> str:
        return reverse("training-list")

    def document(self, request, pk) -> dict:
        session = selectors.training_session_of(request.user, pk)
        rows = selectors.training_attendance(request.user, session)
        return {"session": session, "rows": rows, "present": sum(1 for r in rows if r.present)}
