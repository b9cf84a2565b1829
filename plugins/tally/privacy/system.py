"""The site-wide system: every table of every package and archived release, linked by what it counts (issue 10).

A count measure names its population (`tally:population`); its dimensions are
identified by their code list (`tally:codelist`), as the period, or by field
name. All tables of one population, current or archived, in any package, are
placed in one cell space (a dimension a table lacks stands at its total level)
and audited as one `disclosure.Table`, with each code list's hierarchy and the
calendar (a year is its quarters, a quarter its months) as constraints. A
table that should link and cannot is a `TablesUnlinkable` naming both tables.

A change-since-the-previous-period or year-to-date column declared on a count
(`tally:kind` `change` or `year-to-date`, `tally:derivedFrom` naming the count)
is an exact linear function of that count over periods, so each published
figure of it is one more equation of the system (this quarter = the last one +
the change; the year-to-date = the quarters of the year so far). A hidden one
adds nothing: it is an unknown that appears in its own equation only. A
published figure whose periods are not all in the system (the change of the
first quarter gives back the quarter before it) cannot be placed: the
derived-columns rule refuses it.

Archived releases published before populations existed take the current
descriptor's population and code lists for the same field. Where a current
figure and an archived one differ, the current one stands (a revision); a cell
hidden in one table and published in another is published.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field

from tally.core import periods as P
from tally.core.codelists import load_codelists
from tally.core.dataset import LINEAR_KINDS
from tally.core.errors import TablesUnlinkable
from tally.core.loading import load_dataset
from tally.core.releases import archived_releases
from tally.core.report import dataset_file
from tally.privacy import disclosure
from tally.privacy.policy import Policy
from tally.privacy.tables import MeasureTable, read_rows, resource_tables

PERIOD = "period"
QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass
class Piece:
    """One count measure of one resource of one dataset, current (version None) or archived."""

    dataset: str
    version: str | None
    resource: str
    measure: str
    population: str
    table: MeasureTable
    identities: tuple[str, ...]  # one per dimension of `table`: "period", "codelist:<name>" or "field:<name>"
    file: str
    policy: Policy
    derived: list = field(default_factory=list)  # DerivedColumn of this count (change, year-to-date)
    precision: str | None = None  # the period dimension's precision, when the table has one

    @property
    def label(self) -> str:
        where = f" (release {self.version})" if self.version else ""
        return f'{self.dataset}/{self.resource} "{self.measure}"{where}'


@dataclass
class DerivedColumn:
    """A change or year-to-date column of one count: its published figures by the count's cell key."""

    name: str
    kind: str
    values: dict  # key in the piece's table -> published figure
    rows: dict  # key -> row number in the file


@dataclass
class Orphan:
    """A published change or year-to-date figure that needs a period the system does not hold."""

    piece: Piece
    column: str
    key: tuple  # in the piece's table
    period: str  # the period it needs


@dataclass
class System:
    """The linked Table of one population and where each of its cells came from."""

    population: str
    pieces: list[Piece]
    table: disclosure.Table
    origins: dict = field(default_factory=dict)  # linked key -> [(piece, key in the piece's table)]
    equations: list = field(default_factory=list)  # Constraints from change and year-to-date columns
    known: dict = field(default_factory=dict)  # their published figures, by a key of their own
    orphans: list = field(default_factory=list)  # Orphan: figures that could not be placed

    @property
    def audit_table(self) -> disclosure.Table:
        """The linked table with the derived columns' published figures, for the equations to read."""
        if not self.known:
            return self.table
        t = self.table
        return disclosure.Table(t.dimensions, t.totals, {**t.cells, **self.known}, t.primary, t.exposed,
                                t.hierarchy)

    def constraints(self) -> list:
        """Every equation of the system: totals, code-list hierarchy, calendar, derived columns."""
        return disclosure.additive_constraints(self.table) + self.equations

    def describe(self, key) -> str:
        return ", ".join(f"{d.split(':', 1)[-1]}={v}" for d, v in zip(self.table.dimensions, key))


# -- pieces --------------------------------------------------------------------------

def identity(f) -> str:
    if f.is_time:
        return PERIOD
    name = f.get("tally:codelist")
    return f"codelist:{name}" if isinstance(name, str) else f"field:{f.name}"


def dataset_pieces(dataset, settings: dict, releases: bool = True) -> list[Piece]:
    """The current tables of `dataset` and (by default) those of its archived releases."""
    policy = Policy.of(dataset, settings)
    pieces = _pieces(dataset, None, policy, {})
    if releases:
        inherited = {(p.resource, p.measure): p for p in pieces}
        by_field = {}
        for resource in dataset.tabular_resources:
            for f in resource.fields:
                by_field.setdefault(f.name, f)
        for release in archived_releases(dataset.folder):
            archived, _ = load_dataset(release.folder)
            if archived is not None:
                pieces += _pieces(archived, release.version, policy, by_field, inherited, slug=dataset.slug)
    return pieces


def _pieces(dataset, version, policy, by_field, inherited=None, slug=None) -> list[Piece]:
    out = []
    for resource in dataset.tabular_resources:
        dims = [f for f in resource.fields if f.role == "dimension"]
        for f in dims:  # an archive takes the current field's code list when it declared none
            current = by_field.get(f.name)
            if current is not None and "tally:codelist" not in f.descriptor and current.get("tally:codelist"):
                f.descriptor["tally:codelist"] = current.get("tally:codelist")
        for f in resource.fields:
            if f.is_count and "tally:population" not in f.descriptor and f.name in by_field:
                population = by_field[f.name].get("tally:population")
                if population:
                    f.descriptor["tally:population"] = population
        tables = resource_tables(resource)
        derived = _derived_columns(resource, tables) if tables else {}
        time = next((f for f in dims if f.is_time), None)
        for name, table in tables.items():
            population = table.population
            if population is None and inherited and (resource.name, name) in inherited:
                population = inherited[(resource.name, name)].population
            if population is None:
                continue  # count-population reports it
            out.append(Piece(slug or dataset.slug, version, resource.name, name, population, table,
                             tuple(identity(f) for f in dims), dataset_file(dataset.folder, resource.file), policy,
                             derived.get(name, []), (time.period or None) if time is not None else None))
    return out


def _derived_columns(resource, tables) -> dict[str, list[DerivedColumn]]:
    """count name -> its change and year-to-date columns (those naming exactly that one count)."""
    found = defaultdict(list)
    columns = [f for f in resource.fields if f.kind in LINEAR_KINDS and f.role == "measure"
               and len(f.derived_from) == 1 and f.derived_from[0] in tables]
    if not columns:
        return {}
    names = [f.name for f in resource.fields if f.role == "dimension"]
    read = {f.name: DerivedColumn(f.name, f.kind, {}, {}) for f in columns}
    for number, row in read_rows(resource):
        key = tuple("" if row.get(d) is None else str(row.get(d)) for d in names)
        for column in read.values():
            value = row.get(column.name)
            if value is not None:
                column.values[key] = value
                column.rows[key] = number
    for f in columns:
        found[f.derived_from[0]].append(read[f.name])
    return dict(found)


def populations(pieces: list[Piece]) -> dict[str, list[Piece]]:
    groups = defaultdict(list)
    for p in pieces:
        groups[p.population].append(p)
    return dict(groups)


# -- linking ---------------------------------------------------------------------------

def link(population: str, pieces: list[Piece]) -> System:
    """The linked system of one population's pieces (current ones first); raise TablesUnlinkable."""
    pieces = sorted(pieces, key=lambda p: (p.version is not None, _version_order(p.version), p.dataset,
                                           p.resource, p.measure))
    dims, totals, owner = [], {}, {}
    for p in pieces:
        for ident, d in zip(p.identities, p.table.table.dimensions):
            if ident not in dims:
                dims.append(ident)
                owner[ident] = p
            level = p.table.table.totals.get(d)
            if level is not None:
                if totals.setdefault(ident, level) != level:
                    raise TablesUnlinkable(owner.get(("total", ident), owner[ident]), p,
                                     f'name different total levels for {ident.split(":", 1)[-1]} '
                                     f'("{totals[ident]}" and "{level}")')
                owner.setdefault(("total", ident), p)
    lists = load_codelists()
    for ident in dims:  # a code list's total places a table that lacks the dimension, declared or not
        name = ident[9:] if ident.startswith("codelist:") else None
        if name in lists and lists[name].total and ident not in totals:
            totals[ident] = lists[name].total
    cells, origins, exposed = {}, defaultdict(list), set()
    for p in pieces:
        missing = [i for i in dims if i not in p.identities and i not in totals]
        if missing:
            other = owner[missing[0]]
            raise TablesUnlinkable(p, other, f"cannot be linked: {p.label} has no {missing[0].split(':', 1)[-1]} "
                                       "dimension and that dimension has no total level to place it at (declare "
                                       "the total, or a code list with one)")
        named_dims = dict(zip(p.table.table.dimensions, p.identities))
        for key, value in p.table.table.cells.items():
            named = {named_dims[d]: v for d, v in zip(p.table.table.dimensions, key)}
            new = tuple(named.get(i, totals.get(i)) for i in dims)
            origins[new].append((p, key))
            if new not in cells:
                cells[new] = value
                continue
            before = cells[new]
            if (before is None) != (value is None):
                exposed.add(new)
                if value is not None:
                    cells[new] = value
            elif value is not None and value != before and p.version is None:
                first = next(q for q, _ in origins[new] if q is not p)
                raise TablesUnlinkable(first, p, "publish different figures for the same cell "
                                           f"({_describe(dims, new)}); if they count different people, give them "
                                           "different populations")
            # An archived figure that differs from the current one was revised: the current stands.
    hierarchy = {}
    for ident in dims:
        if ident.startswith("codelist:") and ident[9:] in lists and lists[ident[9:]].parts:
            hierarchy[ident] = dict(lists[ident[9:]].parts)
        elif ident == PERIOD:
            levels = {k[dims.index(PERIOD)] for k in cells}
            calendar = _calendar(levels)
            if calendar:
                hierarchy[ident] = calendar
    table = disclosure.Table(tuple(dims), totals, cells, exposed=frozenset(exposed), hierarchy=hierarchy)
    system = System(population, pieces, table, dict(origins))
    _add_derived(system, dims, totals)
    return system


def _add_derived(system: System, dims: list, totals: dict) -> None:
    """One equation per published change or year-to-date figure, in the linked cell space.

    Each figure gets a key of its own (its period written with the column's name, so it is
    no level of any table) holding the figure as a published value: a change c of period t
    reads t = (t - 1) + c (or t - 1 = t + |c| when it fell), a year-to-date y reads y = the
    periods of the year up to t. Every coefficient is 1, as the audits' constraints are.
    """
    if PERIOD not in dims:
        return
    at = dims.index(PERIOD)
    for p in system.pieces:
        if not p.derived or PERIOD not in p.identities or p.precision not in ("quarter", "month", "year"):
            continue
        named_dims = dict(zip(p.table.table.dimensions, p.identities))
        for column in p.derived:
            for key, value in column.values.items():
                named = {named_dims[d]: v for d, v in zip(p.table.table.dimensions, key)}
                here = tuple(named.get(i, totals.get(i)) for i in dims)
                try:
                    needed = P.computed_from(column.kind, here[at], p.precision)
                except P.PeriodError:
                    continue  # period-precision reports a period written wrongly
                keys = [here[:at] + (period,) + here[at + 1:] for period in needed]
                absent = next((k for k in keys if k not in system.table.cells), None)
                if absent is not None:
                    system.orphans.append(Orphan(p, column.name, key, absent[at]))
                    continue
                if p.version is not None and _revised(p, key, needed, keys, system.table.cells):
                    continue  # an archived figure of counts revised since: it is about the old counts
                own = here[:at] + (f"{here[at]} {column.name} of {p.label}",) + here[at + 1:]
                system.origins.setdefault(own, []).append((p, key))
                figure = float(value)
                figure = int(figure) if figure.is_integer() else figure
                system.known[own] = abs(figure)
                if column.kind == "change":
                    now, before = keys
                    total, parts = (now, (before, own)) if figure >= 0 else (before, (now, own))
                    system.equations.append(disclosure.Constraint(f"change:{column.name}", total, parts))
                else:
                    system.equations.append(disclosure.Constraint(f"year-to-date:{column.name}", own,
                                                                  tuple(keys)))


def _revised(piece: Piece, key: tuple, periods: list, linked: list, cells: dict) -> bool:
    """True when a period an archived figure is computed from now has another published figure."""
    own = piece.table.table
    at = piece.identities.index(PERIOD)
    for period, k in zip(periods, linked):
        then = own.cells.get(key[:at] + (period,) + key[at + 1:])
        if then is not None and cells.get(k) is not None and then != cells[k]:
            return True
    return False


def _calendar(levels: set) -> dict:
    """A year is its quarters (or months), a quarter its months, for the levels present."""
    parts = {}
    for level in levels:
        if re.fullmatch(r"\d{4}", level):
            quarters = tuple(f"{level}-Q{q}" for q in range(1, 5))
            months = tuple(f"{level}-{m:02d}" for m in range(1, 13))
            if all(q in levels for q in quarters):
                parts[level] = quarters
            elif all(m in levels for m in months):
                parts[level] = months
        match = QUARTER.match(level)
        if match:
            year, q = match.group(1), int(match.group(2))
            months = tuple(f"{year}-{m:02d}" for m in range(3 * q - 2, 3 * q + 1))
            if all(m in levels for m in months):
                parts[level] = months
    return parts


def _describe(dims, key) -> str:
    return ", ".join(f"{d.split(':', 1)[-1]}={v}" for d, v in zip(dims, key))


def _version_order(version):
    return tuple(-int(x) for x in version.split(".")) if version else ()


# -- series: totals that agree without a declared link ----------------------------------

def total_series(piece: Piece) -> dict:
    """period -> published grand total of a current piece (every other dimension at its total).

    Across a dimension with no total level the grand total is the sum of its levels, known
    only in periods where every one of them is published: a table with no all-ages level
    and another population's quarterly totals agree there, and the one period with a hidden
    band is where the totals give it back (red team, session 3).
    """
    return _series(piece)


MAX_SUBSET_LEVELS = 8  # a dimension with more levels is compared level by level, not by every set of them


def part_series(piece: Piece) -> dict[str, dict]:
    """'age_band in 12-14, 15-17' -> period -> published sum of those levels (the others at their totals).

    Every set of levels of one dimension (each level alone above MAX_SUBSET_LEVELS): a table of
    another population whose total is such a sum period after period counts the same people
    (teens by gender beside ages by band), a link nobody declared (red team, session 3).
    """
    table = piece.table.table
    if PERIOD not in piece.identities:
        return {}
    i = piece.identities.index(PERIOD)
    out = {}
    for j, dim in enumerate(table.dimensions):
        if j == i:
            continue
        by_level = defaultdict(dict)  # level -> period -> published sum at that level (None: a part hidden)
        for period, value in _series(piece, j, keep_none=True).items():
            by_level[period[1]][period[0]] = value
        levels = sorted(set(by_level) - {table.totals.get(dim)})
        if len(levels) < 2:
            continue
        sets = ([c for r in range(1, len(levels)) for c in itertools.combinations(levels, r)]
                if len(levels) <= MAX_SUBSET_LEVELS else [(level,) for level in levels])
        for chosen in sets:
            periods = set.intersection(*(set(by_level[level]) for level in chosen))
            series = {p: sum(by_level[level][p] for level in chosen) for p in periods
                      if all(by_level[level][p] is not None for level in chosen)}
            if series:
                out[f'{dim} in {", ".join(chosen)}'] = series
    return out


def level_series(piece: Piece) -> dict[str, dict]:
    """identity of each non-period dimension -> (period, level) -> published figure at that level (the other
    dimensions at their totals, summed across one without); its total level included.

    A new table of another population that agrees with one cell for cell over a whole breakdown counts the
    same people, even over one or two periods, where totals alone could agree by chance (red team, session 4).
    """
    if PERIOD not in piece.identities:
        return {}
    return {identity: _series(piece, j) for j, identity in enumerate(piece.identities) if identity != PERIOD}


def _series(piece: Piece, j: int | None = None, keep_none: bool = False) -> dict:
    """period -> published sum of the cells at each dimension's total (summed across one without); with j,
    (period, level of dimension j) -> that sum at each level. A sum with a hidden cell is left out (None with
    `keep_none`, which part_series uses to tell a hidden level from an absent one)."""
    table = piece.table.table
    if PERIOD not in piece.identities:
        return {}
    i = piece.identities.index(PERIOD)
    declared = [d for d in range(len(table.dimensions)) if d not in (i, j) and table.dimensions[d] in table.totals]
    series: dict = {}
    for key, value in table.cells.items():
        if all(key[d] == table.totals[table.dimensions[d]] for d in declared):
            at = key[i] if j is None else (key[i], key[j])
            series[at] = None if value is None or series.get(at, 0) is None else series.get(at, 0) + value
    return series if keep_none else {at: value for at, value in series.items() if value is not None}
