"""Disclosure control core: additive constraints, the two complementary audits, and `suppress`.

Pure module: standard library, numpy, scipy and highspy (HiGHS, the LP solver scipy
wraps, used directly so that one model is re-solved warm), so it can be tested alone.
The privacy model is DESIGN.md "Disclosure control", after the CalHHS Data
De-identification Guidelines (DDG):

* Primary suppression (DDG 4.4.1): every count in 1..threshold-1 is hidden; zero
  is shown, because "a non-event cannot be identified".
* Complementary suppression (DDG 4.4.3): no hidden cell may be worked out from
  published totals. Two audits, both required:
  - `exact_audit`: a hidden cell is recoverable when its unit vector lies in the
    row space of the constraint matrix restricted to hidden cells.
  - `interval_audit`: HiGHS LP min/max of each hidden cell given the published
    cells, the constraints, and what the public knows about hidden cells.

What the public knows about a hidden cell (the LP bounds):

* It is at least 1 (`hidden_min=1`): Tally publishes every zero, so an empty
  count cell cannot be zero. A source that also hides zeros (the CT files) is
  audited with `hidden_min=0`.
* The guessing reader (issue 16, `guessing_audit`): every count in 1..threshold-1
  is hidden, so every other hidden cell is at least the threshold, and a reader
  who knows the methodology can guess which hidden cells are the small ones.
  For every guess the published figures allow, each cell guessed small must keep
  the whole small range. DDG 4.4.1 rule 6 ("10-9", "10-10-10") is this attack.
  It needs no knowledge of which cells are primary, so CI runs it on a published
  file and `suppress` runs the very same proof (`Table.primary` is kept for the
  older interval audit and the tests).

DEFAULT_PROTECTION_WIDTH = 9. With the site threshold 11 a primary cell can
only be 1..10, a range of width 9, so requiring max-min >= 9 means the published
figures must tell the public nothing about a small cell beyond "it was
suppressed". It catches every DDG worked example: "10-9" (two primary cells,
hidden sum 19: each pinned to 9..10, width 1), "10-10-10 with a total of 74"
(hidden sum 30: each pinned to exactly 10, width 0), DDG 4.4.1 rule 6(b) (hidden
cells of a row summing below 11: width at most 8) and rule 6(a) (all hidden
cells <= 3) for up to four cells in a row. The width rule applies to a hidden
cell whose range reaches below the threshold; a cell proven >= threshold hides
no small count.

Messages never print a number in 1..threshold-1 derived from raw data: exact
findings never print the recovered value, and a range bound that falls in the
small range is written as "fewer than <threshold>" (see `Finding.range_text`).
"""

from __future__ import annotations

import itertools
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Mapping

import highspy
import numpy as np
from scipy.sparse import csc_array, csr_array

from tally.core.errors import BudgetExceeded, LinkConflict, MagnitudeError
from tally.core.settings import DEFAULTS

# Defaults for direct calls (tests, benchmarks); the gate and staff commands pass a Policy's values.
DEFAULT_THRESHOLD = DEFAULTS["TALLY_THRESHOLD"]
DEFAULT_PROTECTION_WIDTH = DEFAULTS["TALLY_PROTECTION_WIDTH"]
# Levels to hide first as complements: they carry the least analytic value (DDG 4.4.3).
DEFAULT_PREFER = ("Unknown", "Other", "Not stated", "Not recorded", "Missing")
DEFAULT_MAX_ASSIGNMENTS = DEFAULTS["TALLY_AUDIT_MAX_ASSIGNMENTS"]
TOL = 1e-7
# The LP solver (HiGHS) works in binary floating point with an absolute feasibility
# tolerance of about 1e-7. Up to a billion, every count, every sum of a table's counts and
# every bound it returns round to the right whole number; above it (issue 16, 6: above 2**53
# a hidden pair summing to 5 was audited as 256) the interval audits refuse the table
# rather than round. The exact audit needs no bound: it never looks at the values.
MAX_EXACT_COUNT = 10 ** 9


def check_magnitudes(table: Table) -> None:
    """Raise MagnitudeError for a published count above MAX_EXACT_COUNT."""
    for key in sorted(table.cells, key=_sort_key):
        value = table.cells[key]
        if value is not None and abs(value) > MAX_EXACT_COUNT:
            raise MagnitudeError(key, "the published count %s is too large to audit exactly (the limit is a "
                                      "billion); publish it in larger units (thousands) or as a quantity, not a "
                                      "count of people" % _fmt(key))


@dataclass(frozen=True)
class Table:
    """One count measure over a cell space. Keys are tuples of dimension values, in `dimensions` order."""

    dimensions: tuple[str, ...]
    totals: Mapping[str, str]
    cells: Mapping[tuple, int | None]
    primary: frozenset = frozenset()
    # Keys hidden in one linked table but published in another (see `link_tables`).
    exposed: frozenset = frozenset()
    # Dimension -> {level: the levels it is the sum of}, from a shared code list or the
    # period calendar (issue 10). A dimension listed here takes its constraints from it,
    # not from `totals` (total = every other level), so sub-totals are not double counted.
    hierarchy: Mapping[str, Mapping[str, tuple]] = field(default_factory=dict)

    def hidden(self) -> list[tuple]:
        """Keys of hidden cells, sorted."""
        return sorted((k for k, v in self.cells.items() if v is None), key=_sort_key)


@dataclass(frozen=True)
class Constraint:
    """`total` = sum of `parts`, along `dimension`."""

    dimension: str
    total: tuple
    parts: tuple[tuple, ...]

    def keys(self) -> tuple[tuple, ...]:
        """The total key followed by the part keys."""
        return (self.total, *self.parts)


@dataclass(frozen=True)
class Finding:
    """A hidden cell the public can work out (exactly, or within a too-narrow range)."""

    # "complementary-exact" | "complementary-interval" | "complementary-guess" | "guess-budget"
    # | "linked-exposed" | "inconsistent-totals"
    rule: str
    cells: tuple[tuple, ...]
    constraints: tuple[Constraint, ...] = ()
    lo: float | None = None
    hi: float | None = None
    threshold: int = DEFAULT_THRESHOLD

    def range_text(self) -> str:
        """The recovered range with any bound in 1..threshold-1 redacted."""
        small = range(1, self.threshold)

        def safe(x):
            return "fewer than %d" % self.threshold if x in small else "%d" % x

        if self.lo is None:
            return ""
        if self.hi == math.inf:
            return "at least %s" % safe(self.lo) if self.lo not in small else "any size"
        lo, hi = int(self.lo), int(self.hi)
        if lo in small and hi in small:
            return "a small number (below %d)" % self.threshold
        if lo in small:
            return "at most %d" % hi
        if hi in small:  # lo is 0 here
            return "fewer than %d" % self.threshold
        return "between %d and %d" % (lo, hi)

    def describe(self) -> str:
        """Plain-English sentence naming the cells and totals, and how to fix it."""
        cells = ", ".join(_fmt(k) for k in self.cells)
        totals = " and ".join(_fmt(c.total) for c in self.constraints) or "the published totals"
        noun = "total" if len(self.constraints) == 1 else "totals"
        where = "that row" if len(self.constraints) <= 1 else "each of those rows or columns"
        if self.rule == "complementary-exact":
            return ("the hidden cell %s can be worked out exactly from the %s %s and the other "
                    "published cells; hide one more cell in %s" % (cells, noun, totals, where))
        if self.rule == "complementary-interval":
            return ("the hidden cell %s can be narrowed down to %s from the %s %s and the other "
                    "published cells; hide one more cell in %s" % (cells, self.range_text(), noun, totals, where))
        if self.rule == "complementary-guess":
            return ("if a reader guesses which hidden cells are the small ones, one guess the published "
                    "figures allow narrows the hidden cell %s to %s, using the %s %s; hide one more cell in %s, "
                    "preferably a large one" % (cells, self.range_text(), noun, totals, where))
        if self.rule == "guess-budget":
            return ("the %d hidden cells linked through %s are too many to prove safe against a reader who "
                    "guesses which are the small ones; publish the table split into smaller tables (one per "
                    "period, or fewer levels or breakdowns together) so fewer hidden cells share totals, or "
                    "raise TALLY_AUDIT_MAX_ASSIGNMENTS" % (len(self.cells), totals))
        if self.rule == "linked-exposed":
            return ("the hidden cell %s is published in another table or an earlier release; "
                    "it cannot be hidden now" % cells)
        return ("the published totals %s do not add up with the cells %s hidden (a hidden "
                "zero, or a total that is not a sum); check the figures" % (totals, cells))

    def as_dict(self) -> dict:
        """JSON-ready form, redacted like `describe`."""
        return {"rule": self.rule, "cells": [list(k) for k in self.cells],
                "totals": [list(c.total) for c in self.constraints],
                "range": self.range_text(), "message": self.describe()}


@dataclass(frozen=True)
class Decision:
    """Why `suppress` hid one cell. Never carries the cell's value."""

    key: tuple
    reason: str


@dataclass(frozen=True)
class SuppressionResult:
    """The publishable table (hidden = None) and why each cell was hidden."""

    table: Table
    decisions: tuple[Decision, ...]


def _fmt(key) -> str:
    return "(" + ", ".join(str(v) for v in key) + ")"


def _sort_key(key):
    return tuple(str(v) for v in key)


# -- structure ---------------------------------------------------------------

def _expand(parts: Mapping[str, tuple], level, present) -> tuple:
    """`level`'s parts written with present levels: a missing part by its own parts, a missing leaf as 0."""
    out = []
    for part in parts[level]:
        if part in present:
            out.append(part)
        elif part in parts:
            out.extend(_expand(parts, part, present))
    return tuple(out)


def _hierarchy_constraints(table: Table, i: int, dim: str) -> list[Constraint]:
    """One constraint per level with parts and combination of the other dimensions (`Table.hierarchy`)."""
    parts = table.hierarchy[dim]
    groups = defaultdict(dict)
    for key in table.cells:
        groups[key[:i] + key[i + 1:]][key[i]] = key
    out = []
    for rest, keys in groups.items():
        for level in parts:
            if level not in keys:
                continue
            members = _expand(parts, level, keys)
            if members:
                out.append(Constraint(dim, keys[level], tuple(sorted((keys[m] for m in members), key=_sort_key))))
    return out


def additive_constraints(table: Table) -> list[Constraint]:
    """Every total = sum of parts: one per dimension with a total level and combination of the other dims."""
    out = []
    for i, dim in enumerate(table.dimensions):
        if dim in table.hierarchy:
            out.extend(_hierarchy_constraints(table, i, dim))
            continue
        level = table.totals.get(dim)
        if level is None:
            continue
        groups = defaultdict(list)
        for key in table.cells:
            groups[key[:i] + key[i + 1:]].append(key)
        for rest, keys in groups.items():
            total = rest[:i] + (level,) + rest[i:]
            parts = tuple(sorted((k for k in keys if k[i] != level), key=_sort_key))
            # Cells absent from `cells` are outside the cell space (structural zeros).
            if total in table.cells and parts:
                out.append(Constraint(dim, total, parts))
    return sorted(out, key=lambda c: (c.dimension, _sort_key(c.total)))


def link_tables(tables: list[Table]) -> Table:
    """Union of tables of one measure in one cell space; a cell published anywhere is published."""
    dims, totals = [], {}
    for t in tables:
        for d in t.dimensions:
            if d not in dims:
                dims.append(d)
        for d, level in t.totals.items():
            if totals.setdefault(d, level) != level:
                raise ValueError("dimension %r has total %r in one table and %r in another" % (d, totals[d], level))
    cells, primary, exposed, conflicts = {}, set(), set(), set()
    for t in tables:
        missing = [d for d in dims if d not in t.dimensions]
        if any(d not in totals for d in missing):
            raise ValueError("a table lacks dimension(s) %s that have no total level, so its cells "
                             "cannot be placed" % [d for d in missing if d not in totals])
        for key, value in t.cells.items():
            named = dict(zip(t.dimensions, key))
            new = tuple(named.get(d, totals.get(d)) for d in dims)
            if key in t.primary:
                primary.add(new)
            if new not in cells:
                cells[new] = value
            elif (cells[new] is None) != (value is None):
                # Hidden here, published there: the public has the value (DESIGN.md 3, linked tables).
                exposed.add(new)
                if value is not None:
                    cells[new] = value
            elif value != cells[new]:
                conflicts.add(new)
    if conflicts:
        keys = sorted(conflicts, key=_sort_key)
        raise LinkConflict(keys, "; ".join(_fmt(k) for k in keys[:5]))
    return Table(tuple(dims), totals, cells, frozenset(primary), frozenset(exposed))


def _components(hidden: list, constraints: list[Constraint]):
    """Connected components of hidden cells linked by shared constraints, with their constraints."""
    parent = {k: k for k in hidden}

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    touching = []
    for c in constraints:
        hk = [k for k in c.keys() if k in parent]
        if hk:
            touching.append((c, hk))
            for k in hk[1:]:
                a, b = find(hk[0]), find(k)
                if a != b:
                    parent[max(a, b, key=_sort_key)] = min(a, b, key=_sort_key)
    cells, cons = defaultdict(list), defaultdict(list)
    for k in hidden:
        cells[find(k)].append(k)
    for c, hk in touching:
        cons[find(hk[0])].append(c)
    return [(cells[r], cons[r]) for r in sorted(cells, key=_sort_key)]


def _system(table: Table, cells: list, constraints: list[Constraint]):
    """A x = b over the hidden `cells`, one row per constraint (total - parts = 0)."""
    index = {k: j for j, k in enumerate(cells)}
    rows, cols, vals, b = [], [], [], []
    for i, c in enumerate(constraints):
        rhs = 0.0
        for k, coef in [(c.total, 1.0)] + [(p, -1.0) for p in c.parts]:
            if k in index:
                rows.append(i), cols.append(index[k]), vals.append(coef)
            else:
                rhs -= coef * table.cells[k]
        b.append(rhs)
    A = csr_array((vals, (rows, cols)), shape=(len(constraints), len(cells)))
    return A, np.array(b)


class _LP:
    """min c.x subject to A x = b and bounds, re-solved for many objectives on one HiGHS model.

    Changing only the objective keeps the last optimal basis, so each re-solve is a warm
    start: far cheaper than building the model again (scipy's linprog does that on every
    call). `solve` returns a scipy-like result: status 0 optimal, 2 infeasible, 3 unbounded.
    """

    def __init__(self, A, b, bounds):
        A = csc_array(A)
        n = A.shape[1]
        self.n = n
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n, A.shape[0]
        lp.col_cost_ = np.zeros(n)
        lp.col_lower_ = np.array([lo for lo, _ in bounds], dtype=float)
        lp.col_upper_ = np.array([highspy.kHighsInf if hi is None else hi for _, hi in bounds], dtype=float)
        lp.row_lower_ = lp.row_upper_ = np.asarray(b, dtype=float)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_, lp.a_matrix_.index_ = A.indptr, A.indices
        lp.a_matrix_.value_ = A.data.astype(float)
        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        self.highs.passModel(lp)
        self.index = np.arange(n, dtype=np.int32)

    def bound(self, lower, upper) -> None:
        """Replace every column's bounds (upper None or inf = unbounded); the basis is kept for a warm start."""
        upper = np.array([highspy.kHighsInf if u is None or u == math.inf else u for u in upper], dtype=float)
        self.highs.changeColsBounds(self.n, self.index, np.asarray(lower, dtype=float), upper)

    def solve(self, c):
        self.highs.changeColsCost(self.n, self.index, np.asarray(c, dtype=float))
        self.highs.run()
        status = self.highs.getModelStatus()
        if status not in _KNOWN:  # a warm start gone wrong (rare): solve again from scratch
            self.highs.clearSolver()
            self.highs.run()
            status = self.highs.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            x = np.array(self.highs.getSolution().col_value)
            return _Result(0, x, float(np.dot(c, x)))
        if status == highspy.HighsModelStatus.kInfeasible:
            return _Result(2, None, math.nan)
        if status in (highspy.HighsModelStatus.kUnbounded, highspy.HighsModelStatus.kUnboundedOrInfeasible):
            return _Result(3, None, -math.inf)
        raise ArithmeticError("the LP solver stopped with status %s" % self.highs.modelStatusToString(status))


_KNOWN = (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kInfeasible,
          highspy.HighsModelStatus.kUnbounded, highspy.HighsModelStatus.kUnboundedOrInfeasible)


@dataclass(frozen=True)
class _Result:
    status: int
    x: np.ndarray | None
    fun: float


# -- audits ------------------------------------------------------------------

def exposed_findings(table: Table) -> list[Finding]:
    """Cells hidden in one linked table but published in another or an earlier release."""
    return [Finding("linked-exposed", (k,), threshold=DEFAULT_THRESHOLD)
            for k in sorted(table.exposed, key=_sort_key)]


def exact_audit(table: Table, constraints: list[Constraint] | None = None, *,
                _only: frozenset | None = None, _certify: bool = True) -> list[Finding]:
    """Hidden cells whose value follows exactly from the constraints and the published cells.

    `_only` (used by `suppress`) audits just the components that hold those cells;
    `_certify=False` skips naming the totals that recover each cell (one LP per cell).
    """
    constraints = additive_constraints(table) if constraints is None else constraints
    findings = []
    for cells, cons in _components(table.hidden(), constraints):
        if not cons or (_only is not None and _only.isdisjoint(cells)):
            continue
        A, _ = _system(table, cells, cons)
        A = A.toarray()
        determined = _determined(A)
        if not determined:
            continue
        for j in determined:
            used = tuple(cons[i] for i in _certificate(A, j)) if _certify else ()
            findings.append(Finding("complementary-exact", (cells[j],), used))
    return findings


def _determined(A: np.ndarray) -> list[int]:
    """Columns j whose unit vector lies in A's row space, by exact rational elimination.

    Issue 16, 6: the span test must not depend on floating-point rank decisions. A's
    entries are 0 and +-1 (never the counts), so reduced row echelon form over Fraction is
    exact and, on the sparse rows of a table's totals, quick. Column j is determined
    exactly when it is a pivot whose reduced row has no other non-zero entry.
    """
    pivots: dict[int, dict[int, Fraction]] = {}  # pivot column -> its reduced row
    for i in range(A.shape[0]):
        row = {int(j): Fraction(int(v)) for j, v in zip(np.flatnonzero(A[i]), A[i][np.flatnonzero(A[i])])}
        for col in sorted(c for c in row if c in pivots):
            factor = row.get(col)
            if factor:
                for c, v in pivots[col].items():
                    new = row.get(c, 0) - factor * v
                    if new:
                        row[c] = new
                    else:
                        row.pop(c, None)
        if not row:
            continue
        col = min(row)
        lead = row[col]
        row = {c: v / lead for c, v in row.items()}
        # Keep every stored row reduced in the new pivot column, so rows stay in RREF.
        for other in pivots.values():
            factor = other.get(col)
            if factor:
                for c, v in row.items():
                    new = other.get(c, 0) - factor * v
                    if new:
                        other[c] = new
                    else:
                        other.pop(c, None)
        pivots[col] = row
    return sorted(col for col, row in pivots.items() if len(row) == 1)


def _certificate(A: np.ndarray, j: int) -> list[int]:
    """Fewest-weight set of constraint rows whose combination isolates column j (min L1 y, A^T y = e_j)."""
    single = np.flatnonzero((np.count_nonzero(A, axis=1) == 1) & (A[:, j] != 0))
    if single.size:  # the common case: a row or column with one hidden cell
        return [int(single[0])]
    m = A.shape[0]
    e = np.zeros(A.shape[1])
    e[j] = 1.0
    r = _LP(np.hstack([A.T, -A.T]), e, [(0, None)] * (2 * m)).solve(np.ones(2 * m))
    y = r.x[:m] - r.x[m:]
    return [int(i) for i in np.flatnonzero(np.abs(y) > 1e-8)]


def interval_audit(table: Table, constraints: list[Constraint] | None = None,
                   threshold: int = DEFAULT_THRESHOLD, protection_width: int = DEFAULT_PROTECTION_WIDTH,
                   hidden_min: int = 1, _lower: Mapping | None = None,
                   _only: frozenset | None = None) -> list[Finding]:
    """Hidden cells the LP pins too narrowly (width < protection_width) or wholly inside 1..threshold-1.

    `_lower` overrides the lower bound of some hidden cells (`suppress` models a hidden zero
    honestly at 0); `_only` judges just those cells (`suppress` trying a candidate).
    """
    check_magnitudes(table)
    constraints = additive_constraints(table) if constraints is None else constraints
    small_hi = threshold - 1
    findings = []

    def lower(k):
        return (_lower or {}).get(k, hidden_min)

    def upper(k):
        return small_hi if k in table.primary else math.inf

    # Without knowing which cells are primary (a published file), every hidden cell may be
    # a small one, so "pinned inside 1..threshold-1" says nothing the "S" code did not.
    primary_known = bool(table.primary)

    def fails(k, lo, hi):
        if hi - lo < protection_width and lo < threshold:
            return True
        return primary_known and k not in table.primary and 1 <= lo and hi <= small_hi

    for cells, cons in _components(table.hidden(), constraints):
        if _only is not None and _only.isdisjoint(cells):
            continue
        if not cons:
            for k in cells:
                if fails(k, lower(k), upper(k)) and (_only is None or k in _only):
                    findings.append(Finding("complementary-interval", (k,), (), lower(k), upper(k), threshold))
            continue
        A, b = _system(table, cells, cons)
        bounds = [(lower(k), None if upper(k) == math.inf else upper(k)) for k in cells]
        n = len(cells)

        solve = _LP(A, b, bounds).solve
        baseline = {}  # the freed system `_inherent` compares with, built on first need

        first = solve(np.zeros(n))
        if first.status != 0:  # infeasible: the published figures contradict the bounds
            findings.append(Finding("inconsistent-totals", tuple(cells), tuple(cons), threshold=threshold))
            continue
        # Every feasible point proves spread: a cell whose observed values already span the
        # width (and leave the small range) needs no LP of its own. Objectives that push the
        # unproven cells up, then down, then a random direction prove most cells in a few
        # dozen LPs instead of two per cell. Seeded, so the audit is deterministic.
        seen_lo, seen_hi = first.x.copy(), first.x.copy()
        is_primary = np.array([k in table.primary for k in cells])
        rng = np.random.default_rng(0)

        def unproven():
            spread = seen_hi - seen_lo >= protection_width - TOL
            leaves_small = is_primary | (seen_hi > small_hi + TOL) | (seen_lo < 1 - TOL)
            return ~(spread & leaves_small)

        stale, best = (2, 0) if _only is not None else (0, n + 1)
        if _only is not None:  # judge just these cells: mark every other one proven
            seen_lo = np.where([k in _only for k in cells], seen_lo, -math.inf)
        while stale < 2:
            for direction in (-1.0, 1.0, 0.0):
                u = unproven()
                c = rng.standard_normal(n) if direction == 0.0 else direction * u * rng.random(n)
                r = solve(c)
                if r.status == 0:
                    seen_lo, seen_hi = np.minimum(seen_lo, r.x), np.maximum(seen_hi, r.x)
            left = int(unproven().sum())
            stale, best = (stale + 1, best) if left >= best else (0, left)
        # Minima first, then maxima: consecutive objectives are alike, so the warm start pays.
        # A feasible point already at a bound the constraints imply (a row's residual, see
        # `_row_bounds`) proves that end of the range: no LP needed.
        floors, caps = _row_bounds(A, b, bounds)
        todo = [j for j in np.flatnonzero(unproven())]
        lows = {}
        for j in todo:
            if not unproven()[j]:
                continue
            floor = floors[j]
            r = None if seen_lo[j] <= floor + TOL else solve(_unit(n, j))
            if r is not None and r.status == 0:
                seen_lo, seen_hi = np.minimum(seen_lo, r.x), np.maximum(seen_hi, r.x)
            # Counts are integers, so the public may round the LP bounds inward.
            lows[j] = math.ceil(floor) if r is None else math.ceil(r.fun - 1e-6)
        for j in todo:
            if not unproven()[j]:
                continue
            cap = caps[j]
            r = None if seen_hi[j] >= cap - TOL else solve(-_unit(n, j))
            if r is not None and r.status == 0:
                seen_lo, seen_hi = np.minimum(seen_lo, r.x), np.maximum(seen_hi, r.x)
            lo = lows[j]
            hi = math.floor(cap) if r is None else math.inf if r.status == 3 else math.floor(-r.fun + 1e-6)
            k = cells[j]
            if fails(k, lo, hi) and not _inherent(table, cons, bounds, cells, j, lo, hi, threshold, hidden_min,
                                                  baseline):
                findings.append(Finding("complementary-interval", (k,), _touching(k, cons), lo, hi, threshold))
    return findings


# -- the guessing reader (issue 16) ------------------------------------------------------
#
# Every count in 1..threshold-1 is hidden, so every other hidden cell (a complement) is
# at least the threshold (or, where the source also hides zeros, at least 0). A reader who
# has read the methodology can therefore guess which hidden cells are the small ones, and
# a right guess must teach nothing (DDG 4.4.1 rule 6: "10-9" and "10-10-10" are this
# attack). The proof below enumerates, per connected group of hidden cells, every
# assignment of its cells to small (1..threshold-1) or not small that the published
# figures allow (LP feasibility), and checks each cell guessed small keeps the whole small
# range (or protection_width of it). The true assignment is one of them, so the proof
# holds whichever guess is right; it needs no knowledge of which cells are primary, so CI
# runs it on a published file and `suppress` runs the very same proof.


def guessing_audit(table: Table, constraints: list[Constraint] | None = None,
                   threshold: int = DEFAULT_THRESHOLD, protection_width: int = DEFAULT_PROTECTION_WIDTH,
                   hidden_min: int = 1, max_assignments: int = DEFAULT_MAX_ASSIGNMENTS,
                   _only: frozenset | None = None, stats: dict | None = None,
                   first: bool = False) -> list[Finding]:
    """Cells some consistent guess of "which hidden cells are small" pins too narrowly.

    Findings: "complementary-guess" (a cell guessed small narrowed below the width), and
    "guess-budget" (a group whose consistent guesses exceed `max_assignments` search
    steps: refused, never passed). `stats` (benchmarks) gains "largest" (most search steps
    one group took) and "groups". With `first`, returns as soon as one group has a finding
    (what `suppress` needs each round). Raises MagnitudeError for counts it cannot handle exactly.
    """
    check_magnitudes(table)
    constraints = additive_constraints(table) if constraints is None else constraints
    findings = []
    for cells, cons in _components(table.hidden(), constraints):
        if not cons or (_only is not None and _only.isdisjoint(cells)):
            continue  # a hidden cell in no sum keeps its whole range
        if not any(table.cells[k] for c in cons for k in c.keys()):
            continue  # no non-zero figure published in these sums: every guess's range is its own (`_inherent`)
        found, steps = _Guesses(table, cells, cons, threshold, protection_width, hidden_min,
                                max_assignments).run(first)
        findings += found
        if stats is not None:
            stats["largest"] = max(stats.get("largest", 0), steps)
            stats["groups"] = stats.get("groups", 0) + 1
        if first and findings:
            break
    return findings


def true_guess_audit(table: Table, raw: Mapping[tuple, int], small: frozenset,
                     constraints: list[Constraint] | None = None, threshold: int = DEFAULT_THRESHOLD,
                     protection_width: int = DEFAULT_PROTECTION_WIDTH, hidden_min: int = 1) -> list[Finding]:
    """The guessing proof for the one guess that is right: `small` are the small hidden cells.

    `suppress` knows the raw values, so it can judge the true guess in a few LPs per group
    (the raw values are a point of its polytope) and settle it before paying for the
    search over every guess. Passing this is necessary, not sufficient: `guessing_audit`
    still has the last word.
    """
    constraints = additive_constraints(table) if constraints is None else constraints
    findings = []
    for cells, cons in _components(table.hidden(), constraints):
        if not cons:
            continue
        guesses = _Guesses(table, cells, cons, threshold, protection_width, hidden_min, math.inf)
        counts, point = [], np.zeros(guesses.n)
        for members in guesses.classes:
            # Twins are interchangeable, so the guess "k of this class are small" may put the
            # small values first.
            ordered = sorted((raw[cells[j]] for j in members), key=lambda v: not 1 <= v < threshold)
            counts.append(sum(1 <= v < threshold for v in ordered))
            point[members] = ordered
        findings += guesses._check(counts, point)
    return findings


class _Guesses:
    """One group of hidden cells: the search over its consistent guesses, and the check of each.

    Cells whose columns in the constraint matrix are identical (twins: the hidden towns of
    one row) are interchangeable, so a guess only says how many of each twin class are
    small: a row of 120 hidden towns has 121 guesses, not 2**120. The search assigns one
    class at a time, keeping a partial guess only while an LP says the published figures
    allow it (branch and bound), and reuses a feasible point to skip an LP where it fits.
    """

    def __init__(self, table, cells, cons, threshold, width, hidden_min, budget):
        self.table, self.cells, self.cons = table, cells, cons
        self.T, self.hidden_min, self.budget = threshold, hidden_min, budget
        # A cell guessed small lies in 1..T-1, a range T-2 wide: it must keep all of it, or
        # `width` of it when the width is set below that.
        self.need = min(width, threshold - 2)
        self.A, self.b = _system(table, cells, cons)
        self.n = len(cells)
        self.big_min = threshold if hidden_min >= 1 else 0  # a complement; 0 where zeros are hidden
        columns = defaultdict(list)
        A = csc_array(self.A)
        for j in range(self.n):
            sig = tuple(zip(A.indices[A.indptr[j]:A.indptr[j + 1]].tolist(),
                            A.data[A.indptr[j]:A.indptr[j + 1]].tolist()))
            columns[sig].append(j)
        # Larger classes and cells in more sums first: they decide feasibility soonest.
        self.classes = sorted(columns.values(), key=lambda c: (-len(c), c[0]))
        self.lp = _LP(self.A, self.b, [(hidden_min, None)] * self.n)
        self.steps = 0

    def domain(self, small: bool):
        return (1, self.T - 1) if small else (self.big_min, math.inf)

    def bounds(self, counts):
        """Column bounds of a (partial) guess: counts[c] of class c's cells small, the rest not."""
        lower = np.full(self.n, float(self.hidden_min))
        upper = np.full(self.n, math.inf)
        for c, k in enumerate(counts):
            for pos, j in enumerate(self.classes[c]):
                lower[j], upper[j] = self.domain(pos < k)
        return lower, upper

    def feasible(self, counts):
        """A point of the guess's polytope, or None."""
        self.steps += 1
        if self.steps > self.budget:
            raise BudgetExceeded
        lower, upper = self.bounds(counts)
        self.lp.bound(lower, upper)
        r = self.lp.solve(np.zeros(self.n))
        return r.x if r.status == 0 else None

    def fits(self, x, c, k):
        """x rearranged within class c so that its first k cells are small, or None if it cannot be."""
        members = self.classes[c]
        values = sorted((x[j] for j in members), key=lambda v: not (1 - TOL <= v <= self.T - 1 + TOL))
        lo_small, hi_small = 1 - TOL, self.T - 1 + TOL
        if not all(lo_small <= v <= hi_small for v in values[:k]):
            return None
        if not all(v >= self.big_min - TOL for v in values[k:]):
            return None
        y = x.copy()
        y[members] = values
        return y

    def run(self, first: bool = False):
        """(findings, search steps); with `first`, stop at the first guess that yields a finding.

        `suppress` only needs one failing cell per round, and a pattern still being built
        fails in most of its guesses: stopping there spares the search the rest of them.
        """
        try:
            x = self.feasible([])
            if x is None:
                return [], self.steps  # inconsistent totals: interval_audit reports them
            self._force(x)
            findings, done = [], set()
            for counts, point in self._leaves(x):
                for finding in self._check(counts, point):
                    if finding.cells not in done:
                        done.add(finding.cells)
                        findings.append(finding)
                if first and findings:
                    break
            return findings, self.steps
        except BudgetExceeded:
            return [Finding("guess-budget", tuple(self.cells), tuple(self.cons), threshold=self.T)], self.steps

    def _force(self, x) -> None:
        """Settle the classes the published figures alone decide, before any branching.

        A class none of whose cells can reach the threshold is small in every guess; one
        none of whose cells can go below it is never small. Two LPs per class (fewer where
        the first point already shows both) spare the search a branch at every node.
        """
        self.allowed = []
        self.lp.bound(*self.bounds([]))
        for members in self.classes:
            j = members[0]
            can_small = any(1 - TOL <= x[m] <= self.T - 1 + TOL for m in members)
            can_big = any(x[m] >= self.T - TOL for m in members) or self.big_min == 0
            if not can_small:
                self.steps += 1
                can_small = self.lp.solve(_unit(self.n, j)).fun <= self.T - 1 + TOL
            if not can_big:
                self.steps += 1
                r = self.lp.solve(-_unit(self.n, j))
                can_big = r.status == 3 or -r.fun >= self.T - TOL
            m = len(members)
            self.allowed.append([k for k in range(m + 1) if (k == 0 or can_small) and (k == m or can_big)])

    def _leaves(self, x):
        """Every consistent guess with a point of its polytope, depth first (a group may hold a thousand classes)."""
        stack = [([], x)]
        while stack:
            counts, x = stack.pop()
            c = len(counts)
            if c == len(self.classes):
                yield tuple(counts), x
                continue
            children = []
            for k in self.allowed[c]:
                y = self.fits(x, c, k)
                if y is None:
                    y = self.feasible(counts + [k])
                if y is not None:
                    children.append((counts + [k], y))
            stack.extend(reversed(children))

    def _check(self, counts, point):
        """Findings for one consistent guess: each small twin class judged by its first cell.

        Two LPs push every small cell down together, then up together; a cell those points
        already show at 1 and at threshold-1 needs no LP of its own.
        """
        lower, upper = self.bounds(counts)
        self.lp.bound(lower, upper)
        reps = [self.classes[c][0] for c, k in enumerate(counts) if k]
        if not reps:
            return []
        together = np.zeros(self.n)
        together[reps] = 1.0
        self.steps += 2
        low, high = point.copy(), point.copy()
        for sign in (1.0, -1.0):
            r = self.lp.solve(sign * together)
            if r.status == 0:
                low, high = np.minimum(low, r.x), np.maximum(high, r.x)
        out = []
        for c, k in enumerate(counts):
            if k == 0:
                continue
            j = self.classes[c][0]
            lo, hi = 1, self.T - 1
            if low[j] > 1 + TOL:
                self.steps += 1
                lo = math.ceil(self.lp.solve(_unit(self.n, j)).fun - 1e-6)
            if high[j] < self.T - 1 - TOL:
                self.steps += 1
                hi = math.floor(-self.lp.solve(-_unit(self.n, j)).fun + 1e-6)
            if hi - lo >= self.need or self._inherent(counts, j, lo, hi):
                continue
            for m in self.classes[c]:
                out.append(Finding("complementary-guess", (self.cells[m],), _touching(self.cells[m], self.cons),
                                   lo, hi, self.T))
        return out

    def _inherent(self, counts, j, lo, hi) -> bool:
        """True when the guess alone pins the cell this much, whatever the published values.

        A hidden small total bounds its hidden small parts (parts of a total below 11 are
        below 10): the suppression tells the public that and no complement can change it.
        So the same guess is judged with every published cell of these sums unknown too (a
        published count is 0 or at least the threshold; a published zero stays known where
        zeros are never hidden, as hiding it is no remedy); only a range the published
        values narrow further is a finding.
        """
        table = self.table
        if not any(table.cells[k] for c in self.cons for k in c.keys()):
            return True  # nothing but zeros published in these sums: the freed system is this one
        if not hasattr(self, "freed"):  # built once per group, re-bounded for each guess
            extra = sorted({k for c in self.cons for k in c.keys() if table.cells[k] is not None}, key=_sort_key)
            free = Table(table.dimensions, table.totals, {**table.cells, **{k: None for k in extra}})
            A, _ = _system(free, self.cells + extra, self.cons)
            known_zero = [self.hidden_min >= 1 and table.cells[k] == 0 for k in extra]
            self.freed_lower = [0 if z else (self.T if table.cells[k] else 0) for k, z in zip(extra, known_zero)]
            self.freed_upper = [0 if z else math.inf for z in known_zero]
            self.freed = _LP(A, np.zeros(len(self.cons)), [(0, None)] * A.shape[1])
        lower, upper = self.bounds(counts)
        lp = self.freed
        lp.bound(np.concatenate([lower, self.freed_lower]), np.concatenate([upper, self.freed_upper]))
        self.steps += 2
        e = _unit(lp.n, j)
        rmin, rmax = lp.solve(e), lp.solve(-e)
        if rmin.status != 0:
            return False
        # Rounded inward as the guess's own range was, so equal systems compare equal.
        base_hi = self.T - 1 if rmax.status == 3 else math.floor(-rmax.fun + 1e-6)
        return base_hi - math.ceil(rmin.fun - 1e-6) <= hi - lo


def _row_bounds(A, b, bounds) -> tuple[np.ndarray, np.ndarray]:
    """Bounds on each hidden cell that single constraints imply (the DDG's row-sum argument).

    A row reads total - parts = b over its hidden cells, so a hidden part is at most the
    total's upper bound (the published total itself when it is not hidden) less b and the
    other hidden parts' lower bounds, and a hidden total is at least b plus its hidden parts'
    lower bounds. Valid but not tight: they only let a feasible point that reaches one
    stand in for an LP.
    """
    floors = np.array([lo for lo, _ in bounds], dtype=float)
    caps = np.array([math.inf if hi is None else hi for _, hi in bounds], dtype=float)
    lower, upper = floors.copy(), caps.copy()
    A = csr_array(A)
    for i in range(A.shape[0]):
        cols, coefs = A.indices[A.indptr[i]:A.indptr[i + 1]], A.data[A.indptr[i]:A.indptr[i + 1]]
        parts, totals = cols[coefs < 0], cols[coefs > 0]
        if len(totals) > 1:
            continue
        parts_low = lower[parts].sum()
        for j in parts:
            caps[j] = min(caps[j], (upper[totals[0]] if len(totals) else 0.0) - b[i] - (parts_low - lower[j]))
        if len(totals):
            floors[totals[0]] = max(floors[totals[0]], b[i] + parts_low)
    return floors, caps


def _unit(n: int, j: int) -> np.ndarray:
    e = np.zeros(n)
    e[j] = 1.0
    return e


def _inherent(table, cons, bounds, cells, j, lo, hi, threshold, hidden_min, cache: dict) -> bool:
    """True when the range is no narrower than with every published cell of these rows unknown too.

    A hidden primary total bounds its hidden primary parts (parts of a total below 11 are
    below 10): the suppression itself tells the public that, and no further suppression can
    change it, so it is not a finding. Only what the published values add is judged. A
    published zero stays known when zeros are never hidden (`hidden_min` 1): hiding it is
    no remedy, so it counts as part of what the public knows anyway. The freed system is
    the same for every cell of a component, so it is built once (`cache`) and re-solved warm.
    """
    if 1 <= lo and hi <= threshold - 1 and cells[j] not in table.primary:
        return False
    if "extra" not in cache:
        cache["extra"] = sorted({k for c in cons for k in c.keys()
                                 if table.cells[k] is not None and (hidden_min == 0 or table.cells[k] != 0)},
                                key=_sort_key)
        cache["keys"] = {k for c in cons for k in c.keys()}
        cache["free"] = (set(cells) | set(cache["extra"])) - table.primary
        totals = [table.totals.get(d) for d in table.dimensions]
        cache["levels"] = [sorted({k[i] for k in table.cells if k[i] != t}, key=str) for i, t in enumerate(totals)]
    if _grows(table, cells[j], cache["keys"], cache["free"], cache["levels"]):
        return False  # unbounded once the published cells are unknown: the published values narrow it
    if "lp" not in cache:
        extra = cache["extra"]
        free = Table(table.dimensions, table.totals, {**table.cells, **{k: None for k in extra}}, table.primary)
        A, _ = _system(free, cells + extra, cons)
        cache["lp"] = _LP(A, np.zeros(len(cons)), bounds + [(0, None)] * len(extra))
    lp = cache["lp"]
    e = np.zeros(lp.n)
    e[j] = 1.0
    rmin, rmax = lp.solve(e), lp.solve(-e)
    if rmin.status != 0:
        return False
    base_hi = math.inf if rmax.status == 3 else -rmax.fun
    return base_hi - rmin.fun <= hi - lo + TOL


def _grows(table: Table, key, keys: set, free: set, levels: list, tries: int = 20) -> bool:
    """True when `key` can grow without limit in a system where only `free` cells of `keys` may change.

    The cheap argument that spares two LPs: pick an innermost cell below `key` and add the
    same amount to it and to every total above it (each of its keys with any dimensions set
    to their total level); every additive constraint stays balanced. That works when all
    those cells exist and every one that appears in the constraints (`keys`) is free and
    uncapped. `levels` are each dimension's levels other than its total.
    """
    dims = range(len(table.dimensions))
    totals = [table.totals.get(d) for d in table.dimensions]
    below = [levels[i] if key[i] == totals[i] and totals[i] is not None else [key[i]] for i in dims]
    for inner in itertools.islice(itertools.product(*below), tries):
        choices = [[inner[i]] + ([totals[i]] if totals[i] is not None else []) for i in dims]
        above = list(itertools.product(*choices))
        if all(k in table.cells and (k not in keys or k in free) for k in above):
            return True
    return False


def _touching(key, constraints):
    return tuple(c for c in constraints if key in c.keys())


def audit(table: Table, threshold: int = DEFAULT_THRESHOLD,
          protection_width: int = DEFAULT_PROTECTION_WIDTH, hidden_min: int = 1) -> list[Finding]:
    """All complementary findings for a table: linked exposure, exact, then interval."""
    cons = additive_constraints(table)
    return (exposed_findings(table) + exact_audit(table, cons)
            + interval_audit(table, cons, threshold, protection_width, hidden_min))


# -- suppression -------------------------------------------------------------

def published_findings(table: Table, constraints: list[Constraint] | None = None,
                       threshold: int = DEFAULT_THRESHOLD, protection_width: int = DEFAULT_PROTECTION_WIDTH,
                       hidden_min: int = 1) -> list[Finding]:
    """What the CI gate finds in a published table: exact, then interval without knowing the primaries.

    The same calls as checks/complementary_exact.py and complementary_interval.py: a cell
    found exactly is reported once, and a cell shown to be exactly 0 (only where the source
    hides zeros) is no finding (a non-event identifies no one, DDG 4.4.1).
    """
    constraints = additive_constraints(table) if constraints is None else constraints
    published = Table(table.dimensions, table.totals, table.cells)
    exact = exact_audit(published, constraints)
    found = {f.cells for f in exact}
    return exact + [f for f in interval_audit(published, constraints, threshold, protection_width, hidden_min)
                    if f.cells not in found and not (f.rule == "complementary-interval" and f.hi == 0)]


def suppress(table: Table, threshold: int = DEFAULT_THRESHOLD,
             protection_width: int = DEFAULT_PROTECTION_WIDTH,
             prefer: tuple[str, ...] = DEFAULT_PREFER, hidden_min: int = 1,
             keep_hidden=frozenset(), keep_published=frozenset(),
             max_assignments: int = DEFAULT_MAX_ASSIGNMENTS, _guessing: bool = True) -> SuppressionResult:
    """Primary then greedy complementary suppression until the CI gate's proofs pass (DDG 4.4.1, 4.4.3).

    The proofs are the ones CI runs on the published file, with the same threshold, width,
    `hidden_min` and budget: exact, interval, and the guessing reader's (issue 16: every
    guess of which hidden cells are small that the published figures allow, the true one
    included), so whatever `suppress` returns passes the gate. With `hidden_min=1` (Tally
    publishes every zero) a zero is never hidden; a table that cannot be protected, or
    whose groups of hidden cells grow past `max_assignments`, raises ValueError.

    The greedy choice (DDG 4.4.3): for the first failing cell, a published cell in one of
    the rows or columns the finding uses, ranked by what is public only (`_Suppression.rank`:
    an unknown/other level, then parts before totals, then the cell's name), never by its
    value. Once the pattern passes, each complementary cell, worst-ranked first, is
    published again if the proofs still pass without it.

    Release consistency (DESIGN.md 3, linked releases): `keep_hidden` are cells an earlier
    release hid, hidden again from the start and never published; `keep_published` are
    cells an earlier release published with the same figure, never chosen as complements
    (a count now in 1..threshold-1 is hidden all the same). Keys outside the table are ignored.
    """
    raw = dict(table.cells)
    if any(v is None for v in raw.values()):
        raise ValueError("suppress needs raw values: a cell is already empty")
    check_magnitudes(table)
    state = _Suppression(table, threshold, protection_width, prefer, hidden_min, max_assignments)
    state.guessing = _guessing  # False only in benchmarks/audit.py: what the guessing proof costs
    state.keep(frozenset(keep_hidden), frozenset(keep_published))
    return state.run()


class _Suppression:
    """The state of one `suppress` run: raw values, what is hidden so far, and why."""

    def __init__(self, table, threshold, width, prefer, hidden_min, budget=DEFAULT_MAX_ASSIGNMENTS):
        self.table, self.threshold, self.width, self.hidden_min = table, threshold, width, hidden_min
        self.budget = budget
        self.guessing = True
        self.raw = dict(table.cells)
        self.primary = frozenset(k for k, v in self.raw.items() if 1 <= v < threshold)
        self.hidden = set(self.primary)
        self.reasons = {k: "primary" for k in self.primary}
        self.cons = additive_constraints(table)
        self.by_cell = defaultdict(list)
        for c in self.cons:
            for k in c.keys():
                self.by_cell[k].append(c)
        self.words = [re.compile(r"\b%s\b" % re.escape(p.lower())) for p in prefer]
        self.preferred = {k for k in self.raw if any(w.search(str(v).lower()) for v in k for w in self.words)}
        self.totals = set(table.totals.values())
        self.fixed = frozenset()  # hidden and never published again
        self.published = frozenset()  # never chosen as a complement
        self.blocks = set()  # cells hidden with their whole linked block (`hide_block`), never pruned

    def keep(self, hidden: frozenset, published: frozenset) -> None:
        """Start from an earlier release's pattern: its hidden cells stay hidden, its published ones published."""
        self.fixed = frozenset(k for k in hidden if k in self.raw and k not in self.primary)
        self.published = frozenset(k for k in published if k in self.raw) - self.fixed
        for k in sorted(self.fixed, key=_sort_key):
            self.hidden.add(k)
            self.reasons[k] = "complementary: hidden in an earlier release, so hidden again"

    def current(self, hidden=None) -> Table:
        hidden = self.hidden if hidden is None else hidden
        cells = {k: (None if k in hidden else v) for k, v in self.raw.items()}
        return Table(self.table.dimensions, self.table.totals, cells, self.primary)

    def findings(self, hidden=None, only=None) -> list[Finding]:
        """What the CI gate would find in the pattern: exact first (cheapest), then interval, then the guessing proof.

        Issue 16: the proof `suppress` must pass is the one CI runs on the published file,
        over every guess of which hidden cells are small that the published figures allow.
        The true guess is one of them (complements are at least the threshold), so the
        audit that knows the primaries adds nothing to it, and `primary` is not consulted.
        """
        table = self.current(hidden)
        found = [f for f in exact_audit(table, self.cons, _only=only, _certify=False)
                 if only is None or f.cells[0] in only]
        if found:
            return found
        published = Table(table.dimensions, table.totals, table.cells)
        # Judged knowing which cells are small too (`table` carries the primaries): the DDG's
        # own interval model. The guessing proof excuses a range the true guess alone implies,
        # so without this a hidden primary could be left pinned to 2..10 (found by the
        # three-dimensional property test); the CI gate, which cannot know the primaries,
        # runs the published-file version below.
        for judged in (table, published):
            found = [f for f in interval_audit(judged, self.cons, self.threshold, self.width, self.hidden_min,
                                               _only=only)
                     if not (f.rule == "complementary-interval" and f.hi == 0)]
            if found:
                return found
        if not self.guessing:
            return found
        found = true_guess_audit(published, self.raw, self.primary, self.cons, self.threshold, self.width,
                                 self.hidden_min)
        if found:
            return [f for f in found if only is None or f.cells[0] in only] or found
        return guessing_audit(published, self.cons, self.threshold, self.width, self.hidden_min,
                              self.budget, _only=only, first=True)

    def rank(self, k):
        # Issue 16, 3: the choice among admissible complements must not depend on a hidden
        # value, or the public, who knows the rule, learns from it (smallest-first told them a
        # complement is at most every part it was preferred over). So the rank uses only what
        # is published anyway: an unknown/other level first (DDG 4.4.3: least analytic value),
        # parts before totals (hiding a total cascades into the margin above it), a zero last
        # (a zero is only hidden where the source hides zeros), then the cell's name.
        return (k not in self.preferred, self.raw[k] == 0, any(v in self.totals for v in k), _sort_key(k))

    def hideable(self, k) -> bool:
        return (k not in self.hidden and k not in self.published
                and (self.raw[k] != 0 or self.hidden_min == 0))

    def candidates(self, finding) -> list:
        """Published cells that could protect the finding's cell, nearest rows and columns first."""
        target = finding.cells[0]
        for scope in (finding.constraints, self.by_cell[target], self.cons):
            found = {k for c in scope for k in c.keys() if self.hideable(k)}
            if found:
                return sorted(found, key=self.rank)
        return sorted((k for k in self.raw if self.hideable(k)), key=self.rank)

    def add(self, finding) -> None:
        """Hide the best-ranked cell that could protect the finding's cell (never chosen by its value)."""
        target = finding.cells[0]
        ranked = self.candidates(finding)
        if not ranked:
            if not self.hide_grid(target):
                self.hide_block(target)
            return
        pick = ranked[0]
        self.hidden.add(pick)
        via = next((c for c in finding.constraints if pick in c.keys()), None)
        where = " in %s across %s" % (_fmt(via.total), via.dimension) if via else ""
        zero = " (a zero: no non-zero cell was left to hide)" if self.raw[pick] == 0 else ""
        self.reasons[pick] = "complementary: protects %s%s%s" % (_fmt(target), where, zero)

    def linked(self, target) -> set:
        """Every cell linked to `target` through any sum (one period's table, say)."""
        block, todo = set(), [target]
        while todo:
            k = todo.pop()
            if k in block:
                continue
            block.add(k)
            todo.extend(p for c in self.by_cell[k] for p in c.keys())
        return block

    def hide_grid(self, target) -> bool:
        """Hide a grid of whole levels around the small cells linked to `target`, the smallest that passes.

        The greedy choice adds one complement at a time and, with small counts, can tangle
        the hidden cells into a pattern no guess leaves alone. A grid (every combination of a
        few levels of each dimension: the small cells' own levels, then more by rank, totals
        last) gives each small cell the freedom of whole rows and columns. Grids are tried
        smallest first, in an order that depends on level names only; the first the proofs
        pass is kept (True), or none is (False).
        """
        linked = self.linked(target)
        dims = [i for i in range(len(target)) if len({k[i] for k in linked}) > 1]
        small = [k for k in self.primary if k in linked]
        base = {i: {k[i] for k in small} for i in dims}
        totals = set(self.table.totals.values())

        def level_rank(level):
            return (level in totals, not any(w.search(str(level).lower()) for w in self.words), str(level))

        more = {i: sorted({k[i] for k in linked} - base[i], key=level_rank) for i in dims}
        grids = itertools.product(*(range(len(more[i]) + 1) for i in dims))
        sized = sorted(grids, key=lambda e: (math.prod(len(base[i]) + n for i, n in zip(dims, e)), e))
        outside = {k for k in self.hidden if k not in linked or k in self.primary or k in self.fixed}
        for extra in sized:
            levels = {i: base[i] | set(more[i][:n]) for i, n in zip(dims, extra)}
            if any(len(v) < 2 for v in levels.values()):
                continue  # a single row or column of hidden cells adds up to its published total
            grid = {k for k in linked if all(k[i] in levels[i] for i in dims)
                    and (k in outside or self.hideable(k) or k in self.hidden)}
            if self.findings(outside | grid):
                continue
            for k in sorted(grid - outside, key=_sort_key):
                self.reasons[k] = "complementary: hidden in a grid of whole levels around %s" % _fmt(target)
            for k in self.hidden - outside - grid:
                del self.reasons[k]
            self.hidden = outside | grid
            self.blocks |= grid - outside
            return True
        return False

    def hide_block(self, target) -> None:
        """Hide every cell linked to `target` by any sum: the pattern of last resort.

        With small counts the guessing proof can need more complements than the greedy
        choice finds, or tangle the hidden cells past the proof's budget. A block whose sums
        publish no non-zero figure tells a reader nothing any guess could narrow, and the
        proof settles it at once (`guessing_audit` skips it), so this always ends.
        """
        block = self.linked(target)
        new = sorted((k for k in block if self.hideable(k)), key=_sort_key)
        self.blocks |= {k for k in block if k in self.hidden and k not in self.fixed}
        if not new:
            kept = " (the cells an earlier release published stay published)" if self.published else ""
            raise ValueError("cannot protect %s: no cell is left that may be hidden%s" % (_fmt(target), kept))
        for k in new:
            self.hidden.add(k)
            self.blocks.add(k)
            self.reasons[k] = ("complementary: hidden with every cell linked to %s (no smaller pattern "
                               "could be proved safe)" % _fmt(target))

    def prune(self) -> None:
        """Publish again each complementary cell the proof can do without, worst-ranked first.

        The order is the rank's reverse, not the values' (issue 16, 3): which complements
        stay must not follow from their size.
        """
        extra = sorted((k for k in self.hidden if k not in self.primary and k not in self.fixed | self.blocks),
                       key=self.rank, reverse=True)
        for k in extra:
            if not self.findings(self.hidden - {k}):  # a group past the budget is a finding: k stays
                self.hidden.discard(k)
                del self.reasons[k]

    def run(self) -> SuppressionResult:
        while True:
            found = self.findings()
            if not found:
                break
            budget = next((f for f in found if f.rule == "guess-budget"), None)
            if budget is not None:
                if not self.hide_grid(budget.cells[0]):
                    self.hide_block(budget.cells[0])
                continue
            # One complement per failing cell per round, unless this round already hid a cell
            # in one of its sums: fewer proofs, and `prune` publishes any that were not needed.
            touched = set()
            for finding in found:
                if finding.rule == "complementary-exact":  # name the totals that recover it
                    only = frozenset(finding.cells)
                    finding = next((f for f in exact_audit(self.current(), self.cons, _only=only)
                                    if f.cells == finding.cells), None)
                    if finding is None:
                        continue  # a complement hidden this round already protects it
                if any(k in touched for c in finding.constraints for k in c.keys()):
                    continue
                if touched and not self.candidates(finding):
                    continue  # this round's complements may be enough; the next proof says
                before = set(self.hidden)
                self.add(finding)
                touched |= self.hidden - before
                if finding.rule != "complementary-exact":
                    break  # a range finding: one complement per round keeps the groups small
        self.prune()
        order = sorted(self.primary, key=_sort_key) + [k for k in self.reasons if k not in self.primary]
        return SuppressionResult(self.current(), tuple(Decision(k, self.reasons[k]) for k in order))
