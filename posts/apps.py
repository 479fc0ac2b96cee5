from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostsConfig(AppConfig):
    name = "posts"
    verbose_name = _("Posts and annual plans")
    default_auto_field = "django.db.models.BigAutoField"
