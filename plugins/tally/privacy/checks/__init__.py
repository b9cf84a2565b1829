"""Every built-in rule, in the order the validator runs them.

Row checks are frictionless `Check` classes (run in frictionless's single pass
over each table); audits are `Audit` classes run once per loaded dataset; site
audits are `SiteAudit` classes run once over every dataset of the site.
Add a rule by adding its module here; docs/rules.md and the tests read this list.
"""

from __future__ import annotations

import sys

from tally.privacy.checks.annotation_consistency import AnnotationConsistency
from tally.privacy.checks.archive_version import ArchiveVersion
from tally.privacy.checks.archived_release import ArchivedRelease
from tally.privacy.checks.chart_size import ChartSize
from tally.privacy.checks.codelist import CodeListLevels
from tally.privacy.checks.complementary_exact import ComplementaryExact
from tally.privacy.checks.complementary_guess import ComplementaryGuess
from tally.privacy.checks.complementary_interval import ComplementaryInterval
from tally.privacy.checks.confusable_level import ConfusableLevel
from tally.privacy.checks.count_integer import CountInteger
from tally.privacy.checks.count_kind import CountKind
from tally.privacy.checks.count_population import CountPopulation
from tally.privacy.checks.denominator import DenominatorTable
from tally.privacy.checks.derived_columns import DerivedColumns
from tally.privacy.checks.derived_sources import DerivedSources
from tally.privacy.checks.derived_suppressed import DerivedSuppressed
from tally.privacy.checks.derived_whole import DerivedWhole
from tally.privacy.checks.field_role import FieldRole
from tally.privacy.checks.formula_injection import FormulaInjection
from tally.privacy.checks.free_text import FreeText
from tally.privacy.checks.identifiers import Identifiers
from tally.privacy.checks.linked_releases import LinkedReleases
from tally.privacy.checks.linked_tables import LinkedTables
from tally.privacy.checks.measure_fields import MeasureFields
from tally.privacy.checks.missing_row import MissingRow
from tally.privacy.checks.missing_values import MissingValues
from tally.privacy.checks.not_available import NotAvailable
from tally.privacy.checks.period_precision import PeriodPrecision
from tally.privacy.checks.small_cell import SmallCell
from tally.privacy.checks.tabular_resource import TabularResource
from tally.privacy.checks.text_encoding import TextEncoding
from tally.privacy.checks.text_small_number import TextSmallNumber
from tally.privacy.checks.threshold_floor import ThresholdFloor
from tally.privacy.checks.todo_marker import TodoMarker
from tally.privacy.checks.totals_add_up import TotalsAddUp
from tally.privacy.checks.undeclared_link import UndeclaredLink
from tally.privacy.checks.undeclared_structure import UndeclaredStructure
from tally.privacy.checks.unlinkable_tables import UnlinkableTables
from tally.privacy.checks.url_scheme import UrlScheme
from tally.privacy.checks.vega_lite_data import VegaLiteData
from tally.privacy.checks.vega_lite_figure import VegaLiteFigure
from tally.privacy.checks.vega_lite_spec import VegaLiteSpec
from tally.privacy.checks.view_fields import ViewFields
from tally.privacy.checks.zeros_suppressed import ZerosSuppressed

ROW_CHECKS: list = [SmallCell, AnnotationConsistency, DerivedSuppressed, FormulaInjection]
AUDITS: list = [
    TextEncoding, ThresholdFloor, FieldRole, MeasureFields, CountInteger, Identifiers, FreeText,
    PeriodPrecision, ViewFields, VegaLiteSpec, ChartSize, UrlScheme, TabularResource, MissingValues, VegaLiteData,
    VegaLiteFigure, TextSmallNumber, CountKind, CountPopulation, CodeListLevels, ConfusableLevel, ZerosSuppressed,
    MissingRow,    NotAvailable, TotalsAddUp, UndeclaredStructure, DerivedSources, DerivedWhole, ComplementaryExact,
    ComplementaryInterval, ComplementaryGuess, LinkedReleases, ArchiveVersion, ArchivedRelease, TodoMarker,
]
# Judged once over every dataset of the site (the site-wide system, issue 10).
SITE_AUDITS: list = [UnlinkableTables, LinkedTables, DerivedColumns, UndeclaredLink, DenominatorTable]


def for_profile(classes: list, profile: str) -> list:
    """The rules of `classes` that belong to `profile` ("sensitive" runs every rule)."""
    return [c for c in classes if profile in getattr(c, "profiles", ("sensitive", "open"))]


def rule_info(rule) -> dict:
    """type, title, description, hint, profiles and module of a registered rule."""
    source = rule.Errors[0] if hasattr(rule, "Errors") else rule
    module = sys.modules[rule.__module__]
    return {"type": rule.type, "title": source.title, "description": source.description,
            "hint": source.hint, "profiles": tuple(getattr(rule, "profiles", ("sensitive", "open"))),
            "why": " ".join((module.__doc__ or "").strip().split("\n\n")[0].split()),
            "module": rule.__module__.rsplit(".", 1)[-1], "row_check": rule in ROW_CHECKS,
            "site": rule in SITE_AUDITS}


def rules_markdown() -> str:
    """docs/rules.md: every rule, generated from the check classes (tests fail when the page is stale)."""
    lines = [
        "# Validation rules",
        "",
        "<!-- Generated by `python -m tally.privacy.checks > docs/rules.md` from the classes in",
        "     plugins/tally/privacy/checks/; tests/checks/test_rules_doc.py fails when this page is stale. -->",
        "",
        "`python publish.py validate` runs Frictionless's own checks (schema, types, constraints,",
        "primary and foreign keys) and then every rule below. Each problem names the rule, the file,",
        "the row and the field, and says how to fix it. The `sensitive` profile (the default) runs",
        "every rule; `--profile open`, for packages about things rather than people, runs only the",
        "rules marked for it, so counts declared as counts are still protected.",
        "",
        "| rule | what it checks | profiles |",
        "|---|---|---|",
    ]
    infos = [rule_info(r) for r in ROW_CHECKS + AUDITS + SITE_AUDITS]
    for info in infos:
        lines.append(f"| [`{info['type']}`](#{info['type']}) | {info['title']} | {', '.join(info['profiles'])} |")
    for info in infos:
        kind = ("row check (judged row by row)" if info["row_check"] else
                "site audit (judged over every dataset and release of the site)" if info["site"] else
                "package audit (judged over the whole dataset)")
        lines += [
            "",
            f"## {info['type']}",
            "",
            f"**{info['title']}.** {info['description']}",
            "",
            f"Why: {info['why']}",
            "",
            f"How to fix: {info['hint']}.",
            "",
            f"Kind: {kind}; profiles: {', '.join(info['profiles'])}; "
            f"code: `plugins/tally/privacy/checks/{info['module']}.py`.",
        ]
    return "\n".join(lines) + "\n"
