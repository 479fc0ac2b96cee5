"""Choices of the onboarding workflow (docs/policy.md §6; docs/glossary.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OnboardingStep(models.IntegerChoices):
    """The eight steps of seed 001 §二(三) and seed 003 §6, in their order."""

    ANNOUNCEMENT = 1, _("Announcement")
    APPLICATION = 2, _("Application")
    DEMOCRATIC_REVIEW = 3, _("Democratic review")
    PUBLICITY = 4, _("Review and publicity")
    COUNTY_APPROVAL = 5, _("County approval")
    AGREEMENT = 6, _("Agreement")
    TRAINING = 7, _("Pre-job training")
    START = 8, _("Start")


class ApplicationState(models.TextChoices):
    """Where an application stands. Each state belongs to one step (``STEP_OF``); the initial
    review (初审) is part of step 2 and the re-review (复审) part of step 4 (docs/policy.md §6)."""

    APPLIED = "applied", _("Applied, awaiting initial review")
    INITIAL_PASSED = "initial_passed", _("Initial review passed, awaiting democratic review")
    REVIEWED = "reviewed", _("Democratic review passed, awaiting re-review")
    REREVIEW_PASSED = "rereview_passed", _("Re-review passed, awaiting publicity")
    WAITLISTED = "waitlisted", _("Qualified, waiting for a place")
    PUBLICITY = "publicity", _("In publicity")
    APPROVED = "approved", _("Approved by the county")
    AGREED = "agreed", _("Agreement signed")
    TRAINED = "trained", _("Trained")
    STARTED = "started", _("On post")
    REJECTED = "rejected", _("Not passed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = ApplicationState
STEP_OF = {
    S.APPLIED: OnboardingStep.APPLICATION,
    S.INITIAL_PASSED: OnboardingStep.APPLICATION,
    S.REVIEWED: OnboardingStep.DEMOCRATIC_REVIEW,
    S.REREVIEW_PASSED: OnboardingStep.PUBLICITY,
    S.WAITLISTED: OnboardingStep.PUBLICITY,
    S.PUBLICITY: OnboardingStep.PUBLICITY,
    S.APPROVED: OnboardingStep.COUNTY_APPROVAL,
    S.AGREED: OnboardingStep.AGREEMENT,
    S.TRAINED: OnboardingStep.TRAINING,
    S.STARTED: OnboardingStep.START,
}
#: An application in one of these has ended; a person may apply again.
CLOSED_STATES = frozenset({S.STARTED, S.REJECTED, S.WITHDRAWN})
#: Approved but not yet on post: these hold a place of the post (with the people on it).
HOLDING_STATES = frozenset({S.APPROVED, S.AGREED, S.TRAINED})
#: At or past the re-review (复审, RULES.md §6): what the departments review, and so the
#: applications, and the people, a department reviewer reads (``gongyi.scoping``).
REVIEWED_ONWARD = frozenset(
    {
        S.REVIEWED,
        S.REREVIEW_PASSED,
        S.WAITLISTED,
        S.PUBLICITY,
        S.APPROVED,
        S.AGREED,
        S.TRAINED,
        S.STARTED,
    }
)
#: The board's columns, in the workflow's order.
BOARD_STATES = [s for s in S if s not in (S.REJECTED, S.WITHDRAWN)] + [S.REJECTED, S.WITHDRAWN]


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


class RecordKind(models.TextChoices):
    """What a step record records: a change of state, or an act that does not change it."""

    TRANSITION = "transition", _("Step")
    OPINION = "opinion", _("Department opinion")
    OBJECTION = "objection", _("Objection raised")
    FINDING = "finding", _("Objection finding")
    DECLARATION = "declaration", _("Relative declaration decided")
    TRAINING = "training", _("Training attended")


class Opinion(models.TextChoices):
    AGREE = "agree", _("Agrees")
    DISAGREE = "disagree", _("Disagrees")


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Under investigation")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Not upheld")


class AgreementKind(models.TextChoices):
    """Rural posts sign a service agreement, urban posts a labour contract."""

    SERVICE_AGREEMENT = "service_agreement", _("Service agreement")
    LABOUR_CONTRACT = "labour_contract", _("Labour contract")
