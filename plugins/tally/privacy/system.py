"""The site-wide system: every table of every package and archived release, linked by what it counts (issue 10).

A count measure names its population (`tally:population`); its dimensions are
identified by their code list (`tally:codelist`), as the period, or by field
name. All tables of one population, current or archived, in any package, are
placed in one cell space (a dimension a table lacks stands at its total level)
and audited as one `disclosure.Table`, with each code list's hierarchy and the
calendar (a year is its quarters, a quarter its months) as constraints. A
table that should link and cannot is a `TablesUnlinkable` naming both tables.

Archived releases published before populations existed take the current
descriptor's population and code lists for the same field. Where a current
figure and an archived one differ, the current one stands (a revision); a cell
hidden in one table and published in another is published.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from tally.core.codelists import load_codelists
from tally.core.errors import TablesUnlinkable
from tally.core.loading import load_dataset
from tally.core.releases import archived_releases
from tally.core.report import dataset_file
from tally.privacy import disclosure
from tally.privacy.policy import Policy
from tally.privacy.tables import MeasureTable, resource_tables

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

    @property
    def label(self) -> str:
        where = f" (release {self.version})" if self.version else ""
        return f'{self.dataset}/{self.resource} "{self.measure}"{where}'


@dataclass
class System:
    """The linked Table of one population and where each of its cells came from."""

    population: str
    pieces: list[Piece]
    table: disclosure.Table
    origins: dict = field(default_factory=dict)  # linked key -> [(piece, key in the piece's table)]

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
        for name, table in resource_tables(resource).items():
            population = table.population
            if population is None and inherited and (resource.name, name) in inherited:
                population = inherited[(resource.name, name)].population
            if population is None:
                continue  # count-population reports it
            out.append(Piece(slug or dataset.slug, version, resource.name, name, population, table,
                             tuple(identity(f) for f in dims), dataset_file(dataset.folder, resource.file), policy))
    return out


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
    return System(population, pieces, table, dict(origins))


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
    """period -> published grand total of a current piece (every other dimension at its total)."""
    table = piece.table.table
    if PERIOD not in piece.identities:
        return {}
    i = piece.identities.index(PERIOD)
    others = [j for j in range(len(table.dimensions)) if j != i]
    if any(table.dimensions[j] not in table.totals for j in others):
        return {}
    series = {}
    for key, value in table.cells.items():
        if value is not None and all(key[j] == table.totals[table.dimensions[j]] for j in others):
            series[key[i]] = value
    return series
