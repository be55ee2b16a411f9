from django.core.management.commands import makemessages


class Command(makemessages.Command):
    """Django's makemessages without fuzzy matching: gettext's guesses from similar
    messages ("Project" → the translation of "object id") looked translated and were
    wrong; a new message must stay untranslated until a person translates it."""

    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
