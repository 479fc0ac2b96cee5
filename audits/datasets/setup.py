"""What the external datasets add when the apps are ready: the job runner, the history of the
versions and findings, the menu items, the home panel, the payout's generation hook that
holds the new lines of people with an open finding, the pre-placement check of the eligibility
verdict, the demo's lists (after the warnings' demo step)."""

from django.utils.translation import gettext_lazy as _


def datasets_ready() -> None:
    from audits.datasets import (  # noqa: F401  (demo step, job runners, settings, task)
        demo,
        jobs,
        policy,
        tasks,
    )
    from audits.datasets.findings import findings_hold_generated
    from audits.datasets.home import findings_panel
    from audits.datasets.preplacement import preplacement_check
    from audits.datasets.roles import VIEW_DATASETS, VIEW_FINDINGS
    from audits.models import DatasetVersion, Finding
    from gongyi.audit import register_history
    from gongyi.history import register_object_name
    from gongyi.home import add_home_panel
    from gongyi.models import Job
    from gongyi.navigation import NavItem, add_nav_item
    from people.external_checks import add_external_check
    from subsidies.payout.services.batches import add_generation_hook

    register_history(DatasetVersion)
    # A version's load job, in its history, by its number (its kind is a code).
    register_object_name(Job, lambda job: _("Background job #%(n)s") % {"n": job.pk})
    register_history(Finding)
    add_home_panel(findings_panel)
    add_generation_hook(findings_hold_generated)
    add_nav_item(
        NavItem(_("Findings"), "finding-list", VIEW_FINDINGS, "/findings/"),
        before="region-list",
    )
    add_nav_item(
        NavItem(_("External datasets"), "dataset-list", VIEW_DATASETS, "/datasets/"),
        before="region-list",
    )
    add_external_check(preplacement_check)
