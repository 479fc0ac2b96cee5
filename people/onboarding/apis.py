"""The workflow's API: recruitment rounds and applications of the caller's area, each move of an
application through ``workflow.application_transition``, its timeline, and the departments'
opinions.

A move that is refused (a step skipped, a step back, a role that cannot take it, a move made only
through its step's own page) is a **400** with ``{"detail": reason, "refused": {id: reason}}`` and
changes nothing; an application outside the caller's area is a 404, as everywhere in the API.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from gongyi.apis import ScopedViewSetMixin
from gongyi.errors import DomainError
from people.masking import id_masker
from people.onboarding import selectors, services
from people.onboarding.enums import ApplicationState, OnboardingStep, RoundStatus
from people.onboarding.models import Round
from people.onboarding.roles import (
    ENTER_APPLICATIONS,
    GIVE_OPINIONS,
    MANAGE_ROUNDS,
    VIEW_APPLICATIONS,
)
from people.onboarding.serializers import (
    ApplicationCreateSerializer,
    ApplicationSerializer,
    BulkTransitionResultSerializer,
    BulkTransitionSerializer,
    OpinionRequestSerializer,
    OpinionResultSerializer,
    RefusalSerializer,
    RoundCloseSerializer,
    RoundSerializer,
    StepRecordSerializer,
    TransitionSerializer,
)
from people.onboarding.workflow import TRANSITIONS, application_transition

#: Roles that make at least one move of the table outside a step's own page (a village's
#: moves are its democratic review's): the others cannot move anything here (403).
MOVE_ROLES = frozenset(role for t in TRANSITIONS.values() if not t.via for role in t.roles)

NOT_FOUND = OpenApiResponse(description="not found, or outside the caller's area")
REFUSED = OpenApiResponse(
    RefusalSerializer,
    description="refused, with the reason (in the user's language) for each application; "
    "nothing was changed",
)


class RolesByActionMixin:
    """``allowed_roles`` (read by ``HasRole``) per action: reading is open to ``view_roles``,
    each write to its own roles, checked before the body or the object is looked at."""

    view_roles = VIEW_APPLICATIONS
    roles_by_action: dict = {}

    @property
    def allowed_roles(self):
        return self.roles_by_action.get(self.action, self.view_roles)


def _digits(params, name: str, lengths: tuple[int, ...]) -> str:
    value = params.get(name, "")
    if value and not (value.isascii() and value.isdigit() and len(value) in lengths):
        raise ValidationError({name: _("Enter a region code of %(n)s digits.") % {"n": lengths[0]}})
    return value


def _number(params, name: str, low: int = 1, high: int = 2**31 - 1) -> int | None:
    value = params.get(name, "")
    if not value:
        return None
    if not (value.isascii() and value.isdigit() and low <= int(value) <= high):
        raise ValidationError(
            {
                name: _("Enter a number from %(low)s to %(high)s.")
                % {
                    "low": low,
                    "high": high,
                }
            }
        )
    return int(value)


def _choice(params, name: str, choices) -> str:
    value = params.get(name, "")
    if value and value not in choices:
        raise ValidationError({name: _("Not one of the choices.")})
    return value


# --- rounds ---------------------------------------------------------------------------------------

ROUND_FILTER_PARAMETERS = [
    OpenApiParameter("status", enum=RoundStatus.values),
    OpenApiParameter("township", description="9-digit code of the township"),
    OpenApiParameter("year", int, description="year the applications open"),
]


@extend_schema_view(list=extend_schema(parameters=ROUND_FILTER_PARAMETERS))
class RoundViewSet(
    RolesByActionMixin,
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Recruitment rounds (招聘公告, step 1) of the caller's area, with the posts offered, their
    places, and the round's applications per state. A township clerk's round is of the clerk's
    township; a county user names the township. Only a draft round changes; ``publish`` opens
    it for applications within its window, ``close`` ends them."""

    serializer_class = RoundSerializer
    roles_by_action = {
        "create": MANAGE_ROUNDS,
        "update": MANAGE_ROUNDS,
        "partial_update": MANAGE_ROUNDS,
        "publish": MANAGE_ROUNDS,
        "close": MANAGE_ROUNDS,
    }

    def get_queryset(self):
        if self.action != "list":
            return selectors.api_rounds(self.request.user)
        params = self.request.query_params
        return selectors.api_rounds(
            self.request.user,
            status=_choice(params, "status", RoundStatus.values),
            township=_digits(params, "township", (9,)),
            year=_number(params, "year", 1900, 2100),
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return page if page is None else selectors.with_state_counts(self.request.user, page)

    def get_object(self):
        round_ = super().get_object()
        selectors.with_state_counts(self.request.user, [round_])
        return round_

    def _fresh(self, round_: Round) -> Round:
        """The round as the list shows it (township, posts, counts), after a service wrote it."""
        round_ = self.get_queryset().get(pk=round_.pk)
        selectors.with_state_counts(self.request.user, [round_])
        return round_

    @staticmethod
    def _fields(data, instance=None) -> dict:
        keys = ("title", "who_may_apply", "opens_on", "closes_on", "apply_at", "contact")
        return {k: data[k] if k in data else getattr(instance, k, "") for k in keys}

    @staticmethod
    def _places(data) -> dict[int, int] | None:
        if "round_posts" not in data:
            return None
        return {row["post_id"]: row["places"] for row in data["round_posts"]}

    def perform_create(self, serializer):
        data = serializer.validated_data
        round_ = services.round_create(
            actor=self.request.user,
            places=self._places(data) or {},
            township=data.get("township"),
            **self._fields(data),
        )
        serializer.instance = self._fresh(round_)

    def perform_update(self, serializer):
        data, round_ = serializer.validated_data, serializer.instance
        township = data.get("township")
        if township is not None and township.pk != round_.township_id:
            raise ValidationError(
                {"township": _("A round stays with the township that opened it.")}
            )
        round_ = services.round_update(
            actor=self.request.user,
            round_=round_,
            places=self._places(data),
            **self._fields(data, round_),
        )
        serializer.instance = self._fresh(round_)

    @extend_schema(request=None, responses={200: RoundSerializer, 404: NOT_FOUND})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish a draft round (step 1): people may apply from then on, within the window."""
        round_ = services.round_publish(actor=request.user, round_=self.get_object())
        return Response(
            RoundSerializer(self._fresh(round_), context=self.get_serializer_context()).data
        )

    @extend_schema(request=RoundCloseSerializer, responses={200: RoundSerializer, 404: NOT_FOUND})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close a round: no more applications; those in progress go on."""
        round_ = self.get_object()
        serializer = RoundCloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        round_ = services.round_close(
            actor=request.user, round_=round_, reason=serializer.validated_data["reason"]
        )
        return Response(
            RoundSerializer(self._fresh(round_), context=self.get_serializer_context()).data
        )


# --- applications ---------------------------------------------------------------------------------

APPLICATION_FILTER_PARAMETERS = [
    OpenApiParameter("state", enum=ApplicationState.values),
    OpenApiParameter("step", int, enum=[int(s) for s in OnboardingStep], description="1–8"),
    OpenApiParameter("round", int),
    OpenApiParameter("post", int),
    OpenApiParameter("person", int),
    OpenApiParameter("township", description="9-digit code of the applicant's township"),
    OpenApiParameter("village", description="12-digit code of the applicant's village"),
]


def _refused(exc: DomainError, ids) -> dict:
    refused = getattr(exc, "refused", None) or {pk: exc.message for pk in ids}
    return {"detail": exc.message, "refused": {str(pk): str(r) for pk, r in refused.items()}}


@extend_schema_view(list=extend_schema(parameters=APPLICATION_FILTER_PARAMETERS))
class ApplicationViewSet(
    RolesByActionMixin,
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Applications of the caller's area (a village sees its own people's), newest first, with
    the caller's possible moves. ID numbers are masked in the list; one application shows the
    full number to the roles that may read it (``people.roles.SEE_ID_NUMBERS``)."""

    serializer_class = ApplicationSerializer
    roles_by_action = {
        "create": ENTER_APPLICATIONS,
        "transition": MOVE_ROLES,
        "bulk_transition": MOVE_ROLES,
        "opinions": GIVE_OPINIONS,
    }

    def get_queryset(self):
        if self.action != "list":
            return selectors.api_applications(self.request.user)
        params = self.request.query_params
        return selectors.api_applications(
            self.request.user,
            state=_choice(params, "state", ApplicationState.values),
            step=_number(params, "step", 1, len(OnboardingStep)),
            ids={
                name: value
                for name in ("round", "post", "person")
                if (value := _number(params, name)) is not None
            },
            township=_digits(params, "township", (9,)),
            village=_digits(params, "village", (12,)),
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["masker"] = id_masker(self.request.user)
        context["masked"] = self.action == "list"
        return context

    def _out(self, pk: int, code=status.HTTP_200_OK) -> Response:
        app = self.get_queryset().get(pk=pk)
        return Response(self.get_serializer(app).data, status=code)

    @extend_schema(
        request=ApplicationCreateSerializer,
        responses={201: ApplicationSerializer, 400: OpenApiResponse(description="refused")},
    )
    def create(self, request, *args, **kwargs):
        """Enter a person's application for a post of a published round (step 2). Outside the
        window, a full post, a second application, an ineligible person: 400 on the field."""
        serializer = ApplicationCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        app = services.application_submit(
            actor=request.user,
            round_=data["round"],
            post=data["post"],
            person=data["person"],
            applied_on=data.get("applied_on"),
            comment=data["comment"],
            evidence=data["evidence"],
        )
        return self._out(app.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=TransitionSerializer,
        responses={200: ApplicationSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the application to the state ``to``, with the comment, the evidence and the
        target's data (``agreed``: signed_on, term_start, term_end, agreement_number;
        ``started``: start_date).

        Only the moves of the workflow's table, in the seeds' order, by the roles it names. A
        refused move (a step skipped or gone back, a role that cannot take it, a move made only
        on its step's page: democratic review, publicity, training) is a 400 with
        ``{"detail": reason, "refused": {id: reason}}``, and the application is unchanged. A 400,
        not a 409, for every refusal, so that a client reads one shape."""
        app = self.get_object()
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            application_transition(
                actor=request.user,
                applications=[app.pk],
                to=data["to"],
                comment=data["comment"],
                evidence=data["evidence"],
                data=serializer.step_data(),
            )
        except DomainError as exc:
            return Response(_refused(exc, [app.pk]), status=status.HTTP_400_BAD_REQUEST)
        return self._out(app.pk)

    def _in_area_or_404(self, ids) -> Response | None:
        found = selectors.applications_in_area(self.request.user, ids)
        missing = sorted(set(ids) - found)
        if not missing:
            return None
        message = _("Not found, or outside your area.")
        return Response(
            {"detail": message, "refused": {str(pk): message for pk in missing}},
            status=status.HTTP_404_NOT_FOUND,
        )

    @extend_schema(
        request=BulkTransitionSerializer,
        responses={
            200: BulkTransitionResultSerializer,
            400: REFUSED,
            404: OpenApiResponse(
                RefusalSerializer, description="some ids not found, or outside the caller's area"
            ),
        },
    )
    @action(detail=False, methods=["post"], url_path="bulk-transition")
    def bulk_transition(self, request):
        """Move many applications to the same state at once (the county's bulk approval): all or
        none. If one cannot move, none moves: a 400 naming each refused id with its reason."""
        serializer = BulkTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        ids = sorted(set(data["ids"]))
        if (missing := self._in_area_or_404(ids)) is not None:
            return missing
        try:
            moved = application_transition(
                actor=request.user,
                applications=ids,
                to=data["to"],
                comment=data["comment"],
                evidence=data["evidence"],
            )
        except DomainError as exc:
            return Response(_refused(exc, ids), status=status.HTTP_400_BAD_REQUEST)
        return Response({"to": data["to"], "count": len(moved), "ids": [a.pk for a in moved]})

    @extend_schema(
        request=OpinionRequestSerializer,
        responses={
            200: OpinionResultSerializer,
            400: OpenApiResponse(description="refused, with the reason"),
            404: OpenApiResponse(
                RefusalSerializer, description="some ids not found, or outside the caller's area"
            ),
        },
    )
    @action(detail=False, methods=["post"])
    def opinions(self, request):
        """A department reviewer records the department's opinion (联审, seed 003 §5) on
        applications awaiting the re-review (state ``reviewed``); a second opinion of the same
        department replaces the first, on record. ``disagree`` needs the reason."""
        serializer = OpinionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        ids = sorted(set(data["applications"]))
        if (missing := self._in_area_or_404(ids)) is not None:
            return missing
        count = services.opinion_record(
            actor=request.user, applications=ids, opinion=data["opinion"], comment=data["comment"]
        )
        return Response(
            {"department": request.user.department, "opinion": data["opinion"], "count": count}
        )

    @extend_schema(responses={200: StepRecordSerializer(many=True), 404: NOT_FOUND})
    # A timeline is a few dozen lines: one answer, not pages.
    @action(detail=True, methods=["get"], pagination_class=None)
    def records(self, request, pk=None):
        """The application's timeline (倒查追溯): every step, opinion, objection and finding, with
        who did it, in which role, when, on what evidence."""
        app = self.get_object()
        records = selectors.application_records(request.user, app.pk)
        return Response(StepRecordSerializer(records, many=True).data)
