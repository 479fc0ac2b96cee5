from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostsConfig(AppConfig):
    name = "posts"
    verbose_name = _("Posts and annual plans")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from gongyi.audit import register_history
        from gongyi.history import register_object_page
        from gongyi.navigation import NavItem, add_nav_item
        from gongyi.roles import ALL_ROLES
        from posts import demo, imports, policy  # noqa: F401  (demo step, job runners, policy keys)
        from posts.models import AnnualPlan, MinimumWage, Post, PostType
        from posts.roles import PLAN_ROLES, VIEW_REVIEWS

        for model in (Post, PostType, AnnualPlan, MinimumWage):
            register_history(model)
        register_object_page(Post, "post-detail")
        register_object_page(AnnualPlan, "plan-detail")
        add_nav_item(NavItem(_("Posts"), "post-list", ALL_ROLES, "/posts/"), before="region-list")
        add_nav_item(
            NavItem(_("Annual plans"), "plan-list", PLAN_ROLES, "/plans/"),
            before="region-list",
        )
        add_nav_item(
            NavItem(_("Reviews"), "review-disparity", VIEW_REVIEWS, "/reviews/"),
            before="region-list",
        )
