"""Turn a dataset's resources into disclosure Tables, one per count measure, and link them.

The one place that says how a published CSV reads to the disclosure audits
(`checks/complementary_*.py`, `checks/linked_releases.py`, `staff/suppress.py`,
`publish.py intake`):

* the cell space is the resource's dimension fields, in schema order; every key
  value is text, so that "2024" from one file and 2024 from another are one level;
* a dimension's `tally:total` level is the sum of its other levels;
* an empty count cell is hidden (None) unless its annotation is `N`;
* an empty count cell with `N` ("not available: no data was collected") is left
  out of the Table: a part with no data adds nothing to its total, which the
  public knows, and a total with no data publishes no equation. This is the
  conservative reading: an `N` cell never helps to hide an `S` cell;
* a count with a value is published, whatever its annotation says (a value
  beside `S` is published all the same; annotation-consistency reports it).

Tables of the same measure in one package, and in the package's earlier
releases, share cells (DESIGN.md, "Disclosure control" 3) and are audited as one
linked Table (`disclosure.link_tables`).
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from tally.core.codelists import codelist_of, load_codelists
from tally.core.errors import Unlinkable
from tally.core.loading import load_dataset
from tally.core.releases import archived_releases
from tally.privacy import disclosure

NOT_AVAILABLE = "N"


@dataclass
class MeasureTable:
    """One count measure of one resource (or several linked ones) as a disclosure Table."""

    measure: str
    table: disclosure.Table
    # Where each cell was read: key -> (resource name, row number in its file).
    places: dict = field(default_factory=dict)
    duplicates: list = field(default_factory=list)  # (resource, row, first row) of keys seen twice
    population: str | None = None  # the field's `tally:population`: who the count counts

    def place(self, key) -> tuple[str | None, int | None]:
        return self.places.get(key, (None, None))

    def describe_key(self, key) -> str:
        """`quarter 2024-Q1, age band "Under 12"` style text naming a cell by its dimensions."""
        return ", ".join(f"{d}={v}" for d, v in zip(self.table.dimensions, key))


# -- resource -> Tables ----------------------------------------------------------

def count_fields(resource) -> list:
    return [f for f in resource.fields if f.is_count]


def resource_tables(resource, rows=None) -> dict[str, MeasureTable]:
    """One MeasureTable per count measure of `resource`, keyed by the measure's name.

    `rows` is an iterable of (row number, typed row dict); by default the resource's file is read.
    """
    counts = count_fields(resource)
    if not counts:
        return {}
    dimensions = [f for f in resource.fields if f.role == "dimension"]
    names = tuple(f.name for f in dimensions)
    totals, hierarchy = dimension_structure(dimensions)
    if rows is None:
        rows = read_rows(resource)
    cells = {f.name: {} for f in counts}
    places = {f.name: Places(resource.name, cells[f.name]) for f in counts}
    duplicates = {f.name: [] for f in counts}
    for number, row in rows:
        key = tuple(_text(row.get(d)) for d in names)
        for measure in counts:
            value = row.get(measure.name)
            code = row.get(measure.annotation) if measure.annotation else None
            if value is None and code == NOT_AVAILABLE:
                continue
            if key in cells[measure.name]:
                duplicates[measure.name].append((resource.name, number, places[measure.name][key][1]))
                continue
            cells[measure.name][key] = None if value is None else _count(value)
            places[measure.name].add(number)
    return {
        m.name: MeasureTable(m.name, disclosure.Table(names, totals, cells[m.name], hierarchy=hierarchy),
                             places[m.name], duplicates[m.name], _population(m))
        for m in counts
    }


class Places(Mapping):
    """Where each cell of one resource's table was read: key -> (resource name, row number).

    A dict of a (name, number) pair per cell cost more than the cells themselves on a
    million-row table (issue 12). The cells dict keeps its keys in the order the rows were
    read, so the row numbers are kept in that order in an array, and a key's place is found
    through an index built only when a message needs one.
    """

    def __init__(self, resource: str, cells: dict):
        self.resource, self.cells = resource, cells
        self.numbers = array("I")
        self._order: dict | None = None

    def add(self, number: int) -> None:
        """The row number of the cell just added to `cells`."""
        self.numbers.append(number)
        if self._order is not None:  # kept up to date once built (a duplicate row asked for it)
            self._order[next(reversed(self.cells))] = len(self.numbers) - 1

    def __getitem__(self, key):
        if self._order is None:
            self._order = {k: i for i, k in enumerate(self.cells)}
        return self.resource, self.numbers[self._order[key]]

    def __iter__(self):
        return iter(self.cells)

    def __len__(self) -> int:
        return len(self.numbers)

    def items(self):
        return ((k, (self.resource, n)) for k, n in zip(self.cells, self.numbers))


def dimension_structure(dimensions) -> tuple[dict, dict]:
    """(total level by dimension, code-list hierarchy by dimension) of a resource's dimension fields.

    A dimension's total is its `tally:total`, or its code list's total when the field lists
    that level. A dimension drawing on a code list with parts takes its constraints from the
    list's hierarchy (so a region and its stations are not both counted in the county).
    """
    lists = load_codelists()
    totals, hierarchy = {}, {}
    for f in dimensions:
        code_list = codelist_of(f, lists)
        total = f.total
        if total is None and code_list is not None and code_list.total in f.levels:
            total = code_list.total
        if total is not None:
            totals[f.name] = _text(total)
        if code_list is not None and code_list.parts:
            hierarchy[f.name] = dict(code_list.parts)
    return totals, hierarchy


def _population(field_) -> str | None:
    value = field_.get("tally:population")
    return value.strip() if isinstance(value, str) and value.strip() else None


def read_rows(resource):
    """(row number, typed row dict) for every row of a tabular resource.

    Reads `resource.rows` (read once and shared with the pages); row numbers count
    the header as frictionless does. Only valid tables are audited, so no row was skipped.
    """
    dialect = getattr(resource.frictionless, "dialect", None)
    header_rows = list(getattr(dialect, "header_rows", None) or [1]) if getattr(dialect, "header", True) else [0]
    first = max(header_rows) + 1
    return ((first + index, row) for index, row in enumerate(resource.rows))


def dataset_tables(dataset) -> dict[str, list[MeasureTable]]:
    """Every count measure's tables in a dataset, by measure name, in resource order."""
    found: dict[str, list[MeasureTable]] = {}
    for resource in dataset.tabular_resources:
        for name, table in resource_tables(resource).items():
            found.setdefault(name, []).append(table)
    # Same-named measures that name different populations count different people: they are
    # not one table (issue 10, false alarm 1); the site-wide system links by population.
    split = {}
    for name, tables in found.items():
        kinds = {t.population for t in tables}
        if len(kinds) == 1:
            split[name] = tables
        else:
            for t in tables:
                split.setdefault(f"{name} ({t.population or 'no population'})", []).append(t)
    return split


@dataclass
class LinkedMeasure:
    """The tables of one measure that are audited together, or the reason they could not be."""

    measure: str
    tables: list[MeasureTable]  # one linked table, or the separate tables when they do not link
    conflict: disclosure.LinkConflict | None = None


def link(measure: str, tables: list[MeasureTable]) -> LinkedMeasure:
    """Link the tables of one measure into one cell space (`disclosure.link_tables`).

    Tables that cannot share a cell space (a dimension one lacks has no total level to
    place it at, or two resources name different totals) are audited separately.
    Published values that disagree are returned as a conflict.
    """
    if len(tables) == 1:
        return LinkedMeasure(measure, tables)
    try:
        linked = disclosure.link_tables([t.table for t in tables])
    except disclosure.LinkConflict as conflict:
        return LinkedMeasure(measure, tables, conflict)
    except ValueError:
        return LinkedMeasure(measure, tables)
    places = {}
    for t in tables:
        for key, where in t.places.items():
            places.setdefault(_placed(key, t.table, linked), where)
    return LinkedMeasure(measure, [MeasureTable(tables[0].measure, linked, places, population=tables[0].population)])


def package_measures(dataset) -> list[LinkedMeasure]:
    """Every count measure of the dataset, its resources' tables linked."""
    return [link(name, tables) for name, tables in dataset_tables(dataset).items()]


def with_releases(current: MeasureTable, earlier: list[MeasureTable]) -> MeasureTable:
    """The current table linked with the same measure in earlier releases.

    A cell published in both with different values was revised (`R`): the current value
    stands and the release's version of that cell is left out of the link, so a
    correction is not taken for a contradiction. Raises Unlinkable when a release's
    layout cannot be placed in the current one.
    """
    tables = [current.table]
    for old in earlier:
        try:
            tables.append(place_release(old.table, current.table))
        except ValueError as error:
            raise Unlinkable(str(error)) from None
    try:
        linked = disclosure.link_tables(tables)
    except ValueError as error:
        raise Unlinkable(str(error)) from None
    return MeasureTable(current.measure, linked, dict(current.places))


def place_release(old: disclosure.Table, current: disclosure.Table) -> disclosure.Table:
    """`old` in `current`'s cell space (a dimension it lacks placed at its total), revisions dropped."""
    missing = [d for d in current.dimensions if d not in old.dimensions]
    extra = [d for d in old.dimensions if d not in current.dimensions]
    if extra:
        raise ValueError("an earlier release has dimension(s) %s that the current table lacks" % extra)
    if any(d not in current.totals for d in missing):
        raise ValueError("the current table has dimension(s) %s that an earlier release lacks and that "
                         "have no total level" % [d for d in missing if d not in current.totals])
    for d, level in old.totals.items():
        if current.totals.get(d, level) != level:
            raise ValueError("dimension %r has total %r now and %r in an earlier release"
                             % (d, current.totals[d], level))
    cells, primary = {}, set()
    for key, value in old.cells.items():
        new = _placed(key, old, current)
        now = current.cells.get(new)
        if value is not None and now is not None and now != value:
            continue  # revised since: the current figure stands
        cells[new] = value
        if key in old.primary:
            primary.add(new)
    return disclosure.Table(current.dimensions, current.totals, cells, frozenset(primary))


def _placed(key, table: disclosure.Table, target: disclosure.Table) -> tuple:
    named = dict(zip(table.dimensions, key))
    return tuple(named.get(d, target.totals.get(d)) for d in target.dimensions)


def release_datasets(dataset) -> list[tuple[str, object, list]]:
    """(version, loaded dataset or None, problems) for each archived release, oldest first.

    core/releases.py reads every published release in `<dataset>/releases/v<version>/`.
    """
    return [(release.version, *load_dataset(release.folder)) for release in archived_releases(dataset.folder)]


def _text(value) -> str:
    return "" if value is None else str(value)


def _count(value):
    """A count as an exact int (issue 16, 6: through float, 2**53 + 1 read as 2**53); a fraction stays a float
    for count-integer to report."""
    if isinstance(value, int):
        return value
    number = Decimal(str(value).strip())
    return int(number) if number == number.to_integral_value() else float(number)
