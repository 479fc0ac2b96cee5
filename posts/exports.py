"""The catalogue's workbooks: the posts a filter selects, a plan's allocation and progress, the
reviews and the empty import template. Each function returns the title and the sheets, in
Chinese whatever the reader's language; the views log the export and send the file."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from gongyi.excel import Sheet
from posts.models import AnnualPlan, Post, PostType
from posts.resources import POST_COLUMNS, PostResource
from posts.selectors import PlanProgress


def post_export_rows(posts: QuerySet[Post]) -> Iterator[list]:
    """The catalogue's export rows: the import columns, then the state the system keeps."""
    with translation.override("zh-hans"):
        for p in posts.iterator(chunk_size=2000):
            yield [
                p.post_type.name,
                p.title,
                p.get_area_kind_display(),
                p.get_work_pattern_display(),
                p.hours_per_week,
                p.township.name,
                p.village.name if p.village else "",
                p.get_department_display(),
                p.duties,
                p.requirements,
                p.headcount,
                p.monthly_subsidy,
                p.hourly_rate,
                p.get_insurance_kind_display(),
                p.plan_year,
                p.get_status_display(),
                p.post_type.get_category_display(),
                p.occupied,
                p.region_code,
                p.opened_on,
                p.vacant_since,
                p.pk,
            ]


def post_export_headers() -> list[str]:
    with translation.override("zh-hans"):
        extra = [
            _("Category"),
            _("People on post"),
            _("Region code"),
            _("Opened on"),
            _("Places free since"),
            _("Post number"),
        ]
        return [str(c.header) for c in POST_COLUMNS] + [str(x) for x in extra]


def post_catalogue_workbook(posts: QuerySet[Post]) -> tuple[str, list[Sheet]]:
    """The posts of the catalogue's filters, one row each (read as the file is written)."""
    with translation.override("zh-hans"):
        title = _("Post catalogue")
    return title, [Sheet(title, post_export_headers(), post_export_rows(posts))]


def post_import_template(post_types: QuerySet[PostType]) -> tuple[str, list[Sheet]]:
    """The empty template, made by the resource, with a sheet explaining the columns and one of
    the standard names the reader's county uses."""
    with translation.override("zh-hans"):
        dataset = PostResource().export(queryset=Post.objects.none())
        rules = [
            [
                str(c.header),
                _("yes") if c.required else _("no"),
                "、".join(str(label) for _v, label in c.choices.choices) if c.choices else "",
                str(c.hint),
            ]
            for c in POST_COLUMNS
        ]
        names = [[t.get_category_display(), t.name] for t in post_types]
        sheets = [
            Sheet(_("Posts"), dataset.headers, []),
            Sheet(
                _("Instructions"),
                [_("Column"), _("Required"), _("Allowed values"), _("Note")],
                rules,
                widths=[22, 8, 60, 40],
            ),
            Sheet(_("Standard post names"), [_("Category"), _("Standard post name")], names),
        ]
        title = _("Post import template")
    return title, sheets


# --- plans ----------------------------------------------------------------------------------------


def allocation_rows(progress: PlanProgress) -> list[list]:
    """Seed 001 附件2: 单位, 城镇公益岗, 乡村公益岗, 合计; the total last."""
    rows = [
        [
            row.township.name,
            row.urban.allocated or None,
            row.rural.allocated or None,
            row.total.allocated,
        ]
        for row in progress.rows
        if not row.unallocated
    ]
    total = progress.total
    with translation.override("zh-hans"):
        rows.append(
            [_("Total"), total.urban.allocated, total.rural.allocated, total.total.allocated]
        )
    return rows


def progress_rows(progress: PlanProgress) -> list[list]:
    out = []
    for row in [*progress.rows, progress.total]:
        with translation.override("zh-hans"):
            name = row.township.name if row.township else _("Total")
        cells = [name]
        for p in (row.urban, row.rural, row.total):
            cells += [
                p.allocated,
                p.developed,
                p.filled,
                p.on_post,
                round(p.on_post_share, 2) if p.on_post_share is not None else None,
            ]
        out.append(cells)
    return out


def plan_workbook(plan: AnnualPlan, progress: PlanProgress) -> tuple[str, list[Sheet]]:
    """A plan's allocation table (seed 001 附件2), its progress per township, and the progress
    against the county's target."""
    with translation.override("zh-hans"):
        units = [_("Unit"), _("Urban posts"), _("Rural posts"), _("Total")]
        kinds = [_("urban"), _("rural"), _("total")]
        measures = [
            _("allocated"),
            _("developed"),
            _("filled"),
            _("on post"),
            _("on post, share of allocation (percent)"),
        ]
        progress_headers = [_("Unit")] + [f"{k}{m}" for k in kinds for m in measures]
        title = _("Plan allocation %(county)s %(year)s") % {
            "county": plan.county.name,
            "year": plan.year,
        }
        sheets = [
            Sheet(_("Allocation"), units, allocation_rows(progress), widths=[20, 14, 14, 10]),
            Sheet(_("Progress"), progress_headers, progress_rows(progress)),
            Sheet(
                _("Against the target"),
                [
                    _("Kind"),
                    _("Target"),
                    _("Developed"),
                    _("share (percent)"),
                    _("Filled"),
                    _("share (percent)"),
                    _("On post"),
                    _("share (percent)"),
                ],
                [
                    [
                        {"urban": _("urban"), "rural": _("rural")}.get(t["kind"], _("total")),
                        t["target"],
                        t["developed"],
                        t["developed_share"],
                        t["filled"],
                        t["filled_share"],
                        t["on_post"],
                        t["on_post_share"],
                    ]
                    for t in progress.against_target()
                ],
            ),
        ]
    return title, sheets


# --- reviews (seed 003 §1.2–1.3) ------------------------------------------------------------------


def disparity_sheets(title: str, groups: list[dict], posts: QuerySet[Post]) -> list[Sheet]:
    """The flagged groups (``posts.selectors.disparity_groups``), then the posts behind them."""
    headers = [
        _("County code"),
        _("Standard post name"),
        _("Working pattern"),
        _("Posts"),
        _("Lowest pay"),
        _("Highest pay"),
        _("Pay difference (percent)"),
        _("Fewest hours a week"),
        _("Most hours a week"),
        _("Hours difference (percent)"),
    ]
    rows = [
        [
            g["county_code"],
            g["post_type__name"],
            str(g["work_pattern_label"]),
            g["n"],
            g["pay_low"],
            g["pay_high"],
            round(g["pay_spread"], 1) if g["pay_spread"] is not None else None,
            g["min_hours"],
            g["max_hours"],
            round(g["hours_spread"], 1) if g["hours_spread"] is not None else None,
        ]
        for g in groups
    ]
    return [
        Sheet(title, headers, rows),
        Sheet(_("Posts"), post_export_headers(), post_export_rows(posts)),
    ]


def post_review_sheets(title: str, posts: QuerySet[Post]) -> list[Sheet]:
    """A review of posts (vacant, unused): the catalogue's export columns."""
    return [Sheet(title, post_export_headers(), post_export_rows(posts))]
