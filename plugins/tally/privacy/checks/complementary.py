"""What the three complementary-suppression rules share: the package's tables, and how a finding reads.

Not a rule itself. `complementary_exact.py`, `complementary_interval.py` and
`linked_releases.py` each judge one question about the same linked tables
(tables.py builds them; disclosure.py does the mathematics).
"""

from __future__ import annotations

from tally.privacy.checks.base import Audit
from tally.privacy.policy import Policy
from tally.privacy.tables import package_measures

FIX = ("hide one more published cell in {where}: empty its count and write S in its annotation, "
       "or run `publish.py suppress` on the raw table, which chooses the cells for you")


class ComplementaryAudit(Audit):
    """Base class: audits over the disclosure Tables of a dataset's count measures."""

    needs_valid_data = True  # an unreadable cell would look like a hidden one

    def parameters(self, dataset) -> dict:
        policy = Policy.of(dataset, self.settings)
        return {"threshold": policy.threshold, "protection_width": policy.protection_width,
                "hidden_min": policy.hidden_minimum}

    def measures(self, dataset):
        return package_measures(dataset)

    def at(self, dataset, table, key, message, hint=None):
        """A Problem located at the row that holds `key` (or at the descriptor when no row does)."""
        name, row = table.place(key)
        resource = dataset.resource(name) if name else None
        return self.problem(dataset, message, resource=resource, row=row, field=table.measure, hint=hint)


def cell_text(table, key) -> str:
    """'(quarter=2023-Q2, age_band=Under 12)': a cell named by its dimensions."""
    return "(" + table.describe_key(key) + ")"


def total_text(table, constraint) -> str:
    """'the age_band total "All ages" for (quarter=2023-Q2, service_area=Service Area 1)'."""
    dims = table.table.dimensions
    i = dims.index(constraint.dimension)
    rest = ", ".join(f"{d}={v}" for j, (d, v) in enumerate(zip(dims, constraint.total)) if j != i)
    where = f" for ({rest})" if rest else ""
    return f'the {constraint.dimension} total "{constraint.total[i]}"{where}'


def totals_text(table, constraints) -> str:
    if not constraints:
        return "the published figures"
    return " and ".join(total_text(table, c) for c in constraints)


def where_text(table, constraints) -> str:
    if len(constraints) == 1:
        return f"the cells that add up to {total_text(table, constraints[0])}"
    return "one of those rows or columns"
