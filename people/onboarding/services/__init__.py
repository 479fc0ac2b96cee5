"""Writes of the onboarding workflow: rounds, applications and the acts of each step.

Every change of an application's state goes through ``workflow.application_transition``; the
services here gather what a step needs (a meeting, a ranking, a publicity list, a training
session, the department opinions) and then call it. One module per step of the workflow:

- ``rounds``: step 1, the recruitment round (发布公告);
- ``applications``: step 2, the application (报名申请);
- ``reviews``: step 3, the village's democratic review (民主评议), and step 4's department
  opinions (复审, 联审);
- ``publicity``: step 4's ranking and publicity (公示), objections, relative declarations;
- ``training``: step 7, pre-job training (岗前培训).

Steps 5, 6 and 8 (approval, agreement, start) are moves of the workflow alone. Callers import
the services from here: ``from people.onboarding import services``.
"""

from people.onboarding.services.applications import application_submit
from people.onboarding.services.publicity import (
    declaration_decide,
    declaration_file,
    objection_raise,
    objection_resolve,
    publicity_start,
)
from people.onboarding.services.reviews import democratic_review_record, opinion_record
from people.onboarding.services.rounds import round_close, round_create, round_publish, round_update
from people.onboarding.services.training import training_session_record

__all__ = [
    "application_submit",
    "declaration_decide",
    "declaration_file",
    "democratic_review_record",
    "objection_raise",
    "objection_resolve",
    "opinion_record",
    "publicity_start",
    "round_close",
    "round_create",
    "round_publish",
    "round_update",
    "training_session_record",
]
