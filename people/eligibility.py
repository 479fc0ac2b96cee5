"""Who may be placed on a post, explained (docs/policy.md §2; seed 001 §二(一); seed
003 §9 §19), and the priority order among those who may (docs/policy.md §3; seed 003 §8).

Pure functions of plain facts: no database. ``people.selectors.person_facts`` reads the facts of
any number of people in a fixed number of queries; ``people.selectors.eligible_people`` is the
same rules as a queryset filter for search, and a test holds the two to the same answers.

Every rule checked is in the verdict, with its outcome and the reason in Chinese:

- ``target_group``: one of the person's groups serves posts of that kind (urban, rural), and the
  group's age condition holds (农村大龄人员 from 45 to the rural limit; 城镇大龄失业人员 women from
  45 and men from 55, up to the statutory retirement date); all ages are county settings.
- ``age``: rural posts 16 to 65 by default (a county may go up to 70, never past); urban posts 16
  to the statutory retirement date, with an optional number of months that must be left.
- ``placements``: at most 2 in a lifetime; a second one only for the groups of seed 003 §19
  (older people, zero-employment households, severe disability, poverty-alleviated).
- ``subsidy_months``: the months of subsidy already used, against the lifetime total.
- ``on_post``: not on a post now.
- ``declaration``: a declared relative who is an official or cadre needs the township's decision
  and the county's filing before placement (seed 003 §9): "needs action" until then, "not met"
  if refused.
- ``external_data``: the pre-placement check (前置比对, docs/policy.md §8; seed 003 §5 §7): a
  hit in another department's newest list (deaths, pension, contributions as an employee, a
  business licence, the fiscal payroll) "needs action" — the township checks it, with the list,
  its date and the row as evidence — never "not met" by itself: the same fact of someone on a
  post is a finding the township investigates before anything follows (§8). Present only where
  a check is registered (``people.external_checks``; ``audits`` registers it), so the rule never
  changes who is eligible, only who is ready.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from people.enums import SEVERE_GRADES, AgeCondition, DeclarationStatus, Outcome, Sex
from people.policy import (
    MAX_PLACEMENTS,
    RURAL_AGE_CEILING,
    RURAL_MAX_AGE,
    RURAL_MIN_AGE,
    RURAL_OLDER_MIN_AGE,
    SUBSIDY_MONTHS_PER_PLACEMENT,
    URBAN_MIN_MONTHS_LEFT,
    URBAN_OLDER_MEN_MIN_AGE,
    URBAN_OLDER_WOMEN_MIN_AGE,
    YOUNG_MAX_AGE,
)
from posts.enums import AreaKind

#: The youngest working age (劳动法第十五条), the same everywhere: not a setting.
MIN_WORKING_AGE = 16


@dataclass(frozen=True)
class GroupFacts:
    code: str
    name: str
    area: str  # people.enums.GroupArea
    age_condition: str
    priority: int | None
    may_be_placed_again: bool
    recognised_on: dt.date | None


@dataclass(frozen=True)
class ExternalHit:
    """One row of another department's list that concerns the person (the evidence)."""

    kind: str  # the dataset's kind (audits.datasets.enums.DatasetKind)
    source: str  # the list's name, as shown
    as_of: dt.date  # the day the version's data describe
    line: int  # the row in the uploaded file
    facts: str  # what the row says, as shown

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "source": self.source,
            "as_of": self.as_of.isoformat(),
            "line": self.line,
            "facts": self.facts,
        }


@dataclass(frozen=True)
class ExternalCheck:
    """What the newest lists say of one person: the lists consulted (name and date, as shown),
    and the hits among their rows."""

    sources: tuple[str, ...] = ()
    hits: tuple[ExternalHit, ...] = ()


@dataclass(frozen=True)
class PersonFacts:
    """What the rules read about one person."""

    person_id: int
    id_number: str
    name: str
    sex: str
    birth_date: dt.date
    retirement_date: dt.date
    groups: tuple[GroupFacts, ...] = ()
    placements_used: int = 0
    subsidy_months_used: int = 0
    on_post: bool = False
    declarations: tuple[str, ...] = ()  # the status of each relative declaration
    dibao_family: bool = False
    zero_employment_family: bool = False
    disability_grade: int | None = None
    #: The pre-placement check's result; None where no check is registered (no such rule).
    external: ExternalCheck | None = None


@dataclass(frozen=True)
class RuleResult:
    code: str
    label: str
    outcome: str  # people.enums.Outcome
    reason: str
    evidence: tuple[ExternalHit, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "code": self.code,
            "label": self.label,
            "outcome": str(self.outcome),
            "reason": self.reason,
        }
        if self.evidence:
            result["evidence"] = [hit.as_dict() for hit in self.evidence]
        return result


@dataclass(frozen=True)
class Verdict:
    area_kind: str
    on: dt.date
    rules: tuple[RuleResult, ...]
    groups: tuple[GroupFacts, ...] = field(default=())  # the groups that qualify

    @property
    def eligible(self) -> bool:
        """No rule failed: the person may apply."""
        return all(r.outcome != Outcome.FAIL for r in self.rules)

    @property
    def ready(self) -> bool:
        """Nothing is left to do before placement either."""
        return all(r.outcome == Outcome.PASS for r in self.rules)

    def as_dict(self) -> dict[str, Any]:
        return {
            "area_kind": self.area_kind,
            "on": self.on.isoformat(),
            "eligible": self.eligible,
            "ready": self.ready,
            "groups": [g.code for g in self.groups],
            "rules": [r.as_dict() for r in self.rules],
        }


def verdict_lines(verdict: dict[str, Any]) -> list[str]:
    """A stored verdict (``Verdict.as_dict``) as the application page reads it: each rule, met or
    not, and why."""
    outcomes = dict(Outcome.choices)
    return [
        f"{rule['label']}：{outcomes.get(rule['outcome'], rule['outcome'])}"
        + (f"（{rule['reason']}）" if rule.get("reason") else "")
        for rule in verdict.get("rules", [])
    ]


def age_on(birth: dt.date, on: dt.date) -> int:
    """Age in whole years on a day (a person born on 29 February turns a year older on 1 March)."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def years_before(on: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier (28 February for a 29th in a year that has none)."""
    year = on.year - years
    return on.replace(year=year, day=min(on.day, calendar.monthrange(year, on.month)[1]))


def add_months(on: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day where it is shorter)."""
    index = on.year * 12 + on.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(on.day, calendar.monthrange(year, month + 1)[1]))


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` (negative if ``end`` is earlier)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (end.day < start.day)


def group_age_problem(
    group: GroupFacts, facts: PersonFacts, on: dt.date, settings: dict[str, Any]
) -> str | None:
    """Why the group's own age condition does not hold, or None if it does (or has none)."""
    age = age_on(facts.birth_date, on)
    if group.age_condition == AgeCondition.RURAL_OLDER:
        low, high = settings[RURAL_OLDER_MIN_AGE], settings[RURAL_MAX_AGE]
        if not low <= age <= high:
            return _("%(group)s are %(low)s to %(high)s years old; this person is %(age)s.") % {
                "group": group.name,
                "low": low,
                "high": high,
                "age": age,
            }
    elif group.age_condition == AgeCondition.URBAN_OLDER:
        low = settings[
            URBAN_OLDER_WOMEN_MIN_AGE if facts.sex == Sex.FEMALE else URBAN_OLDER_MEN_MIN_AGE
        ]
        if age < low:
            return _("%(group)s are %(sex)s from %(low)s years old; this person is %(age)s.") % {
                "group": group.name,
                "sex": _("women") if facts.sex == Sex.FEMALE else _("men"),
                "low": low,
                "age": age,
            }
        if on >= facts.retirement_date:
            return _("%(group)s are counted up to the statutory retirement date %(date)s.") % {
                "group": group.name,
                "date": facts.retirement_date.isoformat(),
            }
    elif group.age_condition == AgeCondition.YOUNG:
        high = settings[YOUNG_MAX_AGE]
        if not MIN_WORKING_AGE <= age <= high:
            return _("%(group)s are %(low)s to %(high)s years old; this person is %(age)s.") % {
                "group": group.name,
                "low": MIN_WORKING_AGE,
                "high": high,
                "age": age,
            }
    return None


def _target_group(facts, area_kind, on, settings) -> tuple[RuleResult, tuple[GroupFacts, ...]]:
    label = _("Target group")
    kind = AreaKind(area_kind).label
    qualifying, problems = [], []
    for group in facts.groups:
        if group.recognised_on and group.recognised_on > on:
            problems.append(
                _("%(group)s is recognised only from %(date)s.")
                % {"group": group.name, "date": group.recognised_on.isoformat()}
            )
            continue
        if group.area not in ("both", area_kind):
            problems.append(
                _("%(group)s is not a group for %(kind)s posts.")
                % {"group": group.name, "kind": kind}
            )
            continue
        problem = group_age_problem(group, facts, on, settings)
        if problem:
            problems.append(problem)
        else:
            qualifying.append(group)
    if qualifying:
        reason = _("Belongs to: %(groups)s.") % {"groups": "、".join(g.name for g in qualifying)}
        return RuleResult("target_group", label, Outcome.PASS, reason), tuple(qualifying)
    if not facts.groups:
        reason = _("No target group is recorded for this person.")
    else:
        reason = " ".join(problems)
    reason = _("Not in a target group for %(kind)s posts. %(why)s") % {"kind": kind, "why": reason}
    return RuleResult("target_group", label, Outcome.FAIL, reason), ()


def _age(facts, area_kind, on, settings) -> RuleResult:
    label = _("Age")
    age = age_on(facts.birth_date, on)
    if area_kind == AreaKind.RURAL:
        low = max(settings[RURAL_MIN_AGE], MIN_WORKING_AGE)
        high = min(settings[RURAL_MAX_AGE], RURAL_AGE_CEILING)
        ok = low <= age <= high
        reason = _(
            "Rural posts take people from %(low)s to %(high)s years old; this person is %(age)s."
        ) % {
            "low": low,
            "high": high,
            "age": age,
        }
        return RuleResult("age", label, Outcome.PASS if ok else Outcome.FAIL, reason)
    retires = facts.retirement_date.isoformat()
    if age < MIN_WORKING_AGE:
        reason = _("Under the working age of %(low)s; this person is %(age)s.") % {
            "low": MIN_WORKING_AGE,
            "age": age,
        }
        return RuleResult("age", label, Outcome.FAIL, reason)
    left = months_between(on, facts.retirement_date)
    if on >= facts.retirement_date:
        reason = _("Reached the statutory retirement date on %(date)s.") % {"date": retires}
        return RuleResult("age", label, Outcome.FAIL, reason)
    needed = settings[URBAN_MIN_MONTHS_LEFT]
    if needed and facts.retirement_date < add_months(on, needed):
        reason = _(
            "Urban posts need %(needed)s months before retirement; %(left)s are left (retires "
            "%(date)s)."
        ) % {"needed": needed, "left": left, "date": retires}
        return RuleResult("age", label, Outcome.FAIL, reason)
    reason = _("%(age)s years old; statutory retirement date %(date)s.") % {
        "age": age,
        "date": retires,
    }
    return RuleResult("age", label, Outcome.PASS, reason)


def _placements(facts, qualifying, settings) -> RuleResult:
    label = _("Placements so far")
    most = min(settings[MAX_PLACEMENTS], 2)
    used = facts.placements_used
    if used >= most:
        reason = _("Placed %(used)s times; at most %(most)s in a lifetime.") % {
            "used": used,
            "most": most,
        }
        return RuleResult("placements", label, Outcome.FAIL, reason)
    if used >= 1:
        again = [g.name for g in qualifying if g.may_be_placed_again]
        if facts.disability_grade in SEVERE_GRADES:
            again.append(_("severe disability"))
        if not again:
            reason = _(
                "Placed once already; a second placement is only for older people, "
                "zero-employment households, people with severe disability and the "
                "poverty-alleviated (seed 003 §19)."
            )
            return RuleResult("placements", label, Outcome.FAIL, reason)
        reason = _("Placed once already; may be placed again as %(why)s.") % {
            "why": "、".join(again)
        }
        return RuleResult("placements", label, Outcome.PASS, reason)
    return RuleResult("placements", label, Outcome.PASS, _("Never placed before."))


def _subsidy_months(facts, settings) -> RuleResult:
    label = _("Subsidy months so far")
    total = min(settings[MAX_PLACEMENTS], 2) * settings[SUBSIDY_MONTHS_PER_PLACEMENT]
    used = facts.subsidy_months_used
    ok = used < total
    reason = _("%(used)s months of subsidy used of %(total)s in a lifetime.") % {
        "used": used,
        "total": total,
    }
    return RuleResult("subsidy_months", label, Outcome.PASS if ok else Outcome.FAIL, reason)


def _on_post(facts) -> RuleResult:
    label = _("Not on a post")
    if facts.on_post:
        return RuleResult("on_post", label, Outcome.FAIL, _("On a post now."))
    return RuleResult("on_post", label, Outcome.PASS, _("Not on a post now."))


def _declaration(facts) -> RuleResult:
    label = _("Relative declaration")
    statuses = set(facts.declarations) - {DeclarationStatus.WITHDRAWN}
    if not statuses:
        return RuleResult("declaration", label, Outcome.PASS, _("No relative declared."))
    if DeclarationStatus.REFUSED in statuses:
        reason = _("The township did not approve the declared relationship.")
        return RuleResult("declaration", label, Outcome.FAIL, reason)
    if statuses - {DeclarationStatus.FILED}:
        reason = _(
            "A relative who is an official or cadre is declared: the township must approve and "
            "the county HR bureau file it before placement (seed 003 §9)."
        )
        return RuleResult("declaration", label, Outcome.ATTENTION, reason)
    return RuleResult(
        "declaration", label, Outcome.PASS, _("Declared relationship filed by the county.")
    )


def _external_data(check: ExternalCheck) -> RuleResult:
    label = _("Other departments' data")
    if check.hits:
        found = "；".join(
            _("%(source)s (data as of %(date)s, row %(line)s): %(facts)s")
            % {"source": h.source, "date": h.as_of.isoformat(), "line": h.line, "facts": h.facts}
            for h in check.hits
        )
        reason = _(
            "Found in another department's list: %(found)s. The township must check this "
            "before placement."
        ) % {"found": found}
        return RuleResult("external_data", label, Outcome.ATTENTION, reason, check.hits)
    if not check.sources:
        reason = _("No list of another department is loaded for this county yet.")
        return RuleResult("external_data", label, Outcome.PASS, reason)
    reason = _("Not found in: %(sources)s.") % {"sources": "、".join(check.sources)}
    return RuleResult("external_data", label, Outcome.PASS, reason)


def eligibility(
    facts: PersonFacts, area_kind: str, on: dt.date, settings: dict[str, Any]
) -> Verdict:
    """Every rule for placing this person on a post of ``area_kind`` on day ``on``.

    ``settings``: ``people.policy.ELIGIBILITY_KEYS`` as in force for the county on ``on``.
    """
    group_rule, qualifying = _target_group(facts, area_kind, on, settings)
    rules = (
        group_rule,
        _age(facts, area_kind, on, settings),
        _placements(facts, qualifying, settings),
        _subsidy_months(facts, settings),
        _on_post(facts),
        _declaration(facts),
    )
    if facts.external is not None:
        rules += (_external_data(facts.external),)
    return Verdict(area_kind=area_kind, on=on, rules=rules, groups=qualifying)


# Priority order (docs/policy.md §3; seed 003 §8)
# ---------------------------------------------------

#: Members of this group are of a zero-employment family whatever the file's flag says.
ZERO_EMPLOYMENT_GROUP = "zero_employment_household"
#: Where a person without a priority group stands: after every priority group.
NO_PRIORITY = 1000


@dataclass(frozen=True)
class Ranked:
    position: int
    facts: PersonFacts
    group: GroupFacts | None  # the priority group the person is ranked in
    age: int
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "person": self.facts.person_id,
            "name": self.facts.name,
            "group": self.group.code if self.group else None,
            "age": self.age,
            "recognised_on": (
                self.group.recognised_on.isoformat()
                if self.group and self.group.recognised_on
                else None
            ),
            "family": self.facts.dibao_family or self.facts.zero_employment_family,
            "reason": self.reason,
        }


def ranking_lines(rows: list[dict[str, Any]]) -> list[str]:
    """A stored ranking (``Ranked.as_dict`` rows) as the ranking page reads it: position, name
    and the reason."""
    return [f"{row['position']}. {row['name']}：{row['reason']}" for row in rows]


def _best_group(groups: tuple[GroupFacts, ...]) -> GroupFacts | None:
    ranked = [g for g in groups if g.priority is not None]
    if not ranked:
        return None
    return min(ranked, key=lambda g: (g.priority, g.recognised_on or dt.date.max, g.code))


def rank(candidates: list[tuple[PersonFacts, tuple[GroupFacts, ...]]], on: dt.date) -> list[Ranked]:
    """The priority order of people who may be placed (each with their qualifying groups).

    Priority groups first, in their order (城镇零就业家庭人员, 城镇大龄失业人员, 脱贫享受政策人口,
    低收入人口, 残疾人); within one group: older first (age in whole years on ``on``), then the
    earlier recognition date, then members of 低保 or 零就业 families. Ties: the earlier birth
    date, then the ID number, so that the same people always come out in the same order. Each
    position says what put the person below the one above.
    """
    keyed = []
    for facts, groups in candidates:
        group = _best_group(groups)
        age = age_on(facts.birth_date, on)
        family = (
            facts.dibao_family
            or facts.zero_employment_family
            or any(g.code == ZERO_EMPLOYMENT_GROUP for g in groups)
        )
        key = (
            group.priority if group else NO_PRIORITY,
            -age,
            (group.recognised_on if group else None) or dt.date.max,
            not family,
            facts.birth_date,
            facts.id_number,
        )
        keyed.append((key, facts, group, age))
    keyed.sort(key=lambda item: item[0])
    result: list[Ranked] = []
    previous = None
    for position, (key, facts, group, age) in enumerate(keyed, start=1):
        result.append(
            Ranked(position, facts, group, age, _rank_reason(key, previous, group, age, facts))
        )
        previous = key
    return result


def _rank_reason(key, previous, group, age, facts) -> str:
    group_text = (
        _("priority group %(group)s") % {"group": group.name} if group else _("no priority group")
    )
    if previous is None:
        return _("First: %(group)s, %(age)s years old.") % {"group": group_text, "age": age}
    if key[0] != previous[0]:
        return _("Below the group above: %(group)s.") % {"group": group_text}
    if key[1] != previous[1]:
        return _("Same group, younger: %(age)s years old.") % {"age": age}
    if key[2] != previous[2]:
        date = group.recognised_on.isoformat() if group and group.recognised_on else "—"
        return _("Same group and age, recognised later: %(date)s.") % {"date": date}
    if key[3] != previous[3]:
        return _(
            "Same group, age and recognition date; not in a minimum-living-allowance or zero-employment family."
        )
    if key[4] != previous[4]:
        return _("Equal on every priority factor; born later (%(date)s).") % {
            "date": facts.birth_date.isoformat()
        }
    return _("Equal on every priority factor and birth date; ordered by ID number.")
