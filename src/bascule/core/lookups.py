"""``field__any_of=ids``: the field's value is one of a list of ids.

The same answer as ``__in``, but on PostgreSQL the list travels as ONE array parameter
(``= ANY(%s)``) instead of one placeholder per id. The permission lists of ``access.py``
hold a few hundred space ids and appear several times in a query: as placeholders they
made the statement long enough that psycopg parsed it again on every request (its cache
keeps short statements only) and Django compiled each id. Elsewhere it is ``IN (…)``.
"""

from collections.abc import Iterable

from django.db.models import Field, ForeignObject, Lookup
from django.db.models.lookups import In


class Ids:
    """A fixed list of ids for ``__any_of``, tested with ``in`` in constant time.

    Not a tuple on purpose: Django resolves each item of a list or tuple given to a
    filter (in case one is an expression), one call per id — a few thousand calls a page
    for the permission lists, about 5 % of building its querysets. An ``Ids`` is taken as
    one value, and ``AnyOf`` reads its ids once."""

    __slots__ = ("_ids", "_set")

    def __init__(self, ids: Iterable[int] = ()):
        self._ids = tuple(ids)
        self._set = frozenset(self._ids)

    def __iter__(self):
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, value) -> bool:
        return value in self._set

    def __eq__(self, other) -> bool:
        return isinstance(other, Ids) and self._ids == other._ids

    def __hash__(self) -> int:
        return hash(self._ids)

    def __repr__(self) -> str:
        return f"Ids({list(self._ids)!r})"


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self):
        return [int(value) for value in self.rhs]

    def as_sql(self, compiler, connection):
        return In(self.lhs, self.rhs).as_sql(compiler, connection)

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::bigint[])", (*lhs_params, self.rhs)


Field.register_lookup(AnyOf)
ForeignObject.register_lookup(AnyOf)  # foreign keys keep lookups of their own
