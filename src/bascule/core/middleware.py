from django.conf import settings
from django.utils import translation

from bascule.access import permission_memo
from bascule.people.models import Person


class PersonLanguageMiddleware:
    """Use the interface language the person chose; the browser's language otherwise.

    Runs after LocaleMiddleware (which reads the browser's Accept-Language and the
    language cookie) and after authentication, so it can override with the person's
    own choice.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        person = None
        if request.user.is_authenticated:
            # Loaded with the account and their site (people.backends.PersonBackend).
            try:
                person = request.user.person
            except Person.DoesNotExist:
                person = None
        request.person = person
        # A language the interface does not speak (an HR import may set "de") is ignored.
        if person is not None and person.preferred_language in dict(settings.LANGUAGES):
            translation.activate(person.preferred_language)
            request.LANGUAGE_CODE = person.preferred_language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class PermissionMemoMiddleware:
    """Within one request, ``access.space_ids`` asks the database once per person
    (see access.py): list pages filter by it several times."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with permission_memo():
            return self.get_response(request)
