"""Who may keep which external datasets (where: ``gongyi.scoping``; docs/policy.md §8).

The county HR bureau uploads every kind (the social-insurance lists are its own); a department's
reviewer uploads the kinds that department keeps (seed 003 §7: 民政 and 公安 the deaths, 市场监管
the business licences), and sees those kinds' versions only.
"""

from audits.datasets.enums import DatasetKind
from gongyi.enums import Department, Role

#: Open the datasets' pages at all.
VIEW_DATASETS = frozenset({Role.COUNTY, Role.REVIEWER, Role.ADMIN})
#: Upload a version: the county (every kind) and the departments' reviewers (their kinds).
UPLOAD_DATASETS = frozenset({Role.COUNTY, Role.REVIEWER})
#: Run the match of the county's people on post against the newest datasets on demand.
RUN_MATCH = frozenset({Role.COUNTY})
#: Kind → the departments whose reviewers upload it.
KIND_DEPARTMENTS: dict[str, frozenset[str]] = {
    DatasetKind.DEATHS: frozenset({Department.CIVIL_AFFAIRS, Department.PUBLIC_SECURITY}),
    DatasetKind.BUSINESS_LICENCES: frozenset({Department.MARKET_REGULATION}),
}


def kinds_for(user) -> list[str]:
    """The kinds ``user`` may see and upload (all for the county and the administrator)."""
    if user.role == Role.REVIEWER:
        return [k for k in DatasetKind.values if user.department in KIND_DEPARTMENTS.get(k, ())]
    if user.role in VIEW_DATASETS:
        return list(DatasetKind.values)
    return []


def may_upload(user, kind: str) -> bool:
    return user.role in UPLOAD_DATASETS and kind in kinds_for(user)


#: See the findings queue: the township that investigates, the county that runs the match.
VIEW_FINDINGS = frozenset({Role.CLERK, Role.COUNTY, Role.ADMIN})
#: Move a finding (investigate, confirm, dismiss): the township that keeps the placement
#: (seed 003 §7 §12: the township dismisses under the county HR bureau's guidance).
DECIDE_FINDINGS = frozenset({Role.CLERK})
