"""The onboarding workflow: recruitment rounds, applications and every step's record.

An application's ``state`` says where it stands (``enums.ApplicationState``); only
``workflow.application_transition`` changes it, and each change writes a ``StepRecord`` (who,
when, evidence, comment) and an audit entry, so that every placement can be traced back
(倒查追溯, docs/policy.md §6).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongyi.models import Region, User
from people.models import Person, Placement, RelativeDeclaration
from people.onboarding.enums import (
    CLOSED_STATES,
    REVIEWED_ONWARD,
    AgreementKind,
    ApplicationState,
    ObjectionStatus,
    Opinion,
    RecordKind,
    RoundStatus,
)
from posts.models import Post


class Round(models.Model):
    """A township's recruitment round (招聘公告, step 1): which posts, how many places, who may
    apply, the application window and where to apply."""

    township = models.ForeignKey(
        Region, verbose_name=_("township"), on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("region code"), max_length=12, editable=False)
    title = models.CharField(_("title"), max_length=100)
    who_may_apply = models.TextField(_("who may apply"))
    opens_on = models.DateField(_("applications open"))
    closes_on = models.DateField(_("applications close"))
    apply_at = models.CharField(_("where to apply"), max_length=200)
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    posts = models.ManyToManyField(Post, through="RoundPost", related_name="rounds")
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    scope_code_field = "region_code"

    class Meta:
        verbose_name = _("recruitment round")
        verbose_name_plural = _("recruitment rounds")
        ordering = ["-opens_on", "-id"]
        indexes = [models.Index(fields=["region_code", "status"], name="round_region_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="round_window_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RoundPost(models.Model):
    """A post offered in a round, with the number of places the round fills."""

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="round_posts"
    )
    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.PROTECT, related_name="round_posts"
    )
    places = models.PositiveIntegerField(_("places"))

    scope_code_field = "round__region_code"

    class Meta:
        verbose_name = _("post in a round")
        verbose_name_plural = _("posts in a round")
        ordering = ["round", "post__title", "post_id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "post"], name="round_post_once"),
            models.CheckConstraint(condition=Q(places__gte=1), name="round_post_places_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.post} × {self.places}"


class DemocraticReview(models.Model):
    """A village's democratic review meeting (民主评议, step 3): when, who came, the minutes."""

    village = models.ForeignKey(
        Region, verbose_name=_("village or community"), on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("region code"), max_length=12, editable=False)
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    attendance = models.PositiveIntegerField(_("people attending"))
    minutes = models.TextField(_("minutes"))
    minutes_file = models.FileField(
        _("minutes (scan)"), upload_to="onboarding/minutes/", max_length=200, blank=True
    )
    created_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    scope_code_field = "region_code"
    scope_reviewer_path = "applications"

    class Meta:
        verbose_name = _("democratic review")
        verbose_name_plural = _("democratic reviews")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.village.name} {self.held_on}"


class Publicity(models.Model):
    """One village's publicity list for a period (审核公示, step 4; docs/policy.md §6 and §9)."""

    village = models.ForeignKey(
        Region, verbose_name=_("village or community"), on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("region code"), max_length=12, editable=False)
    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="publicities"
    )
    starts_on = models.DateField(_("publicity starts"))
    ends_on = models.DateField(_("publicity ends"))
    working_days = models.PositiveSmallIntegerField(_("working days"))
    created_by = models.ForeignKey(
        User, verbose_name=_("started by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    scope_code_field = "region_code"
    scope_reviewer_path = "applications"

    class Meta:
        verbose_name = _("publicity")
        verbose_name_plural = _("publicities")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return f"{self.village.name} {self.starts_on}–{self.ends_on}"


class Application(models.Model):
    """A person's application for a post in a round, from 报名申请 to 安排上岗.

    ``eligibility`` keeps the verdict as it was when the person applied (``people.eligibility``),
    with every rule and reason. The agreement's fields are filled at step 6 and the placement at
    step 8.
    """

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="applications"
    )
    post = models.ForeignKey(
        Post, verbose_name=_("post"), on_delete=models.PROTECT, related_name="applications"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="applications"
    )
    #: The applicant's village (or township): the village reviews and publicises its own people.
    region_code = models.CharField(_("region code"), max_length=12, editable=False)
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=ApplicationState.choices,
        default=ApplicationState.APPLIED,
    )
    state_changed_at = models.DateTimeField(_("state changed"))
    applied_on = models.DateField(_("applied on"))
    eligibility = models.JSONField(_("eligibility when applying"))
    declaration = models.ForeignKey(
        RelativeDeclaration,
        verbose_name=_("relative declaration"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rejected_reason = models.TextField(_("reason not passed"), blank=True)
    rejected_state = models.CharField(
        _("not passed at"), max_length=16, choices=ApplicationState.choices, blank=True
    )
    democratic_review = models.ForeignKey(
        DemocraticReview,
        verbose_name=_("democratic review"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    votes_for = models.PositiveIntegerField(_("votes for"), null=True, blank=True)
    rank = models.PositiveIntegerField(_("priority position"), null=True, blank=True)
    publicity = models.ForeignKey(
        Publicity,
        verbose_name=_("publicity"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    agreement_kind = models.CharField(
        _("agreement"), max_length=20, choices=AgreementKind.choices, blank=True
    )
    agreement_number = models.CharField(_("agreement number"), max_length=40, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    term_start = models.DateField(_("term starts"), null=True, blank=True)
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    placement = models.OneToOneField(
        Placement,
        verbose_name=_("placement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="application",
    )
    created_by = models.ForeignKey(
        User, verbose_name=_("entered by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("entered"), auto_now_add=True)

    scope_code_field = "region_code"
    scope_reviewer_path = ""
    #: A department reviewer reads an application that reached the re-review, ended or not.
    scope_reviewer_condition = Q(state__in=sorted(REVIEWED_ONWARD)) | Q(
        state__in=[ApplicationState.REJECTED, ApplicationState.WITHDRAWN],
        rejected_state__in=sorted(REVIEWED_ONWARD),
    )

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-id"]
        indexes = [
            # The queues: applications of an area in a state, newest first.
            models.Index(
                fields=["state", "region_code", "id"],
                name="application_queue_idx",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "int8_ops"],
            ),
            models.Index(fields=["round", "state"], name="application_round_idx"),
            models.Index(fields=["post", "state"], name="application_post_idx"),
        ]
        constraints = [
            # One application in progress per person: nobody applies twice, or for two posts.
            models.UniqueConstraint(
                fields=["person"],
                condition=~Q(state__in=sorted(s.value for s in CLOSED_STATES)),
                name="application_one_open_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} → {self.post.title}"


class StepRecord(models.Model):
    """One thing that happened to an application: a step taken, an opinion, an objection.

    Append-only, like the audit trail it duplicates in the application's terms: the timeline
    page and the trace report read these rows (倒查追溯, seed 003 §6).
    """

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.PROTECT, related_name="records"
    )
    region_code = models.CharField(_("region code"), max_length=12, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=RecordKind.choices)
    from_state = models.CharField(
        _("from"), max_length=16, choices=ApplicationState.choices, blank=True
    )
    to_state = models.CharField(_("to"), max_length=16, choices=ApplicationState.choices)
    actor = models.ForeignKey(
        User, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    actor_role = models.CharField(_("role"), max_length=16)
    at = models.DateTimeField(_("time"))
    evidence = models.CharField(_("evidence"), max_length=300, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    scope_code_field = "region_code"
    scope_reviewer_path = "application"

    class Meta:
        verbose_name = _("step record")
        verbose_name_plural = _("step records")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["application", "at"], name="step_record_app_idx")]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_state}→{self.to_state}"


class DepartmentOpinion(models.Model):
    """A department's opinion in the county's joint re-review (联审, seed 003 §5)."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="opinions",
    )
    department = models.CharField(_("department"), max_length=32)
    opinion = models.CharField(_("opinion"), max_length=12, choices=Opinion.choices)
    comment = models.TextField(_("comment"), blank=True)
    reviewer = models.ForeignKey(
        User, verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("time"))

    scope_code_field = "application__region_code"
    scope_reviewer_path = "application"

    class Meta:
        verbose_name = _("department opinion")
        verbose_name_plural = _("department opinions")
        ordering = ["application", "department"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "department"], name="opinion_once_per_department"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department}: {self.opinion}"


class Objection(models.Model):
    """An objection raised during publicity, and the township's finding (seed 003 §6)."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    raised_on = models.DateField(_("raised on"))
    raised_by = models.CharField(_("raised by"), max_length=50, blank=True)
    content = models.TextField(_("objection"))
    status = models.CharField(
        _("status"), max_length=12, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN
    )
    finding = models.TextField(_("finding"), blank=True)
    found_on = models.DateField(_("finding published on"), null=True, blank=True)
    received_by = models.ForeignKey(
        User, verbose_name=_("received by"), on_delete=models.PROTECT, related_name="+"
    )
    found_by = models.ForeignKey(
        User,
        verbose_name=_("finding by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    scope_code_field = "application__region_code"
    scope_reviewer_path = "application"

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["raised_on", "id"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.get_status_display()}"


class TrainingSession(models.Model):
    """A pre-job training session (岗前培训, step 7) and who attended it."""

    township = models.ForeignKey(
        Region, verbose_name=_("township"), on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("region code"), max_length=12, editable=False)
    held_on = models.DateField(_("held on"))
    topic = models.CharField(_("topic"), max_length=200)
    place = models.CharField(_("place"), max_length=100)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    trainer = models.CharField(_("trainer"), max_length=50, blank=True)
    attendees = models.ManyToManyField(
        Application, through="TrainingAttendance", related_name="training_sessions"
    )
    created_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    scope_code_field = "region_code"

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.topic} {self.held_on}"


class TrainingAttendance(models.Model):
    session = models.ForeignKey(
        TrainingSession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="+"
    )
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.PROTECT, related_name="+"
    )
    present = models.BooleanField(_("present"), default=False)

    scope_code_field = "session__region_code"
    scope_reviewer_path = "application"

    class Meta:
        verbose_name = _("training attendance")
        verbose_name_plural = _("training attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "application"], name="attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.application_id}"


class RankingRecord(models.Model):
    """The priority ranking that decided who was proposed for a post's places, kept with its
    reasons (docs/policy.md §3)."""

    round_post = models.ForeignKey(
        RoundPost, verbose_name=_("post in a round"), on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("region code"), max_length=12, editable=False)
    made_on = models.DateField(_("ranked on"))
    places = models.PositiveIntegerField(_("places"))
    rows = models.JSONField(_("ranking"))
    made_by = models.ForeignKey(
        User, verbose_name=_("ranked by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    scope_code_field = "region_code"

    class Meta:
        verbose_name = _("ranking record")
        verbose_name_plural = _("ranking records")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.round_post} {self.made_on}"
