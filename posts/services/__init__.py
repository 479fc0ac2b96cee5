"""Every write to the post catalogue and the annual plans, by concern: a post's data checks
(``checks``), pay against the minimum wage (``pay``), the posts and standard names
(``catalogue``), a post's status table and its one transition (``status``), the plans
(``plans``), the minimum wages and subsidy standards (``wages``). Each write runs in one
transaction and puts its change on the audit trail; refusals are ``DomainError`` with the
message shown as it is."""

from posts.services.catalogue import post_create, post_type_create, post_update
from posts.services.checks import (
    FIXED_AFTER_PUBLISH,
    MAX_AMOUNT,
    MAX_HEADCOUNT,
    POST_FIELDS,
    PostPlace,
    _normalise,
    post_errors,
    post_place_check,
    post_type_check,
    snapshot_data,
)
from posts.services.pay import monthly_pay, no_minimum_wage_message, pay_errors, pay_rules
from posts.services.plans import MAX_TARGET, plan_allocate, plan_save
from posts.services.status import (
    POST_TRANSITIONS,
    STATUS_FIELDS,
    _status_follows_places,
    post_allowed_transitions,
    post_occupancy_change,
    post_transition,
)
from posts.services.wages import (
    minimum_wage_create,
    minimum_wage_in_force,
    subsidy_standard_create,
)

__all__ = [
    "FIXED_AFTER_PUBLISH",
    "MAX_AMOUNT",
    "MAX_HEADCOUNT",
    "MAX_TARGET",
    "POST_FIELDS",
    "POST_TRANSITIONS",
    "STATUS_FIELDS",
    "PostPlace",
    "_normalise",
    "_status_follows_places",
    "minimum_wage_create",
    "minimum_wage_in_force",
    "monthly_pay",
    "no_minimum_wage_message",
    "pay_errors",
    "pay_rules",
    "plan_allocate",
    "plan_save",
    "post_allowed_transitions",
    "post_create",
    "post_errors",
    "post_occupancy_change",
    "post_place_check",
    "post_transition",
    "post_type_check",
    "post_type_create",
    "post_update",
    "snapshot_data",
    "subsidy_standard_create",
]
