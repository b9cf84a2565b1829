"""`publish.py new`: a new dataset folder from a spreadsheet, its schema inferred and refined for the conventions.

Frictionless's `describe` infers the column types; Tally then guesses each
column's role (a period, a category, a count, a rate), makes counts
non-negative integers with an annotation field, lists each category's values,
and writes a description template and a default chart. Every guess a person
must confirm, and every text only a person can write, is a string starting
with "TODO"; the `todo-marker` rule keeps the dataset from validating until
none is left, and `find_todos` lists them.

The spreadsheet's figures are never copied: the data file starts with only
its header, and the periods are added with `publish.py intake`, which
suppresses small counts.

A wide sheet (age bands as count columns, or columns beside their "Total")
becomes the long layout (issue 10): one category column, drawing on the shared
code list whose levels the headers are (or a TODO category whose total is the
"Total" column, when that column is the sum of the others in every row), and
one count column. Several count columns that add up are a layout the privacy
gate cannot link; `intake` reads the same wide sheet back as a cross-tab.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from frictionless import describe

from tally.core import periods as P
from tally.core.codelists import load_codelists
from tally.core.dataset import IDENTIFIER_NAME
from tally.core.errors import ScaffoldError
from tally.core.paths import RESERVED_DATASET_NAMES, safe_join
from tally.privacy.checks.todo_marker import find_todos
from tally.staff.aliases import normalized
from tally.staff.crosstab import TOTAL
from tally.staff.sheets import read_grid
from tally.staff.staging import commit, recover

NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
PERIOD_HEADERS = {"quarter": "quarter", "qtr": "quarter", "period": "quarter", "reporting period": "quarter",
                  "date": "quarter", "month": "month", "year": "year", "fiscal year": "year"}
MAX_CATEGORIES = 50  # more distinct values than this is free text or an identifier, not a category
TOTAL_LEVEL = re.compile(r"^(all\b|total\b)", re.I)
FREQUENCY = {"quarter": "quarterly", "month": "monthly", "year": "annual"}
SUPPRESSION_NOTE = ("Counts from 1 to 10 are hidden and marked S. Where a hidden count could otherwise be worked "
                    "out from the totals, other counts are hidden too, and all hidden counts carry the same S "
                    "mark. Zeros are shown.")


@dataclass
class ScaffoldResult:
    folder: Path
    todos: list[tuple[str, str]]  # (where in datapackage.json, what to write)
    fields: list[dict]
    wide: str | None = None  # how a wide sheet was read as a long table, when it was

    def to_dict(self) -> dict:
        """For `--json`: each field's guessed role, not its categories (a column guessed wrong may hold counts)."""
        return {"folder": str(self.folder), "descriptor": str(self.folder / "datapackage.json"), "wide": self.wide,
                "fields": [{"name": f["name"], "title": f["title"], "role": f["tally:role"],
                            "kind": f.get("tally:kind"), "period": f.get("tally:period")} for f in self.fields],
                "todos": [{"where": where, "todo": text} for where, text in self.todos]}


def scaffold(datasets: Path, name: str, source: Path, sheet: str | None = None) -> ScaffoldResult:
    """Write datasets/<name>/ (datapackage.json and a header-only data file) from a spreadsheet's columns."""
    if not NAME.match(name):
        raise ScaffoldError(f'"{name}" is not a dataset name: use lower-case words joined by hyphens, '
                            "e.g. shelter-placements (it becomes the URL /datasets/<name>/)")
    if name in RESERVED_DATASET_NAMES:
        raise ScaffoldError(f'"{name}" is reserved for a site page under /datasets/; choose another name')
    folder = safe_join(datasets, name)
    # An interrupted `new` leaves the folder holding only its transaction: undone (or finished) here.
    if folder.exists() and (recover(folder) != "rolled back" or any(folder.iterdir())):
        raise ScaffoldError(f"{folder} already exists; choose another name or remove the folder")
    header, rows = _table(Path(source), sheet)
    fields, wide = _fields(header, rows)
    descriptor = _descriptor(name, fields)
    data = (",".join(f["name"] for f in fields) + "\n").encode("utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    commit(folder, {f"data/{name}.csv": data,
                    "datapackage.json": (json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n").encode()})
    return ScaffoldResult(folder, find_todos(descriptor), fields, wide)


def _table(source: Path, sheet: str | None) -> tuple[list[str], list[list[str | None]]]:
    """The header (the first row that fills most columns) and the data rows below it."""
    grid = read_grid(source, sheet)
    width = max((sum(c is not None for c in row) for row in grid.rows), default=0)
    header = next((i for i, row in enumerate(grid.rows) if sum(c is not None for c in row) >= max(2, width / 2)),
                  None)
    if header is None:
        raise ScaffoldError(f"{grid.source}: found no header row with two or more column names")
    names = grid.rows[header]
    columns = [i for i, c in enumerate(names) if c is not None]
    rows = [[row[i] if i < len(row) else None for i in columns] for row in grid.rows[header + 1:]
            if sum(c is not None for c in row) > 1]
    return [names[i].strip() for i in columns], rows


def _slug(text: str, taken: set) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "column"
    if base[0].isdigit():
        base = "c_" + base
    name, n = base, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    taken.add(name)
    return name


def _fields(header: list[str], rows: list[list]) -> tuple[list[dict], str | None]:
    """The schema's fields, one or two per column (a wide sheet's count columns folded into two), and how a
    wide sheet was read."""
    described = describe([header] + [[v if v is not None else "" for v in r] for r in rows], type="resource")
    types = [f.type for f in described.schema.fields]
    taken: set = set()
    columns = []
    for index, title in enumerate(header):
        values = [r[index].strip() for r in rows if index < len(r) and r[index] is not None and r[index].strip()]
        name = _slug(title, taken)
        columns.append(_field(name, title, types[index] if index < len(types) else "string", values, taken))
    counts = [i for i, fs in enumerate(columns) if fs[0].get("tally:kind") == "count"]
    found = _wide(header, rows, counts) if len(counts) >= 2 else None
    if found is None:
        return [f for fs in columns for f in fs], None
    levels, dimension, how = found
    taken = {f["name"] for i, fs in enumerate(columns) if i not in levels for f in fs}
    dimension["name"] = _slug(dimension["name"], taken)
    fields = []
    for i, fs in enumerate(columns):
        if i == min(levels):
            fields.append(dimension)
        if i not in levels:
            fields += fs
    fields = ([f for f in fields if f["tally:role"] == "dimension"] + [f for f in fields if f["tally:role"] != "dimension"]
              + _measure(_slug("count", taken), "Count", "integer", taken))
    return fields, how


def _wide(header, rows, counts) -> tuple[dict, dict, str] | None:
    """({column: level}, the category field, a note) when count columns are the levels of one category."""
    titles = {i: normalized(header[i]) for i in counts}
    for code_list in load_codelists().values():
        known = {normalized(v): v for v in code_list.levels}
        levels = {i: known[t] for i, t in titles.items() if t in known}
        if len(levels) < 2:
            continue
        if code_list.total:
            levels.update({i: code_list.total for i, t in titles.items() if TOTAL.match(t) and i not in levels})
        field = {"name": code_list.name.replace("-", "_"), "title": code_list.title, "type": "string",
                 "description": f"TODO: confirm the columns are {code_list.title.lower()} levels of the shared code "
                                f'list "{code_list.name}" (codelists/{code_list.name}.json).',
                 "tally:role": "dimension", "tally:codelist": code_list.name,
                 "constraints": {"required": True, "enum": list(levels.values())}}
        if code_list.total in levels.values():
            field["tally:total"] = code_list.total
        return levels, field, _how(header, levels, field)
    totals = [i for i, t in titles.items() if TOTAL.match(t)]
    if len(totals) != 1 or len(counts) < 3 or not _adds_up(rows, totals[0], [i for i in counts if i != totals[0]]):
        return None
    levels = {i: header[i].strip() for i in counts}
    field = {"name": "category", "title": "TODO: what the columns are, e.g. Referral source", "type": "string",
             "description": f'TODO: say what this category is. The sheet had one column per value; "{levels[totals[0]]}"'
                            " is the sum of the others in every row (its total).",
             "tally:role": "dimension", "tally:total": levels[totals[0]],
             "constraints": {"required": True, "enum": list(levels.values())}}
    return levels, field, _how(header, levels, field)


def _adds_up(rows, total, parts) -> bool:
    """True when, in every row with all of them written as whole numbers (at least one), total = sum(parts)."""
    checked = 0
    for row in rows:
        cells = [row[i] if i < len(row) else None for i in [total] + parts]
        if not all(c is not None and re.fullmatch(r"\s*-?[\d,]+\s*", c) for c in cells):
            continue
        values = [int(c.replace(",", "")) for c in cells]
        if values[0] != sum(values[1:]):
            return False
        checked += 1
    return checked > 0


def _how(header, levels, field) -> str:
    first, last = min(levels), max(levels)
    return (f'read as a wide sheet: columns "{header[first].strip()}" to "{header[last].strip()}" are the levels of '
            f'"{field["name"]}"; the table is written long (one row per {field["name"]} level, one count column), '
            "and intake reads the same wide sheet back")


def _period_precision(title: str, values: list[str]) -> str | None:
    guess = PERIOD_HEADERS.get(re.sub(r"\s+", " ", title.strip().lower()))
    for precision in ([guess] if guess else []) + ["quarter"]:
        readable = 0
        for v in values[:200]:
            try:
                P.read_cell(v, precision)
                readable += 1
            except P.PeriodError:
                pass
        if values and readable == len(values[:200]):
            return precision
    return None


def _numeric(values: list[str]) -> bool:
    numbers = sum(1 for v in values if re.fullmatch(r"-?[\d,]+(\.\d+)?%?", v))
    return bool(values) and numbers >= len(values) / 2


def _field(name, title, kind, values, taken) -> list[dict]:
    precision = _period_precision(title, values)
    if precision:
        return [{"name": name, "title": title.strip(), "type": "string",
                 "description": f"TODO: say what the {precision} is (e.g. the {precision} the child was identified).",
                 "tally:role": "dimension", "tally:period": precision,
                 "constraints": {"required": True, "pattern": P.PATTERN[precision]}}]
    coded = any(re.fullmatch(r"0\d+", v) for v in values) or IDENTIFIER_NAME.search(name)
    if kind in ("integer", "number") and not coded or kind == "string" and _numeric(values):
        return _measure(name, title, "integer" if kind != "number" else "number", taken)
    levels = list(dict.fromkeys(values))
    field = {"name": name, "title": title.strip(), "type": "string", "tally:role": "dimension",
             "constraints": {"required": True}}
    if len(levels) > MAX_CATEGORIES:
        field["description"] = (f"TODO: this column has {len(levels)} different values. Free text and identifiers "
                                "are never published: group the values into a few categories, or remove the column.")
        return [field]
    field["constraints"]["enum"] = levels
    field["description"] = "TODO: say what this category is, and what each value means."
    shared = next((c for c in load_codelists().values() if set(levels) <= set(c.levels)), None)
    if shared is not None:
        # The shared code list the levels come from: the privacy gate links tables through it (issue 10).
        field["tally:codelist"] = shared.name
    total = next((v for v in levels if TOTAL_LEVEL.match(v)), None)
    if shared is not None and shared.total in levels:
        total = shared.total
    if total:
        field["tally:total"] = total
        field["description"] += f' "{total}" is taken to be the total of the other values: TODO confirm.'
    return [field]


def _measure(name, title, kind, taken) -> list[dict]:
    note = _slug(f"{name}_note", taken)
    if kind == "integer":
        measure = {"name": name, "title": title.strip(), "type": "integer",
                   "description": "TODO: say what is counted. Tally guessed a count of people (tally:kind count), "
                                  "so counts from 1 to 10 are suppressed; if it counts things such as classes or "
                                  "operations, set tally:kind to quantity.",
                   "tally:role": "measure", "tally:kind": "count", "tally:unit": "TODO: what is counted, plural "
                   "(e.g. children)", "tally:population": "TODO: who is counted, a site-wide identifier shared "
                   "by every table of the same people (e.g. children-identified)",
                   "tally:annotation": note, "constraints": {"minimum": 0}}
    else:
        rate = "percentage" if re.search(r"%|percent|pct|share", title, re.I) else "rate"
        measure = {"name": name, "title": title.strip(), "type": "number",
                   "description": f"TODO: say how it is computed. Tally guessed a {rate} derived from counts: name "
                                  "them in tally:derivedFrom, so it is hidden when they are.",
                   "tally:role": "measure", "tally:kind": rate, "tally:unit": "TODO: the unit (e.g. percent)",
                   "tally:annotation": note, "tally:derivedFrom": ["TODO: the count field(s) it is computed from"],
                   "constraints": {"minimum": 0}}
    annotation = {"name": note, "title": f"{title.strip()}: note", "type": "string",
                  "description": f"Code explaining the {title.strip().lower()} figure; empty when it is published as it "
                                 "stands. S means suppressed to protect privacy; N means not available; P means "
                                 "provisional; R means revised since the last release.",
                  "tally:role": "annotation", "constraints": {"enum": ["S", "N", "P", "R"]}}
    return [measure, annotation]


def _descriptor(name: str, fields: list[dict]) -> dict:
    period = next((f for f in fields if f.get("tally:period")), None)
    dims = [f for f in fields if f["tally:role"] == "dimension"]
    resource = {"name": name, "path": f"data/{name}.csv", "title": "TODO: what one row is, e.g. Children "
                "identified by quarter and age band", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                "schema": {"fields": fields, "primaryKey": [f["name"] for f in dims]}}
    descriptor = {
        "name": name,
        "title": "TODO: a plain title, e.g. Children identified each quarter",
        "description": "TODO: one paragraph saying what is counted, by whom and where; it is the summary shown in "
                       "lists.\n\nTODO: how the figures are collected and what a reader should know.",
        "version": "1.0.0",
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                      "title": "Creative Commons Attribution 4.0 International"}],
        "sources": [{"title": "TODO: who collects these figures"}],
        "keywords": [],
        "tally:topic": "TODO: one topic the catalog groups by, e.g. Identification",
        "tally:frequency": FREQUENCY[period["tally:period"]] if period else "TODO: quarterly, monthly or annual",
        "tally:coverage": {"spatial": "TODO: the area covered, e.g. Example County"},
        "tally:notes": [SUPPRESSION_NOTE],
        "resources": [resource],
    }
    view = _default_view(name, fields, period)
    if view:
        descriptor["views"] = [view]
    return descriptor


def _default_view(name: str, fields: list[dict], period: dict | None) -> dict | None:
    measures = [f for f in fields if f["tally:role"] == "measure"]
    if not period or not measures:
        return None
    others = [f for f in fields if f["tally:role"] == "dimension" and f is not period and "constraints" in f
              and "enum" in f["constraints"]]
    spec = {"mark": "line", "x": period["name"], "y": measures[0]["name"],
            "description": "TODO: one sentence a screen reader user hears first, saying what the chart shows."}
    if others:
        spec["color"] = others[0]["name"]
        totals = {f["name"]: f["tally:total"] for f in others[1:] if f.get("tally:total")}
        if totals:
            spec["filter"] = totals
    return {"name": f"by-{period['name'].replace('_', '-')}", "title": "TODO: the chart's title",
            "resources": [name], "specType": "tally", "spec": spec}
