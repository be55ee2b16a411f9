"""The authentication backend: Django's, except that the signed-in account is loaded
with its person and their site in one query (every page needs all three: the person
for permissions and language, the site for the header and the home page)."""

from django.contrib.auth.backends import ModelBackend

from .models import User


class PersonBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("person__site").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
