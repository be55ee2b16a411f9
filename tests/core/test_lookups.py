"""``__any_of``: the same rows as ``__in`` on every database, one array parameter on
PostgreSQL (core/lookups.py)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bascule.network import actions
from bascule.network.models import Post
from bascule.people.models import Person


def test_it_selects_what_in_selects(alice, bob, carol, dave):
    space = actions.space_create(actor=alice, name="Ids")
    actions.space_join(actor=bob, space=space)
    for author in (alice, bob):
        actions.post_create(actor=author, space=space, body=f"By {author.display_name}")
    people = [alice.pk, carol.pk, dave.pk]
    for ids in (people, people[:1], [], (bob.pk,)):
        assert set(Person.objects.filter(pk__any_of=ids)) == set(Person.objects.filter(pk__in=ids))
        # Through a foreign key, and negated.
        assert set(Post.objects.filter(author_id__any_of=ids)) == set(Post.objects.filter(author_id__in=ids))
        assert set(Post.objects.exclude(author__any_of=ids)) == set(Post.objects.exclude(author__in=ids))


def test_it_sends_one_parameter_on_postgresql(alice, bob, carol):
    ids = [alice.pk, bob.pk, carol.pk]
    with CaptureQueriesContext(connection) as queries:
        list(Person.objects.filter(pk__any_of=ids))
    sql = queries.captured_queries[-1]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql and " IN (" not in sql
    else:
        assert " IN (" in sql
