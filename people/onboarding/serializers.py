"""The workflow's API shapes. Writes go through ``people.onboarding.services`` and state changes
through ``workflow.application_transition``; ID numbers are masked as in the registry's API
(``people.serializers``, docs/policy.md §9)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gongyi.enums import Role
from gongyi.masking import sees_in_full
from gongyi.scoping import scope_queryset
from gongyi.serializers import RefuseReadOnlyMixin, RegionCodeField
from people.models import Person
from people.onboarding.enums import (
    STEP_OF,
    ApplicationState,
    OnboardingStep,
    Opinion,
)
from people.onboarding.models import Application, Publicity, Round, RoundPost, StepRecord
from people.onboarding.workflow import allowed_transitions
from posts.models import Post

STATE_CHOICES = ApplicationState.choices


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """An id of an object in the caller's area; any other is "does not exist", as a 404 would."""

    def get_queryset(self):
        return scope_queryset(self.context["request"].user, super().get_queryset())


# --- rounds ---------------------------------------------------------------------------------------


class RoundPostSerializer(serializers.ModelSerializer):
    """A post the round offers and its places; ``post`` is an id of a post of the township."""

    post = serializers.IntegerField(source="post_id", min_value=1)
    post_title = serializers.CharField(source="post.title", read_only=True)
    area_kind = serializers.CharField(source="post.area_kind", read_only=True)
    places = serializers.IntegerField(min_value=1)

    class Meta:
        model = RoundPost
        fields = ["post", "post_title", "area_kind", "places"]


class RoundSerializer(RefuseReadOnlyMixin, serializers.ModelSerializer):
    """A recruitment round. ``township`` is the county user's choice; a clerk's round is always
    of the clerk's township. ``counts`` are the round's applications per state."""

    township = RegionCodeField(required=False, allow_null=True)
    township_name = serializers.CharField(source="township.name", read_only=True)
    posts = RoundPostSerializer(source="round_posts", many=True)
    counts = serializers.SerializerMethodField()

    class Meta:
        model = Round
        fields = [
            "id",
            "township",
            "township_name",
            "region_code",
            "title",
            "who_may_apply",
            "opens_on",
            "closes_on",
            "apply_at",
            "contact",
            "status",
            "published_on",
            "posts",
            "counts",
            "created_at",
        ]
        read_only_fields = ["region_code", "status", "published_on", "created_at"]
        extra_kwargs = {"contact": {"required": False}}

    def validate_posts(self, rows):
        ids = [row["post_id"] for row in rows]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError(_("Each post is listed once."))
        return rows

    def validate(self, attrs):
        return attrs  # the service checks everything, with the same messages as the pages

    @extend_schema_field(
        serializers.DictField(
            child=serializers.IntegerField(),
            help_text="applications of the round per state (every state, zeros included)",
        )
    )
    def get_counts(self, round_) -> dict:
        counts = getattr(round_, "state_counts", None) or {}
        return {state: counts.get(state, 0) for state in ApplicationState.values}


class RoundCloseSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


# --- applications ---------------------------------------------------------------------------------


class ApplicantSerializer(serializers.Serializer):
    """The applicant: the ID number masked in lists, and in full only to the roles that need it (``gongyi.masking``)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    id_number = serializers.CharField()
    region_code = serializers.CharField()


class PublicitySerializer(serializers.ModelSerializer):
    village = serializers.CharField(source="region_code")

    class Meta:
        model = Publicity
        fields = ["id", "village", "starts_on", "ends_on", "working_days"]


class AllowedTransitionSerializer(serializers.Serializer):
    """A move the caller may make. ``via``: the move is made only through that step's own page
    (democratic review, publicity, training), not through ``transition``."""

    to = serializers.ChoiceField(choices=STATE_CHOICES)
    label = serializers.CharField()
    needs_comment = serializers.BooleanField()
    via = serializers.CharField(allow_null=True)


class ApplicationSerializer(serializers.ModelSerializer):
    """An application with where it stands: state and step, the stored eligibility verdict, the
    rank and publicity period, the agreement, the placement and the caller's possible moves."""

    person = serializers.SerializerMethodField()
    post_title = serializers.CharField(source="post.title", read_only=True)
    round_title = serializers.CharField(source="round.title", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    step = serializers.SerializerMethodField()
    step_label = serializers.SerializerMethodField()
    publicity = PublicitySerializer(read_only=True, allow_null=True)
    allowed_transitions = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "person",
            "post",
            "post_title",
            "round",
            "round_title",
            "region_code",
            "state",
            "state_label",
            "step",
            "step_label",
            "state_changed_at",
            "applied_on",
            "eligibility",
            "rejected_reason",
            "rejected_state",
            "votes_for",
            "rank",
            "publicity",
            "agreement_kind",
            "agreement_number",
            "signed_on",
            "term_start",
            "term_end",
            "placement",
            "allowed_transitions",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ApplicantSerializer)
    def get_person(self, app) -> dict:
        person = app.person
        user = self.context["request"].user
        number = person.id_number
        if self.context.get("masked", False) or not sees_in_full(user, Person, "id_number"):
            number = self.context["masker"](number)
        return {
            "id": person.pk,
            "name": person.name,
            "id_number": number,
            "region_code": person.region_code,
        }

    @extend_schema_field(
        serializers.IntegerField(allow_null=True, help_text="1–8; none once rejected or withdrawn")
    )
    def get_step(self, app):
        step = STEP_OF.get(app.state)
        return int(step) if step is not None else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_step_label(self, app):
        step = STEP_OF.get(app.state)
        return str(OnboardingStep(step).label) if step is not None else None

    @extend_schema_field(AllowedTransitionSerializer(many=True))
    def get_allowed_transitions(self, app) -> list:
        return [
            {
                "to": t.target,
                "label": str(t.label),
                "needs_comment": t.needs_comment,
                "via": t.via,
            }
            for t in allowed_transitions(app, self.context["request"].user)
        ]


class ApplicationCreateSerializer(serializers.Serializer):
    """Enter an application (step 2): the service checks the window, the places, the person's
    eligibility and any application in progress, each a 400 on its field."""

    round = ScopedPrimaryKeyRelatedField(queryset=Round.objects.all())
    post = ScopedPrimaryKeyRelatedField(queryset=Post.objects.all())
    person = ScopedPrimaryKeyRelatedField(queryset=Person.objects.all())
    applied_on = serializers.DateField(required=False, allow_null=True)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    evidence = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


#: The data a target state takes besides comment and evidence.
TRANSITION_DATA = {
    ApplicationState.AGREED: ("signed_on", "term_start", "term_end", "agreement_number"),
    ApplicationState.STARTED: ("start_date",),
}


class TransitionSerializer(serializers.Serializer):
    """A move to ``to``. ``agreed`` takes signed_on, term_start, term_end and optionally
    agreement_number; ``started`` optionally start_date (today by default). A rejection or a
    withdrawal needs the reason in ``comment``."""

    to = serializers.ChoiceField(choices=STATE_CHOICES)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    evidence = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    signed_on = serializers.DateField(required=False, allow_null=True)
    term_start = serializers.DateField(required=False, allow_null=True)
    term_end = serializers.DateField(required=False, allow_null=True)
    agreement_number = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=40
    )
    start_date = serializers.DateField(required=False, allow_null=True)

    def step_data(self) -> dict:
        """The target's own data, without the empty values."""
        values = self.validated_data
        keys = TRANSITION_DATA.get(values["to"], ())
        return {k: values[k] for k in keys if values.get(k) not in (None, "")}


class BulkTransitionSerializer(serializers.Serializer):
    """Many applications to the same state at once (the county's bulk approval): all or none."""

    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, max_length=10000
    )
    to = serializers.ChoiceField(choices=STATE_CHOICES)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    evidence = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class BulkTransitionResultSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=STATE_CHOICES)
    count = serializers.IntegerField()
    ids = serializers.ListField(child=serializers.IntegerField())


class RefusalSerializer(serializers.Serializer):
    """A refused move: ``detail`` says why (one application) or how many cannot move;
    ``refused`` gives each application's own reason. A malformed request names instead each
    field at fault with its errors. Nothing was changed."""

    detail = serializers.CharField(required=False)
    refused = serializers.DictField(
        child=serializers.CharField(), help_text="application id → reason", required=False
    )


class OpinionRequestSerializer(serializers.Serializer):
    """The reviewer's department's opinion on applications awaiting the re-review (state
    ``reviewed``); ``disagree`` needs the reason in ``comment``."""

    applications = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, max_length=10000
    )
    opinion = serializers.ChoiceField(choices=Opinion.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class OpinionResultSerializer(serializers.Serializer):
    department = serializers.CharField()
    opinion = serializers.ChoiceField(choices=Opinion.choices)
    count = serializers.IntegerField()


class StepRecordSerializer(serializers.ModelSerializer):
    """One line of the timeline: who, in which role, when, what, on what evidence."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    from_label = serializers.SerializerMethodField()
    to_label = serializers.CharField(source="get_to_state_display", read_only=True)
    actor_name = serializers.CharField(source="actor.__str__", read_only=True)
    actor_role_label = serializers.SerializerMethodField()

    class Meta:
        model = StepRecord
        fields = [
            "id",
            "kind",
            "kind_label",
            "from_state",
            "from_label",
            "to_state",
            "to_label",
            "actor",
            "actor_name",
            "actor_role",
            "actor_role_label",
            "at",
            "evidence",
            "comment",
            "data",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_from_label(self, record):
        return str(ApplicationState(record.from_state).label) if record.from_state else None

    @extend_schema_field(serializers.CharField())
    def get_actor_role_label(self, record) -> str:
        return str(Role(record.actor_role).label) if record.actor_role in Role.values else ""
