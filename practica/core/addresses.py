"""``<email field>__address=value``: the one way to find a record by e-mail address.

Addresses are unique without regard to letter case through indexes on ``lower(email)`` —
the people's partial (``WHERE NOT email = ''``: many people have no address), the users'
whole. Django's ``iexact`` becomes ``UPPER(email) = UPPER(value)`` on PostgreSQL, which no
index serves: every look-up read the whole table (docs/0025-scaling-fixes.md). This lookup
writes what the indexes hold, ``LOWER(email) = LOWER(value)``, and the people index's
condition ``NOT email = ''``, so PostgreSQL (and SQLite) can answer from the index. An empty
address therefore matches no one: "no address" is not an address.

Registered on every ``EmailField`` by ``CoreConfig.ready``; it works through relations too
(``person__email__address=…``). ``core.tests.test_email_lookups`` proves the index is used.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Lookup
from django.db.models.sql.compiler import SQLCompiler


class Address(Lookup[str]):
    lookup_name = "address"

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return (
            f"(LOWER({lhs}) = LOWER({rhs}) AND NOT ({lhs} = ''))",
            (*lhs_params, *rhs_params, *lhs_params),
        )
