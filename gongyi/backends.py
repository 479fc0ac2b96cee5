"""Authentication backend: Django's own, with the user's region read in the same query.

Every page and API call scopes by the user's region (``gongyi.scoping``); loading it with the user
saves a query on every request."""

from django.contrib.auth.backends import ModelBackend


class RegionModelBackend(ModelBackend):
    def get_user(self, user_id):
        from gongyi.models import User

        user = User.objects.select_related("region").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
