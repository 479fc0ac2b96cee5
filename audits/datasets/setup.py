"""What the external datasets add when the apps are ready: the job runner, the history of the
versions, the menu item, the settings and the pre-placement check of the eligibility verdict."""

from django.utils.translation import gettext_lazy as _


def datasets_ready() -> None:
    from audits.datasets import jobs, policy, tasks  # noqa: F401  (job runners, task, settings)
    from audits.datasets.preplacement import preplacement_check
    from audits.datasets.roles import VIEW_DATASETS
    from audits.models import DatasetVersion
    from gongyi.audit import register_history
    from gongyi.navigation import NavItem, add_nav_item
    from people.external_checks import add_external_check

    register_history(DatasetVersion)
    add_nav_item(
        NavItem(_("External datasets"), "dataset-list", VIEW_DATASETS, "/datasets/"),
        before="region-list",
    )
    add_external_check(preplacement_check)
