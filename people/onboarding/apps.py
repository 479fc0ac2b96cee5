from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    """The eight-step onboarding workflow (docs/policy.md §6). Inside ``people/`` because it stands
    on the registry and the catalogue; the subsidy app stands on its placements."""

    name = "people.onboarding"
    label = "onboarding"
    verbose_name = _("Onboarding")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from gongyi.audit import register_history
        from gongyi.history import (
            department_label,
            register_object_name,
            register_object_page,
            register_value_writer,
        )
        from gongyi.home import add_home_panel
        from gongyi.navigation import NavItem, add_nav_item
        from people.eligibility import ranking_lines, verdict_lines
        from people.onboarding import demo, policy  # noqa: F401  (demo step, policy keys)
        from people.onboarding.home import onboarding_panel
        from people.onboarding.models import (
            Application,
            DepartmentOpinion,
            Objection,
            RankingRecord,
            Round,
            TrainingAttendance,
        )
        from people.onboarding.roles import (
            GIVE_OPINIONS,
            RECRUITMENT_NAV,
            VIEW_COUNTY_QUEUE,
            VIEW_VILLAGE_PAGE,
        )
        from people.onboarding.selectors import post_place_holders, post_waiting_counts
        from posts.selectors import register_place_holders

        for model in (Application, Round):
            register_history(model)
            register_object_page(model, f"{model._meta.model_name}-detail")
        register_value_writer(Application, "eligibility", verdict_lines)
        register_value_writer(RankingRecord, "rows", ranking_lines)
        register_object_name(
            DepartmentOpinion,
            lambda o: f"{o.application.person.name}：{department_label(o.department)}",
        )
        register_object_name(Objection, lambda o: f"{o.application.person.name} {o.raised_on}")
        register_object_name(
            TrainingAttendance, lambda a: f"{a.application.person.name}：{a.session.topic}"
        )
        add_home_panel(onboarding_panel)
        register_place_holders(waiting=post_waiting_counts, names=post_place_holders)
        for label, url_name, roles, section in (
            (
                _("Recruitment"),
                "round-list",
                RECRUITMENT_NAV,
                "/onboarding/rounds/",
            ),
            (
                _("Review and approval"),
                "application-queue",
                VIEW_COUNTY_QUEUE,
                "/onboarding/queue/",
            ),
            (_("Department opinions"), "opinion-queue", GIVE_OPINIONS, "/onboarding/opinions/"),
            (
                _("Village review and publicity"),
                "village-onboarding",
                VIEW_VILLAGE_PAGE,
                "/onboarding/village/",
            ),
        ):
            add_nav_item(NavItem(label, url_name, roles, section), before="region-list")
