"""The payout's bank side in the API (docs/policy.md §7, "How gongyi pays the bank"), as the
pages at /payout/bank/: the county's bank templates (and the shared one), a batch's payment file
(issue, download) and the bank's return (upload), and the township's account fixes.

The same roles as the pages (``subsidies.payout.roles``), checked before anything is read (403);
every queryset passes ``scope_queryset`` (outside the area a 404); each write is one service
call, a refusal a **400** with the reason in Chinese and nothing changed. A return that is not
read answers every problem by row (``problems``).
"""

from django.core.files.storage import default_storage
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from gongyi.apis import ScopedViewSetMixin
from gongyi.schema import INVALID, NOT_FOUND
from people.masking import id_masker
from people.onboarding.apis import RolesByActionMixin
from subsidies.payout import selectors, services
from subsidies.payout.amount import yuan
from subsidies.payout.apis import BATCH_FILTER_PARAMETERS, _month, query
from subsidies.payout.bank_serializers import (
    AccountFixCompleteSerializer,
    AccountFixFilterSerializer,
    AccountFixSerializer,
    BankBatchSerializer,
    BankTemplateSerializer,
    BankTemplateWriteSerializer,
    IssueSerializer,
    PaymentFileSerializer,
    ReturnDoneSerializer,
    ReturnRefusedSerializer,
    ReturnUploadSerializer,
)
from subsidies.payout.enums import BANK_STATES, FixState
from subsidies.payout.models import AccountFix, BankTemplate, PaymentFile
from subsidies.payout.roles import (
    DOWNLOAD_PAYMENT_FILES,
    FIX_ACCOUNTS,
    ISSUE_PAYOUTS,
    MANAGE_BANK_TEMPLATES,
    READ_RETURNS,
    VIEW_ACCOUNT_FIXES,
    VIEW_BANK_FILES,
    VIEW_BANK_TEMPLATES,
)
from subsidies.payout.serializers import BatchFilterSerializer

REFUSED = {400: INVALID, 404: NOT_FOUND}
RETURN_REFUSED = OpenApiResponse(
    ReturnRefusedSerializer,
    description="the return is not read and nothing has changed: `detail` says why, `problems` "
    "lists every problem by row (or by line, for a line the bank did not return); or another "
    "refusal with `detail` alone",
)


class BankTemplateViewSet(
    RolesByActionMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The bank templates the caller's county may use: its own and the shared default. The
    county HR bureau adds and changes its own (``PUT``, the whole template); the shared one is
    not changed by a county (a 400: add one of your own)."""

    serializer_class = BankTemplateSerializer
    base_queryset = BankTemplate.objects.select_related("county", "created_by").order_by(
        "county__code", "name", "pk"
    )
    view_roles = VIEW_BANK_TEMPLATES
    roles_by_action = {"create": MANAGE_BANK_TEMPLATES, "update": MANAGE_BANK_TEMPLATES}
    http_method_names = ["get", "post", "put", "head", "options"]

    def _saved(self, template_id: int, code=status.HTTP_200_OK) -> Response:
        return Response(
            self.get_serializer(self.get_queryset().get(pk=template_id)).data, status=code
        )

    def _save(self, request, template_id=None) -> int:
        serializer = BankTemplateWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return services.bank_template_save(
            actor=request.user, template_id=template_id, **serializer.validated_data
        ).pk

    @extend_schema(
        request=BankTemplateWriteSerializer, responses={201: BankTemplateSerializer, 400: INVALID}
    )
    def create(self, request, *args, **kwargs):
        """Add a template to the caller's county. A template without the columns its file
        cannot do without, a format that does not fit, a name the county has already: a 400
        with the reason."""
        return self._saved(self._save(request), status.HTTP_201_CREATED)

    @extend_schema(
        request=BankTemplateWriteSerializer, responses={200: BankTemplateSerializer, **REFUSED}
    )
    def update(self, request, *args, **kwargs):
        """Change one of the county's own templates (the whole of it). The shared one: a 400."""
        template = self.get_object()
        return self._saved(self._save(request, template.pk))


@extend_schema_view(list=extend_schema(parameters=BATCH_FILTER_PARAMETERS))
class BankBatchViewSet(
    RolesByActionMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The bank's side of the payout batches approved or further, in the caller's area: the
    county HR bureau issues the payment file; it and the finance department download it (full
    ID and account numbers: each download on the audit trail) and upload the bank's return."""

    serializer_class = BankBatchSerializer
    view_roles = VIEW_BANK_FILES
    roles_by_action = {
        "issue": ISSUE_PAYOUTS,
        "file": DOWNLOAD_PAYMENT_FILES,
        "bank_return": READ_RETURNS,
    }

    def get_queryset(self):
        params = query(BatchFilterSerializer, self.request) if self.action == "list" else {}
        return (
            selectors.batch_list(
                self.request.user,
                month=_month(params["month"]) if "month" in params else None,
                state=params.get("state", ""),
                kind=params.get("kind", ""),
            )
            .filter(state__in=BANK_STATES)
            .select_related(
                "created_by",
                "submitted_by",
                "approved_by",
                "payment_file__template",
                "payment_file__created_by",
                "payment_file__returned_by",
            )
        )

    def _payment_file(self, batch_id: int) -> dict:
        issued = PaymentFile.objects.select_related("template", "created_by", "returned_by").get(
            batch_id=batch_id
        )
        return PaymentFileSerializer(issued).data

    @extend_schema(request=IssueSerializer, responses={201: PaymentFileSerializer, **REFUSED})
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        """Issue the approved batch's payment file in ``template`` (the county's or the shared,
        in use): the lines the bank would refuse (an empty or malformed account, a name that is
        not the person file's) are held with the reason; the answer is the file's line count,
        total and sha256. A batch not approved, or every line refused: a 400 with the reason."""
        batch = self.get_object()
        serializer = IssueSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.payout_file_issue(
            actor=request.user,
            batch_id=batch.pk,
            template_id=serializer.validated_data["template"],
        )
        return Response(self._payment_file(batch.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="the payment file as issued (xlsx or text in the bank's encoding)",
            ),
            **REFUSED,
        },
    )
    @action(detail=True, methods=["get"])
    def file(self, request, pk=None):
        """Download the payment file, checked against its sha256; the download is on the audit
        trail. No file yet, or a stored file that is not the one issued: a 400."""
        batch = self.get_object()
        download = services.payment_file_download(actor=request.user, batch_id=batch.pk)
        return FileResponse(
            default_storage.open(download.payment_file.path, "rb"),
            as_attachment=True,
            filename=download.name,
            content_type=download.content_type,
        )

    @extend_schema(
        request={"multipart/form-data": ReturnUploadSerializer},
        responses={200: ReturnDoneSerializer, 400: RETURN_REFUSED, 404: NOT_FOUND},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="return",
        url_name="return",
        parser_classes=[MultiPartParser, FormParser],
    )
    def bank_return(self, request, pk=None):
        """Upload the bank's return (``file``, multipart): each row is matched to its line by
        ID number, account and amount. Unknown rows, duplicates, changed amounts, lines not
        returned, another batch's file, another encoding: a 400 with every problem in
        ``problems`` and nothing changed. Otherwise every line is paid or failed with the
        bank's reason, an account fix opened for each failed one."""
        batch = self.get_object()
        serializer = ReturnUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            done = services.payout_return_read(
                actor=request.user,
                batch_id=batch.pk,
                file=serializer.validated_data["file"],
                same_as_before=serializer.validated_data.get("same_as_before", False),
            )
        except services.ReturnRefused as refused:
            return Response(
                {"detail": refused.message, "problems": refused.problems},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return Response(
            {
                "batch": done.batch.pk,
                "state": done.batch.state,
                "paid": done.paid,
                "paid_fen": done.paid_fen,
                "paid_yuan": yuan(done.paid_fen),
                "failed": done.failed,
                "failed_fen": done.failed_fen,
                "failed_yuan": yuan(done.failed_fen),
                "fixes": done.fixes,
            }
        )


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("state", enum=FixState.values)])
)
class AccountFixViewSet(
    RolesByActionMixin,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """账户修正: the lines the bank failed, newest first, for the township to enter the right
    account (``?state=open|fixed``). Completing one pays the month again in a follow-up batch
    of the township, linked to the failed line."""

    serializer_class = AccountFixSerializer
    base_queryset = AccountFix.objects.select_related("line", "fixed_by", "follow_up").order_by(
        "-created_at", "-pk"
    )
    view_roles = VIEW_ACCOUNT_FIXES
    roles_by_action = {"complete": FIX_ACCOUNTS}

    def get_queryset(self):
        fixes = super().get_queryset()
        if self.action == "list":
            params = query(AccountFixFilterSerializer, self.request)
            if "state" in params:
                fixes = fixes.filter(state=params["state"])
        return fixes

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):  # the schema is being generated
            return context
        context["masker"] = id_masker(self.request.user)
        return context

    @extend_schema(
        request=AccountFixCompleteSerializer, responses={200: AccountFixSerializer, **REFUSED}
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Enter the right ``account_number`` (and ``bank_name`` if it changed): the person file
        takes it, and a new line pays the month in the follow-up batch. A fix made already, a
        malformed account: a 400 with the reason."""
        fix = self.get_object()
        serializer = AccountFixCompleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.account_fix_complete(
            actor=request.user, fix_id=fix.pk, **serializer.validated_data
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=fix.pk)).data)
