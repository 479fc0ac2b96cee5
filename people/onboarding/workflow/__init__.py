"""The one transition function of the onboarding workflow and its table (docs/policy.md §6).

``TRANSITIONS`` lists every allowed move ``(from state, to state)`` with the roles that may make
it, the check it needs and what it records. ``application_transition`` is the only code that
changes ``Application.state``: it locks the applications (and, for approval, their posts), checks
every one, and then either moves all of them, each with a ``StepRecord`` and an audit entry, or
none, with one message per application that cannot move. Pages, the API, bulk actions and the
step services (democratic review, publicity, training, start) all come through here.

The order is the seeds' (seed 001 §二(三), seed 003 §6): 发布公告 → 报名申请 (初审) → 民主评议 →
审核公示 (复审, 公示) → 县级审批 → 协议签订 → 岗前培训 → 安排上岗. There is no move backwards
and none that skips a step: a move that is not in the table is refused, with the next step said.

One home each: ``transition`` holds the table and the function, ``steps`` each move's check and
what it records, ``context`` what one call loads for all its applications, ``save`` how the
moved rows are written. Callers import from here: ``from people.onboarding.workflow import
application_transition``.
"""

from people.onboarding.workflow.transition import (
    TRANSITIONS,
    Transition,
    TransitionRefused,
    allowed_transitions,
    application_transition,
    refusal,
)

__all__ = [
    "TRANSITIONS",
    "Transition",
    "TransitionRefused",
    "allowed_transitions",
    "application_transition",
    "refusal",
]
