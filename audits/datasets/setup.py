"""What the external datasets add when the apps are ready: the job runner, the history of the
versions, the menu item."""

from django.utils.translation import gettext_lazy as _


def datasets_ready() -> None:
    from audits.datasets import jobs, policy, tasks  # noqa: F401  (job runners, settings, task)
    from audits.datasets.roles import VIEW_DATASETS
    from audits.models import DatasetVersion
    from gongyi.audit import register_history
    from gongyi.navigation import NavItem, add_nav_item

    register_history(DatasetVersion)
    add_nav_item(
        NavItem(_("External datasets"), "dataset-list", VIEW_DATASETS, "/datasets/"),
        before="region-list",
    )
