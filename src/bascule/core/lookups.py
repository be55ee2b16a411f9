"""``field__any_of=ids``: the field's value is one of a list of ids.

The same answer as ``__in``, but on PostgreSQL the list travels as ONE array parameter
(``= ANY(%s)``) instead of one placeholder per id. The permission lists of ``access.py``
hold a few hundred space ids and appear several times in a query: as placeholders they
made the statement long enough that psycopg parsed it again on every request (its cache
keeps short statements only) and Django compiled each id. Elsewhere it is ``IN (…)``.
"""

from django.db.models import Field, ForeignObject, Lookup
from django.db.models.lookups import In


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
