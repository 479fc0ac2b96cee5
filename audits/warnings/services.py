"""Warnings' writes (docs/policy.md §8, "Warnings"): the daily refresh of each county's list, and
the advance notice recorded as given."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audits.models import ExpiryWarning
from audits.warnings.enums import PERSON_KINDS
from audits.warnings.policy import WARNING_DAYS
from audits.warnings.roles import GIVE_NOTICES
from gongyi.audit import Change, audit_record_many
from gongyi.enums import AuditAction
from gongyi.errors import DomainError
from gongyi.policy import policy_values
from gongyi.roles import require_role
from gongyi.scoping import scope_queryset
from people.policy import RURAL_AGE_CEILING, RURAL_MAX_AGE
from posts.policy import VACANT_DAYS

# Everything due in one county, as it stands today: the open placements' subsidy ends, the
# statutory retirement dates of people on urban posts (rural posts take people past it, up to
# their own age limit: docs/policy.md §2), the day a person on a rural post passes the age
# limit (the birthday after the oldest age), and the day a post's free places pass the vacancy
# limit. Then, in the same statement: what is due within the horizon (a vacancy once past its
# limit) is listed once (``warning_once``; one dealt with and due again is listed again), and
# what is listed but no longer due — the
# placement ended, the post filled or closed, the date moved — is marked dealt with.
REFRESH_SQL = """
WITH open_placement AS (
    SELECT p.id AS placement_id, p.person_id, p.post_id, p.region_code, p.subsidy_end,
           person.retirement_date, person.birth_date, post.area_kind
    FROM people_placement p
    JOIN people_person person ON person.id = p.person_id
    JOIN posts_post post ON post.id = p.post_id
    WHERE p.end_date IS NULL AND p.region_code LIKE %(county)s
),
due AS (
    SELECT 'subsidy_end' AS kind, placement_id, person_id, post_id, region_code,
           subsidy_end AS due_on
    FROM open_placement WHERE subsidy_end IS NOT NULL
    UNION ALL
    SELECT 'retirement', placement_id, person_id, post_id, region_code, retirement_date
    FROM open_placement WHERE area_kind = 'urban'
    UNION ALL
    SELECT 'age_limit', placement_id, person_id, post_id, region_code,
           (birth_date + make_interval(years => %(age_limit)s + 1))::date
    FROM open_placement WHERE area_kind = 'rural'
    UNION ALL
    SELECT 'post_vacant', NULL, NULL, post.id, post.region_code,
           post.vacant_since + %(vacant_days)s
    FROM posts_post post
    WHERE post.status IN ('open', 'vacant') AND post.vacant_since IS NOT NULL
      AND post.region_code LIKE %(county)s
),
listed AS (
    INSERT INTO audits_expirywarning
        (kind, region_code, placement_id, person_id, post_id, due_on, listed_on)
    SELECT kind, region_code, placement_id, person_id, post_id, due_on, %(today)s
    FROM due
    WHERE due_on <= CASE WHEN kind = 'post_vacant' THEN %(today)s ELSE %(horizon)s END
    -- Due again after it was dealt with (a date moved back, a setting changed back): listed
    -- again, the same row.
    ON CONFLICT (kind, placement_id, post_id, due_on)
        DO UPDATE SET resolved_on = NULL WHERE audits_expirywarning.resolved_on IS NOT NULL
    RETURNING 1
),
dealt AS (
    UPDATE audits_expirywarning w SET resolved_on = %(today)s
    WHERE w.resolved_on IS NULL AND w.region_code LIKE %(county)s
      AND NOT EXISTS (
          SELECT 1 FROM due d
          WHERE d.kind = w.kind AND d.post_id = w.post_id AND d.due_on = w.due_on
            AND d.placement_id IS NOT DISTINCT FROM w.placement_id)
    RETURNING 1
)
SELECT (SELECT count(*) FROM listed), (SELECT count(*) FROM dealt)
"""


@dataclass(frozen=True)
class Refreshed:
    listed: int
    dealt_with: int


def warnings_refresh(*, county_code: str, today: dt.date | None = None) -> Refreshed:
    """List what is due in a county and mark what is dealt with (``REFRESH_SQL``), in one
    statement with the county's settings of today: run twice, or killed and run again, it lists
    nothing twice."""
    today = today or timezone.localdate()
    settings = policy_values(county_code, [WARNING_DAYS, RURAL_MAX_AGE, VACANT_DAYS], today)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            REFRESH_SQL,
            {
                "county": county_code[:6] + "%",
                "today": today,
                "horizon": today + dt.timedelta(days=settings[WARNING_DAYS]),
                "age_limit": min(settings[RURAL_MAX_AGE], RURAL_AGE_CEILING),
                "vacant_days": settings[VACANT_DAYS],
            },
        )
        listed, dealt = cursor.fetchone()
    return Refreshed(listed, dealt)


def warning_notice_record(*, actor, warning_id: int) -> ExpiryWarning:
    """Record that the advance notice of a person's warning was handed over today (seed 003 §12),
    on the audit trail. Recording it again keeps the first date."""
    require_role(actor, GIVE_NOTICES)
    with transaction.atomic():
        warning = (
            scope_queryset(actor, ExpiryWarning.objects.select_for_update())
            .filter(pk=warning_id)
            .first()
        )
        if warning is None:
            raise DomainError(_("Not found, or outside your area."))
        if warning.kind not in PERSON_KINDS:
            raise DomainError(_("An advance notice is given to a person, not for a post."))
        if warning.notified_on is not None:
            return warning
        warning.notified_on, warning.notified_by = timezone.localdate(), actor
        warning.save(update_fields=["notified_on", "notified_by"])
        audit_record_many(
            actor=actor,
            changes=[
                Change(
                    action=AuditAction.UPDATE,
                    instance=warning,
                    changes={"notified_on": [None, warning.notified_on.isoformat()]},
                    note=_("Advance notice handed to the person."),
                )
            ],
        )
        return warning
