"""Every TALLY_* setting, its default, and the one check run on them at start.

Pelican settings files (pelicanconf.py, publishconf.py) override these; tests use
`get_settings(**overrides)`. Kept in one dict, as Pelican's DEFAULT_CONFIG is, so
the documentation and the code cannot disagree about what exists.
"""

from __future__ import annotations

from tally.core.errors import SettingsError

# CalHHS DDG §5.6.2: children in child welfare and victims of crime are a
# high-risk population; every count from 1 to 10 is suppressed. A dataset may
# raise the threshold but nothing may lower it below this floor.
THRESHOLD_FLOOR = 11

DEFAULTS: dict = {
    "TALLY_DATASETS_PATH": "datasets",  # folder holding one folder per dataset
    "TALLY_THRESHOLD": THRESHOLD_FLOOR,  # smallest count that may be published
    # Narrowest range (max - min) the interval audit lets a possibly-small hidden cell be
    # pinned to. 1..10 has width 9: at 9 the published figures say no more than
    # "suppressed" already does. Catches the DDG "10-9" and "10-10-10" examples.
    "TALLY_PROTECTION_WIDTH": 9,
    # Most guesses of which hidden cells are the small ones that the guessing-reader proof
    # (issue 16) checks in one linked group of hidden cells (its search steps, each an LP).
    # A larger group is refused, never passed: split the table or raise this.
    "TALLY_AUDIT_MAX_ASSIGNMENTS": 20000,
    "TALLY_PERIOD_PRECISION": "quarter",  # finest period a dataset may publish
    # "sensitive": every rule (the county site); "open": for packages about things, not
    # people, written without Tally's conventions (roles, identifiers and free-text rules off;
    # counts declared as counts are still protected).
    "TALLY_PROFILE": "sensitive",
    "TALLY_CACHE_PATH": ".cache/tally",  # hash-keyed validation and chart cache
    "TALLY_PREVIEW_ROWS": 50,  # rows shown in a dataset page's preview table
    "TALLY_SITE_SAMPLE_NOTICE": True,  # label pages that show sample data
    "TALLY_PUBLISHER": "Example County",  # who publishes the site (shown in citations)
    "TALLY_CONTACT_EMAIL": "data@example.gov",  # where readers write to
    # Absolute address for metadata that must be absolute (canonical links, JSON-LD, data.json,
    # sitemap, feeds); local builds keep SITEURL "" for links, publishconf.py sets both.
    "TALLY_SITE_URL": "https://data.example.gov",
    # The licence a package that states none is published under (data.json and JSON-LD say so).
    "TALLY_DEFAULT_LICENSE": {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                              "title": "Creative Commons Attribution 4.0 International"},
    # YYYY-MM-DD: the date of a package that states none and whose data has no period;
    # None takes it from SOURCE_DATE_EPOCH when that is set (reproducible-builds.org), else none.
    "TALLY_SOURCE_DATE": None,
    "TALLY_PROGRESS": None,  # callable(stage, dataset_name) for progress display; set by publish.py
    # Processes that draw datasets' charts and downloads in parallel: 0 = one per core, 1 = none
    # (for debugging). The output does not depend on it.
    "TALLY_WORKERS": 0,
    # Limits on what a package may hold (issue 14, problem 4): a pull request must not be able to
    # exhaust the machine that validates it. Each refusal names the file and the setting.
    "TALLY_MAX_DESCRIPTOR_BYTES": 2_000_000,  # size of datapackage.json/.yaml
    "TALLY_MAX_NESTING": 64,  # depth of objects and lists in a descriptor
    "TALLY_MAX_LINE_BYTES": 1_000_000,  # one line of a data file
    "TALLY_MAX_CELL_CHARS": 10_000,  # one cell of a data file
    # Bytes of one resource's file, checked before it is read: bounds a build's memory by design
    # (issue 12; a 1,000,000-row, 8-column table is about 45 MB and builds in well under 1 GB).
    "TALLY_MAX_RESOURCE_BYTES": 100_000_000,
    "TALLY_MAX_ROWS": 2_000_000,  # rows of one resource
    "TALLY_MAX_COLUMNS": 500,  # columns of one resource
    "TALLY_MAX_CHART_ROWS": 10_000,  # rows one chart draws
    "TALLY_MAX_CHART_CATEGORIES": 1_000,  # levels of one field a chart draws (x, colour or facet)
}

LIMITS = ("TALLY_MAX_DESCRIPTOR_BYTES", "TALLY_MAX_NESTING", "TALLY_MAX_LINE_BYTES", "TALLY_MAX_CELL_CHARS",
          "TALLY_MAX_RESOURCE_BYTES", "TALLY_MAX_ROWS", "TALLY_MAX_COLUMNS", "TALLY_MAX_CHART_ROWS", "TALLY_MAX_CHART_CATEGORIES")

PERIOD_PRECISIONS = ("year", "quarter", "month")
PROFILES = ("sensitive", "open")


def get_settings(**overrides) -> dict:
    """Return the defaults merged with `overrides`, checked."""
    settings = {**DEFAULTS, **overrides}
    check_settings(settings)
    return settings


def tally_settings(settings: dict) -> dict:
    """Return only the TALLY_* settings of a (Pelican) settings dict, defaults filled in."""
    merged = {**DEFAULTS, **{k: v for k, v in settings.items() if k.startswith("TALLY_")}}
    check_settings(merged)
    return merged


def check_settings(settings: dict) -> None:
    """Raise SettingsError naming the setting, the expected value and the fix."""
    unknown = sorted(k for k in settings if k.startswith("TALLY_") and k not in DEFAULTS)
    if unknown:
        raise SettingsError(
            f"unknown setting {unknown[0]}; known Tally settings are listed in docs/settings.md"
        )
    threshold = settings["TALLY_THRESHOLD"]
    if not isinstance(threshold, int) or isinstance(threshold, bool):
        raise SettingsError(
            f"TALLY_THRESHOLD must be a whole number, got {type(threshold).__name__} {threshold!r}"
        )
    if threshold < THRESHOLD_FLOOR:
        raise SettingsError(
            f"TALLY_THRESHOLD is {threshold} but may not be below the floor of "
            f"{THRESHOLD_FLOOR} (CalHHS DDG §5.6.2); set it to {THRESHOLD_FLOOR} or more"
        )
    width = settings["TALLY_PROTECTION_WIDTH"]
    if not isinstance(width, int) or isinstance(width, bool) or width < 1:
        raise SettingsError(f"TALLY_PROTECTION_WIDTH must be a positive whole number, got {width!r}")
    workers = settings["TALLY_WORKERS"]
    if not isinstance(workers, int) or isinstance(workers, bool) or workers < 0:
        raise SettingsError(f"TALLY_WORKERS must be 0 (one per core) or a positive whole number, got {workers!r}")
    for limit in LIMITS:
        value = settings[limit]
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise SettingsError(f"{limit} must be a positive whole number, got {value!r}")
    budget = settings["TALLY_AUDIT_MAX_ASSIGNMENTS"]
    if not isinstance(budget, int) or isinstance(budget, bool) or budget < 1:
        raise SettingsError(f"TALLY_AUDIT_MAX_ASSIGNMENTS must be a positive whole number, got {budget!r}")
    if settings["TALLY_PROFILE"] not in PROFILES:
        raise SettingsError(
            f"TALLY_PROFILE must be one of {', '.join(PROFILES)}, got {settings['TALLY_PROFILE']!r}"
        )
    if settings["TALLY_PERIOD_PRECISION"] not in PERIOD_PRECISIONS:
        raise SettingsError(
            f"TALLY_PERIOD_PRECISION must be one of {', '.join(PERIOD_PRECISIONS)}, "
            f"got {settings['TALLY_PERIOD_PRECISION']!r}"
        )
