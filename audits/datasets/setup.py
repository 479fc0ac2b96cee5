"""What the external datasets add when the apps are ready: the job runner, the history of the
versions, the menu item, the demo's lists (after the warnings' demo step)."""

from django.utils.translation import gettext_lazy as _


def datasets_ready() -> None:
    from audits.datasets import demo, jobs, tasks  # noqa: F401  (demo step, job runners, task)
    from audits.datasets.roles import VIEW_DATASETS
    from audits.models import DatasetVersion
    from gongyi.audit import register_history
    from gongyi.navigation import NavItem, add_nav_item

    register_history(DatasetVersion)
    add_nav_item(
        NavItem(_("External datasets"), "dataset-list", VIEW_DATASETS, "/datasets/"),
        before="region-list",
    )
