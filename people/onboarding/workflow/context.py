"""What one call of the transition function knows, loaded at once for all its applications: the
department opinions, open objections, relative declarations, free places and eligibility a move's
check needs (``Transition.loads``)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count

from gongyi.audit import Change
from gongyi.policy import policy_value
from gongyi.scoping import user_region_code
from people.eligibility import eligibility
from people.enums import Outcome
from people.models import Person, RelativeDeclaration
from people.onboarding.enums import ObjectionStatus
from people.onboarding.models import Application, DepartmentOpinion, Objection
from people.onboarding.policy import REQUIRED_OPINIONS
from people.selectors import eligibility_settings, person_facts
from posts.models import Post
from posts.selectors import free_places

if TYPE_CHECKING:
    from people.onboarding.workflow.transition import Transition


@dataclass
class Context:
    """What one call knows: who acts, when, with what evidence, and what was loaded for all the
    applications at once (so that checking 5,000 takes a handful of queries, not 5,000)."""

    actor: Any
    today: dt.date
    to: str
    comment: str
    evidence: str
    data: dict[str, Any]
    per_application: dict[int, dict[str, Any]]
    opinions: dict[int, Counter] = field(default_factory=dict)
    open_objections: set[int] = field(default_factory=set)
    declarations: dict[int, list[str]] = field(default_factory=dict)
    #: post id → places still free for approval (headcount − on post − approved and not started)
    free_places: dict[int, int] = field(default_factory=dict)
    required_opinions: int = 0
    posts: dict[int, Post] = field(default_factory=dict)
    ineligible: dict[int, str] = field(default_factory=dict)
    #: audit entries a move adds besides its own (the placement, the person's count)
    extra_changes: list[Change] = field(default_factory=list)

    def value(self, application: Application, key: str, default: Any = None) -> Any:
        own = self.per_application.get(application.pk, {})
        return own[key] if key in own else self.data.get(key, default)


def _load(ctx: Context, transitions: set[Transition], apps: list[Application]) -> None:
    loads = {name for t in transitions for name in t.loads}
    ids = [a.pk for a in apps]
    if "opinions" in loads:
        ctx.required_opinions = policy_value(
            user_region_code(ctx.actor), REQUIRED_OPINIONS, ctx.today
        )
        for app_id, opinion, n in (
            DepartmentOpinion.objects.filter(application_id__in=ids)
            .values_list("application_id", "opinion")
            .annotate(n=Count("pk"))
        ):
            ctx.opinions.setdefault(app_id, Counter())[opinion] = n
    if "objections" in loads:
        ctx.open_objections = set(
            Objection.objects.filter(
                application_id__in=ids, status=ObjectionStatus.OPEN
            ).values_list("application_id", flat=True)
        )
    if "declarations" in loads:
        people = {a.person_id for a in apps}
        for person_id, status in RelativeDeclaration.objects.filter(
            person_id__in=people
        ).values_list("person_id", "status"):
            ctx.declarations.setdefault(person_id, []).append(status)
    if "places" in loads:
        # Two approvals of the same post at the same moment queue up on the post's row lock,
        # so the places counted here are the places left after the other one committed.
        post_ids = sorted({a.post_id for a in apps})
        posts = list(Post.objects.select_for_update().filter(pk__in=post_ids).order_by("pk"))
        ctx.posts = {p.pk: p for p in posts}
        ctx.free_places = free_places(posts)
    if "eligibility" in loads:
        # Checked again at approval (前置比对, seed 003 §7): a person may have started on
        # another post, or passed the age limit, since applying.
        settings = eligibility_settings(user_region_code(ctx.actor), ctx.today)
        facts = person_facts(Person.objects.filter(pk__in={a.person_id for a in apps}), ctx.today)
        for app in apps:
            verdict = eligibility(facts[app.person_id], app.post.area_kind, ctx.today, settings)
            failed = [r.reason for r in verdict.rules if r.outcome == Outcome.FAIL]
            if failed:
                ctx.ineligible[app.pk] = "；".join(str(r) for r in failed)
