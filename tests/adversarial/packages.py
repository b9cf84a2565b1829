"""The red team's packages: each function writes a folder of datasets under a tmp path.

Issue 10. Every `bad_*` package is something a county analyst could plausibly
publish from which a count from 1 to 10 can be worked out from the built site's
own files; `BAD` maps it to the rules that must refuse it. Every `safe_*` package
must build. A leak found later gets its package here first.

Figures are chosen so that every published count is 0 or at least 11; the leaks
come from how tables, packages, releases and texts meet, never from one cell alone.
"""

from __future__ import annotations

import copy
import csv
import io
import json
from pathlib import Path

QUARTERS = ["2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4"]
AGES = ["Under 12", "12-14", "15-17", "Unknown age"]
ALL_AGES = "All ages"
LICENSE = [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0"}]

# -- building blocks ---------------------------------------------------------------


def quarter(name="quarter"):
    return {"name": name, "type": "string", "title": "Quarter", "tally:role": "dimension", "tally:period": "quarter",
            "constraints": {"required": True, "pattern": "^[0-9]{4}-Q[1-4]$"}}


def year(name="year"):
    return {"name": name, "type": "string", "title": "Year", "tally:role": "dimension", "tally:period": "year",
            "constraints": {"required": True, "pattern": "^[0-9]{4}$"}}


def dim(name, levels, total=None, codelist=None, title=None):
    f = {"name": name, "type": "string", "title": title or name.replace("_", " ").capitalize(),
         "tally:role": "dimension", "constraints": {"required": True, "enum": list(levels)}}
    if total is not None:
        f["tally:total"] = total
    if codelist is not None:
        f["tally:codelist"] = codelist
    return f


def count(name, population="test-children", unit="children", kind="count", **extra):
    f = {"name": name, "type": "integer", "title": name.replace("_", " ").capitalize(), "tally:role": "measure",
         "tally:kind": kind, "tally:unit": unit, "constraints": {"minimum": 0}}
    if kind in ("count", "rate", "percentage", "mean", "change"):
        f["tally:annotation"] = f"{name}_note"
    if population is not None and kind == "count":
        f["tally:population"] = population
    f.update(extra)
    return f


def derived(name, kind, sources, unit="percent"):
    return {"name": name, "type": "number", "title": name.replace("_", " ").capitalize(), "tally:role": "measure",
            "tally:kind": kind, "tally:unit": unit, "tally:annotation": f"{name}_note", "tally:derivedFrom": sources}


def note(name):
    return {"name": name, "type": "string", "title": "Note", "tally:role": "annotation",
            "constraints": {"enum": ["S", "N", "P", "R"]}}


def schema(*fields, key=None):
    """A Table Schema: the fields, each measure followed by its annotation field."""
    out = []
    for f in fields:
        out.append(f)
        if f.get("tally:annotation"):
            out.append(note(f["tally:annotation"]))
    dims = [f["name"] for f in fields if f["tally:role"] == "dimension"]
    return {"fields": out, "primaryKey": key or dims}


def resource(name, fields, rows, **extra):
    """A tabular resource: `rows` are dicts; a measure missing from a row (or None) is hidden with S."""
    sch = schema(*fields)
    return {"name": name, "path": f"data/{name}.csv", "schema": sch, "_rows": rows, **extra}


def package(name, resources, **props):
    d = {"name": name, "title": f"Test dataset {name}", "description": "Illustrative test data about children.",
         "version": "1.0.0", "licenses": LICENSE, "sources": [{"title": "Test source"}],
         "tally:topic": "Identification", "tally:frequency": "quarterly",
         "tally:coverage": {"temporal": {"start": "2023-Q1", "end": "2023-Q4"}, "spatial": "Example County"},
         "tally:sample": True, "resources": resources, "views": []}
    d.update(props)
    return d


def write(root: Path, descriptor: dict, folder: Path | None = None) -> Path:
    """Write a package (descriptor, data files) into root/<name>/ or `folder`."""
    descriptor = copy.deepcopy(descriptor)
    folder = folder or Path(root) / descriptor["name"]
    (folder / "data").mkdir(parents=True, exist_ok=True)
    for r in descriptor["resources"]:
        rows = r.pop("_rows", None)
        raw = r.pop("_raw", None)
        if raw is not None:
            (folder / r["path"]).write_bytes(raw.encode("utf-8"))
            continue
        if rows is None:
            continue
        names = [f["name"] for f in r["schema"]["fields"]]
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(names)
        for row in rows:
            out = []
            for f in r["schema"]["fields"]:
                value = row.get(f["name"])
                if f["tally:role"] == "annotation":
                    measure = next(m for m in r["schema"]["fields"] if m.get("tally:annotation") == f["name"])
                    value = row.get(f["name"], "S" if row.get(measure["name"]) is None else "")
                out.append("" if value is None else value)
            writer.writerow(out)
        (folder / r["path"]).write_text(buffer.getvalue(), encoding="utf-8")
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=2, ensure_ascii=False), encoding="utf-8")
    return folder


def archive(root: Path, descriptor: dict, version="1.0.0") -> Path:
    """Write `descriptor` as the archived release v<version> of the dataset of the same name."""
    d = copy.deepcopy(descriptor)
    d["version"] = version
    return write(root, d, Path(root) / d["name"] / "releases" / f"v{version}")


def by_age(values_per_quarter, field="children", quarters=QUARTERS, levels=AGES, total=ALL_AGES, extra=None):
    """Rows by quarter and age: `values_per_quarter` lists one value per level (None = S), total added."""
    rows = []
    for q, values in zip(quarters, values_per_quarter):
        for level, v in zip(levels, values):
            rows.append({"quarter": q, "age_band": level, field: v, **(extra or {})})
        if total is not None:
            rows.append({"quarter": q, "age_band": total, field: _sum(values_per_quarter, q, quarters)})
    return rows


def _sum(table, q, quarters):
    return sum(v for v in table[quarters.index(q)] if v is not None) + _hidden(table[quarters.index(q)])


def _hidden(values):
    # The true values behind the S cells of the fixtures (never published): see TRUE below.
    return sum(TRUE.get(i, 0) for i, v in enumerate(values) if v is None)


TRUE = {1: 6, 2: 30, 3: 12}  # a hidden 12-14 is small (6); a hidden 15-17 (30) or Unknown (12) its complement

# The standard safe table: per quarter Under 12, 12-14, 15-17, Unknown (S = hidden; totals add the true values).
SAFE_AGE_VALUES = [[20, None, None, 12], [25, 31, 40, 11], [18, None, None, 13], [30, 22, 27, 0]]


def age_dim(codelist="age-band", total=ALL_AGES, levels=None):
    return dim("age_band", (levels or AGES) + ([total] if total else []), total=total, codelist=codelist,
               title="Age band")


def age_table(name="identifications", values=None, population="test-children", field="children", **kw):
    values = values or SAFE_AGE_VALUES
    return resource(name, [quarter(), age_dim(), count(field, population)], by_age(values, field), **kw)


def age_package(name="identified", values=None, population="test-children", **props):
    return package(name, [age_table(values=values, population=population)], **props)


# == bad packages: each must be refused =================================================
# 1. Across packages

def bad_cross_package_teen_total(root):
    """Ages (12-14 and Unknown hidden) in one dataset; teens by gender in another: 12-17 less the published 15-17."""
    values_by_quarter = [[20, None, 30, None]] + SAFE_AGE_VALUES[1:]
    write(root, age_package("ages", values=values_by_quarter))
    rows = []
    for q, values in zip(QUARTERS, values_by_quarter):
        teen = (values[1] if values[1] is not None else 6) + (values[2] if values[2] is not None else 30)
        rows += [{"quarter": q, "age_band": "12-17", "gender": "Female", "children": teen - 12},
                 {"quarter": q, "age_band": "12-17", "gender": "Male", "children": 12},
                 {"quarter": q, "age_band": "12-17", "gender": "All genders", "children": teen}]
    gender = dim("gender", ["Female", "Male", "All genders"], total="All genders", codelist="gender")
    teens = resource("teens", [quarter(), dim("age_band", ["12-17"], codelist="age-band"), gender,
                               count("children")], rows)
    write(root, package("teens", [teens]))


def bad_cross_package_same_table(root):
    """The same table in two datasets: one hides 12-14 and 15-17, the other publishes 15-17 and hides the total."""
    write(root, age_package("ages"))
    rows = []
    for q, values in zip(QUARTERS, SAFE_AGE_VALUES):
        full = [v if v is not None else TRUE[i] for i, v in enumerate(values)]
        rows += [{"quarter": q, "age_band": AGES[0], "children": full[0]},
                 {"quarter": q, "age_band": AGES[1], "children": None},
                 {"quarter": q, "age_band": AGES[2], "children": full[2]},
                 {"quarter": q, "age_band": AGES[3], "children": full[3] or None},
                 {"quarter": q, "age_band": ALL_AGES, "children": None}]
    write(root, package("ages-again", [resource("identifications", [quarter(), age_dim(), count("children")],
                                                 rows)]))


def bad_cross_package_no_total_in_second(root):
    """A second dataset publishes only the quarterly totals of the same children (no age at all)."""
    values = [[20, None, 30, 12], [25, 31, 40, 11], [18, None, 30, 13], [30, 22, 27, 0]]
    ages = resource("identifications", [quarter(), age_dim(total=None), count("children")],
                    by_age(values, total=None))
    write(root, package("ages", [ages]))
    rows = [{"quarter": q, "children": sum(v if v is not None else 6 for v in vals)}
            for q, vals in zip(QUARTERS, values)]
    write(root, package("totals", [resource("totals", [quarter(), count("children")], rows)]))


def bad_cross_package_area_subtotal(root):
    """Stations in one dataset (one hidden), regions in another: a region less its published station."""
    stations = ["Station 1", "Station 2", "Station 3", "Station 4"]
    rows, regions = [], []
    for q in QUARTERS:
        rows += [{"quarter": q, "area": "Station 1", "children": 25}, {"quarter": q, "area": "Station 2",
                                                                         "children": None},
                 {"quarter": q, "area": "Station 3", "children": 30}, {"quarter": q, "area": "Station 4",
                                                                         "children": 40}]
        regions += [{"quarter": q, "area": "North region", "children": 25 + 6},
                    {"quarter": q, "area": "South region", "children": 70}]
    write(root, package("stations", [resource("stations", [quarter(), dim("area", stations, codelist="area"),
                                                           count("children")], rows)]))
    write(root, package("regions", [resource("regions", [quarter(), dim("area", ["North region", "South region"],
                                                                        codelist="area"), count("children")],
                                             regions)]))


# 2. Across resources and measures in one package

def bad_totals_resource_other_measure(root):
    """A totals resource whose measure has another name (`all_children`) but counts the same children."""
    values = [[20, None, 30, 12], [25, 31, 40, 11], [18, None, 30, 13], [30, 22, 27, 0]]
    ages = resource("identifications", [quarter(), age_dim(total=None), count("children")],
                    by_age(values, total=None))
    totals = resource("totals", [quarter(), count("all_children")],
                      [{"quarter": q, "all_children": sum(v if v is not None else 6 for v in vals)}
                       for q, vals in zip(QUARTERS, values)])
    write(root, package("ages", [ages, totals]))


def bad_resource_without_total_level(root):
    """Same measure name; the by-age resource declares no total level and no code list: linking used to be skipped."""
    values = [[20, None, 30, 12], [25, 31, 40, 11], [18, None, 30, 13], [30, 22, 27, 0]]
    ages = resource("identifications", [quarter(), dim("age_band", AGES), count("children")],
                    by_age(values, total=None))
    totals = resource("totals", [quarter(), count("children")],
                      [{"quarter": q, "children": sum(v if v is not None else 6 for v in vals)}
                       for q, vals in zip(QUARTERS, values)])
    write(root, package("ages", [ages, totals]))


def bad_two_resources_different_totals(root):
    """Two resources name different total levels for the same dimension."""
    a = age_table()
    b_dim = dim("age_band", AGES + ["Total"], total="Total")
    rows = [dict(r, age_band="Total" if r["age_band"] == ALL_AGES else r["age_band"])
            for r in by_age(SAFE_AGE_VALUES)]
    for r in rows:  # the second resource hides the total and publishes 15-17
        if r["age_band"] == "15-17" and r["children"] is None:
            r["children"] = 30
        elif r["age_band"] == "Total" and r["quarter"] in ("2023-Q1", "2023-Q3"):
            r["children"] = None
    write(root, package("ages", [a, resource("again", [quarter(), b_dim, count("children")], rows)]))


def _wide(root, name, columns, rows):
    fields = [quarter()] + [count(c) for c in columns]
    write(root, package(name, [resource("wide", fields, rows)]))


def bad_wide_layout(root):
    """`under_12`, `age_12_17`, `all_ages` as three count columns: what `new` makes from a wide sheet."""
    rows = []
    for q, (a, b) in zip(QUARTERS, [(20, None), (25, 31), (18, 40), (30, 22)]):
        rows.append({"quarter": q, "under_12": a, "age_12_17": b, "all_ages": a + (b if b is not None else 6)})
    _wide(root, "wide", ["under_12", "age_12_17", "all_ages"], rows)


def bad_measures_add_up(root):
    """`enrolled` = `completed` + `did_not_complete`, one of them hidden."""
    rows = []
    for q, (c, d) in zip(QUARTERS, [(20, None), (25, 31), (18, 40), (30, 22)]):
        rows.append({"quarter": q, "enrolled": c + (d if d is not None else 6), "completed": c,
                     "did_not_complete": d})
    _wide(root, "program", ["enrolled", "completed", "did_not_complete"], rows)


def bad_two_measures_same_population(root):
    """Two count columns of one resource name the same population: one is the other's total by area."""
    rows = []
    for q in QUARTERS:
        rows += [{"quarter": q, "area": "Station 1", "children": 25, "all_stations": 31},
                 {"quarter": q, "area": "Station 2", "children": None, "all_stations": 31}]
    write(root, package("stations", [resource("stations", [quarter(), dim("area", ["Station 1", "Station 2"]),
                                                           count("children"), count("all_stations")], rows)]))


# 3. Across releases

def bad_archive_publishes_small(root):
    """The current data is fine; the archived v1.0.0 publishes a 5 (audited only with the current data before)."""
    d = age_package("ages")
    write(root, dict(d, version="1.1.0"))
    old = copy.deepcopy(d)
    old["resources"][0]["_rows"] = [dict(r) for r in old["resources"][0]["_rows"]]
    old["resources"][0]["_rows"][1]["children"] = 5
    old["resources"][0]["_rows"][1]["children_note"] = ""
    archive(root, old)


def bad_archive_exact_alone(root):
    """The archive alone hides one cell in a row with a published total."""
    d = age_package("ages")
    write(root, dict(d, version="1.1.0"))
    old = copy.deepcopy(d)
    rows = old["resources"][0]["_rows"]
    rows[2]["children"] = 30  # 15-17 published in the archive: 12-14 = total - the rest
    archive(root, old)


def _other_pattern(field="children", population="test-children", extra=()):
    """The age table as an earlier release published it: 15-17 shown and Unknown hidden in 2023-Q1.

    Safe on its own; read with the current pattern (15-17 hidden, Unknown shown) it gives 12-14.
    """
    table = age_table(field=field, population=population)
    rows = table["_rows"]
    rows[2][field], rows[3][field] = 30, None
    return package("ages", [table, *extra])


def bad_release_renamed_measure(root):
    """The measure was renamed after a release; the archive publishes 15-17, now hidden with 12-14."""
    d = age_package("ages")
    write(root, dict(d, version="1.1.0"))
    archive(root, _other_pattern(field="identified"))


def bad_release_extra_resource(root):
    """The archive has one more resource that cannot be linked: it used to switch the release audit off."""
    d = age_package("ages")
    write(root, dict(d, version="1.1.0"))
    extra = resource("by_district", [quarter(), dim("district", ["North", "South"]), count("children")],
                     [{"quarter": q, "district": x, "children": 40} for q in QUARTERS for x in ("North", "South")])
    archive(root, _other_pattern(extra=[extra]))


def bad_release_revised_total(root):
    """A revision (R) of the total: the release audit dropped the release's row; its 15-17 was published."""
    d = age_package("ages")
    rows = d["resources"][0]["_rows"]
    rows[4]["children"] = rows[4]["children"] + 1
    rows[4]["children_note"] = "R"
    write(root, dict(d, version="1.1.0"))
    archive(root, _other_pattern())


def bad_release_population_renamed(root):
    """The population id changed after a release; the measure name stayed."""
    d = age_package("ages", population="test-children")
    write(root, dict(d, version="1.1.0"))
    archive(root, _other_pattern(population="children-identified"))


# 4. Undeclared structure

def bad_region_subtotal_undeclared(root):
    """Region sub-totals where only the county total is declared."""
    levels = ["Station 1", "Station 2", "North region", "Station 3", "Station 4", "South region", "County"]
    rows = []
    for q, s2 in zip(QUARTERS, [None, None, 22, 31]):
        values = {"Station 1": 25, "Station 2": s2, "Station 3": 30, "Station 4": 40}
        north, south = 25 + (s2 if s2 is not None else 6), 70
        rows += [{"quarter": q, "area": k, "children": v} for k, v in values.items()]
        rows += [{"quarter": q, "area": "North region", "children": north},
                 {"quarter": q, "area": "South region", "children": south},
                 {"quarter": q, "area": "County", "children": None}]
    write(root, package("areas", [resource("areas", [quarter(), dim("area", levels), count("children")], rows)]))


def bad_all_under_18_not_total(root):
    """An "All under 18" level that is the sum of the others but is not declared as the total."""
    d = age_package("ages")
    r = d["resources"][0]
    r["schema"]["fields"][1] = dim("age_band", AGES + ["All under 18"], title="Age band")
    for row in r["_rows"]:
        if row["age_band"] == ALL_AGES:
            row["age_band"] = "All under 18"
    write(root, d)


def bad_cyrillic_total(root):
    """The total level written with a Cyrillic "А": it looks like the declared total but is not it."""
    cyr = "\u0410ll ages"
    d = age_package("ages")
    r = d["resources"][0]
    r["schema"]["fields"][1] = dim("age_band", AGES + [cyr, ALL_AGES], total=ALL_AGES, title="Age band")
    rows = []
    for row in r["_rows"]:
        rows.append(row)
        if row["age_band"] == ALL_AGES:
            rows.append(dict(row, age_band=cyr))
            row["children"] = None
    r["_rows"] = rows
    write(root, d)


def bad_cyrillic_total_declared(root):
    """`tally:total` itself written with a Cyrillic "А", so the audits look for a level that is not the data's."""
    d = age_package("ages")
    f = d["resources"][0]["schema"]["fields"][1]
    f["tally:total"] = "\u0410ll ages"
    f.pop("tally:codelist")
    write(root, d)


def bad_greek_level_lookalike(root):
    """Two level names that look alike ("15-17" and "15‐17" with a Unicode hyphen), one the sum of the other."""
    d = age_package("ages")
    r = d["resources"][0]
    f = r["schema"]["fields"][1]
    f.pop("tally:codelist")
    f["constraints"]["enum"] = AGES + ["15\u201017", ALL_AGES]
    rows = []
    for row in r["_rows"]:
        rows.append(row)
        if row["age_band"] == "15-17":
            rows.append(dict(row, age_band="15\u201017", children=0))
    r["_rows"] = rows
    write(root, d)


def bad_teen_subtotal_level(root):
    """A "12-17" level next to 12-14 and 15-17, the total declared, the sub-total not."""
    levels = ["Under 12", "12-14", "15-17", "12-17", "Unknown age", ALL_AGES]
    rows = []
    for q, (a, b, c, u) in zip(QUARTERS, [(20, None, 30, 12), (25, 31, 40, 11), (18, None, 30, 13),
                                          (30, 22, 27, 0)]):
        b_true = b if b is not None else 6
        rows += [{"quarter": q, "age_band": "Under 12", "children": a}, {"quarter": q, "age_band": "12-14",
                                                                         "children": b},
                 {"quarter": q, "age_band": "15-17", "children": c}, {"quarter": q, "age_band": "12-17",
                                                                      "children": b_true + c},
                 {"quarter": q, "age_band": "Unknown age", "children": u or None if u else 0},
                 {"quarter": q, "age_band": ALL_AGES, "children": None}]
    write(root, package("ages", [resource("ages", [quarter(), dim("age_band", levels, total=ALL_AGES),
                                                   count("children")], rows)]))


def bad_totals_agree_undeclared(root):
    """Two datasets name different populations but their totals agree quarter after quarter."""
    write(root, age_package("ages"))
    totals = [_sum(SAFE_AGE_VALUES, q, QUARTERS) for q in QUARTERS]
    rows = []
    for q, t in zip(QUARTERS, totals):
        rows += [{"quarter": q, "gender": "Female", "youth": None}, {"quarter": q, "gender": "Male", "youth": None},
                 {"quarter": q, "gender": "All genders", "youth": t}]
    gender = dim("gender", ["Female", "Male", "All genders"], total="All genders")
    write(root, package("youth", [resource("youth", [quarter(), gender, count("youth", population="test-youth")],
                                           rows)]))


def _relabelled_ages(quarters, values):
    """The ages table's children for `quarters` under another population's name (a mislabelled new dataset)."""
    rows = []
    for q, published in zip(quarters, values):
        rows += [{"quarter": q, "age_band": level, "children": v} for level, v in zip(AGES, published)]
        rows.append({"quarter": q, "age_band": ALL_AGES, "children": _sum(SAFE_AGE_VALUES, q, QUARTERS)})
    return package("referred", [resource("referred", [quarter(), age_dim(), count("children",
                                                                                 population="test-referred")],
                                         rows)])


def bad_new_dataset_mislabelled_two_quarters(root):
    """A new dataset of two quarters names its own population but counts the ages table's children (red team,
    session 4). In 2023-Q3 it hides Under 12 instead of 15-17 as the 6's complement: its 15-17 beside the ages
    table's Under 12 and Unknown age and the total they both publish gives the hidden 6 back. The totals agree
    in only two periods, too few for the totals rule; the whole age breakdown agrees wherever both publish it."""
    write(root, age_package("ages"))
    write(root, _relabelled_ages(QUARTERS[2:], [[None, None, 30, 13], [30, 22, 27, 0]]))


def bad_new_dataset_mislabelled_one_quarter(root):
    """The same with one quarter, before any leak: the age breakdown of 2023-Q2 agrees cell for cell with the
    ages table's, four non-zero bands and the total (red team, session 4)."""
    write(root, age_package("ages"))
    write(root, _relabelled_ages(QUARTERS[1:2], [[25, 31, 40, 11]]))


UNTOTALLED_BANDS = [[20, 6, 31, 12], [25, 31, 40, 11], [18, 30, 22, 13], [30, 22, 27, 0]]


def _bands_without_total(values=UNTOTALLED_BANDS):
    """Quarter by age band with no all-ages level; 2023-Q1's 12-14 (6) hidden alone, as no total needs more."""
    rows = []
    for q, vals in zip(QUARTERS, values):
        for band, v in zip(AGES, vals):
            rows.append({"quarter": q, "age_band": band, "children": None if (q, band) == ("2023-Q1", "12-14") else v})
    return resource("identifications", [quarter(), age_dim(total=None), count("children")], rows)


def _quarter_totals(population, values=UNTOTALLED_BANDS):
    rows = [{"quarter": q, "children": sum(v)} for q, v in zip(QUARTERS, values)]
    return resource("totals", [quarter(), count("children", population=population)], rows)


def bad_totals_agree_without_total_level(root):
    """Bands with no total level; a resource of each quarter's total under another population. The bands' sums
    agree with it in every quarter where they are all published; in 2023-Q1 it less the bands gives the 6."""
    write(root, package("ages", [_bands_without_total(), _quarter_totals("test-all-children")]))


def bad_totals_agree_without_total_level_elsewhere(root):
    """The same, the quarterly totals in another dataset."""
    write(root, package("ages", [_bands_without_total()]))
    write(root, package("quarterly", [_quarter_totals("test-all-children")]))


def bad_teens_as_another_population(root):
    """Ages (12-14 = 6 hidden, Unknown = 40 its complement) in one dataset; teens by gender in another that names
    its own population, so no link is made: its all-genders total is 12-14 + 15-17 in every quarter, and in
    2023-Q1 less the published 15-17 it gives the 6 back. The grand totals differ, so comparing them finds
    nothing; the teens' total agrees with the sum of two age bands."""
    values = [[20, None, 30, None], [25, 31, 40, 11], [18, 22, 30, 13], [30, 22, 27, 0]]
    hidden = {1: 6, 3: 40}
    rows = []
    for q, vals in zip(QUARTERS, values):
        rows += [{"quarter": q, "age_band": level, "children": v} for level, v in zip(AGES, vals)]
        rows.append({"quarter": q, "age_band": ALL_AGES,
                     "children": sum(hidden[i] if v is None else v for i, v in enumerate(vals))})
    write(root, package("ages", [resource("identifications", [quarter(), age_dim(), count("children")], rows)]))
    rows = []
    for q, vals in zip(QUARTERS, values):
        teens = (hidden[1] if vals[1] is None else vals[1]) + vals[2]
        rows += [{"quarter": q, "gender": "Female", "children": teens - 12},
                 {"quarter": q, "gender": "Male", "children": 12},
                 {"quarter": q, "gender": "All genders", "children": teens}]
    gender = dim("gender", ["Female", "Male", "All genders"], total="All genders", codelist="gender")
    write(root, package("teens", [resource("teens", [quarter(), gender, count("children", population="test-teens")],
                                           rows)]))


# 5. Time aggregation and derived columns

def bad_quarterly_and_annual(root):
    """Quarterly by age plus an annual resource by age: the year less three published quarters."""
    values = [[20, None, 30, 12], [25, 31, 40, 11], [18, 33, 30, 13], [30, 22, 27, 0]]
    quarterly = resource("quarterly", [quarter(), age_dim(total=None), count("children")],
                         by_age(values, total=None))
    annual = [{"year": "2023", "age_band": a, "children": sum(v[i] if v[i] is not None else 6 for v in values)}
              for i, a in enumerate(AGES)]
    write(root, package("ages", [quarterly, resource("annual", [year(), age_dim(total=None), count("children")],
                                                     annual)]))


def bad_annual_total_for_the_guessing_reader(root):
    """Quarterly by age plus an annual total: Under 12's two hidden quarters add up to 16 (issue 16).

    Read alone the quarters link nothing; with the year, a reader who guesses that one hidden
    quarter is small (the other then at least 11) has it in 1..5. The exact and interval
    audits, which give a complement only "at least 1", find nothing.
    """
    values = [[4, 30, 30, 12], [12, 31, 40, 11], [25, 33, 30, 13], [30, 22, 27, 0]]
    shown = [[None if (q, i) in {(0, 0), (1, 0)} else v for i, v in enumerate(row)] for q, row in enumerate(values)]
    quarterly = resource("quarterly", [quarter(), age_dim(total=None), count("children")],
                         by_age(shown, total=None))
    annual = [{"year": "2023", "age_band": a, "children": sum(v[i] for v in values)} for i, a in enumerate(AGES)]
    write(root, package("ages", [quarterly, resource("annual", [year(), age_dim(total=None), count("children")],
                                                     annual)]))


def bad_year_to_date_column(root):
    """A year-to-date column beside the quarter's figure (undeclared)."""
    rows, ytd = [], 0
    for q, v in zip(QUARTERS, [20, None, 30, 25]):
        ytd += v if v is not None else 6
        rows.append({"quarter": q, "children": v, "children_ytd": ytd})
    write(root, package("ytd", [resource("ytd", [quarter(), count("children"), count("children_ytd")], rows)]))


def bad_change_column_rate(root):
    """"Change since previous quarter" declared as a rate: the hidden quarter is the last one plus the change."""
    vals = [20, 31, 45, None]
    true = [20, 31, 45, 6]
    rows = []
    for i, (q, v) in enumerate(zip(QUARTERS, vals)):
        rows.append({"quarter": q, "children": v, "change": None if i == 0 else true[i] - true[i - 1],
                     "change_note": "N" if i == 0 else ""})
    fields = [quarter(), count("children"), derived("change", "rate", ["children"], unit="children")]
    fields[2]["type"] = "integer"
    write(root, package("change", [resource("change", fields, rows)]))


def bad_change_column_quantity(root):
    """The same change column declared as a quantity (not protected)."""
    vals, true = [20, 31, 45, None], [20, 31, 45, 6]
    rows = [{"quarter": q, "children": v, "change": 0 if i == 0 else abs(true[i] - true[i - 1])}
            for i, (q, v) in enumerate(zip(QUARTERS, vals))]
    fields = [quarter(), count("children"), count("change", kind="quantity", unit="children")]
    write(root, package("change", [resource("change", fields, rows)]))


def _linear(name, kind, source="children"):
    """A declared change or year-to-date column (issue 10): an integer derived from one count, may be negative."""
    f = derived(name, kind, [source], unit="children")
    f["type"] = "integer"
    return f


def _change_rows(counts, changes, field="change"):
    """Rows by quarter: `counts` (None = S), `changes` (None = S, "N" = not available)."""
    rows = []
    for q, v, c in zip(QUARTERS, counts, changes):
        row = {"quarter": q, "children": v, field: None if c in (None, "N") else c}
        if c == "N":
            row[f"{field}_note"] = "N"
        rows.append(row)
    return rows


def bad_declared_change_gives_back_hidden(root):
    """A declared change column, hidden beside the hidden quarter, published the quarter after: Q3 less it."""
    true = [20, 6, 30, 25]
    rows = _change_rows([20, None, 30, 25], ["N", None, true[2] - true[1], true[3] - true[2]])
    write(root, package("change", [resource("change", [quarter(), count("children"), _linear("change", "change")],
                                            rows)]))


def bad_declared_ytd_gives_back_hidden(root):
    """A declared year-to-date column published after a hidden quarter: it less the published quarters."""
    true = [20, 6, 30, 25]
    ytd = [sum(true[:i + 1]) for i in range(4)]
    rows = _change_rows([20, None, 30, 25], [ytd[0], None, ytd[2], ytd[3]], field="ytd")
    write(root, package("ytd", [resource("ytd", [quarter(), count("children"), _linear("ytd", "year-to-date")],
                                         rows)]))


def bad_declared_change_by_age(root):
    """Change by age band: the published change of Q2 12-14 gives back Q1's hidden 12-14 (Q2 is published)."""
    d = age_package("ages")
    r = d["resources"][0]
    r["schema"]["fields"].extend([_linear("change", "change"), note("change_note")])
    true = {(row["quarter"], row["age_band"]): (row["children"] if row["children"] is not None
                                                 else TRUE[AGES.index(row["age_band"])]) for row in r["_rows"]}
    for row in r["_rows"]:
        i = QUARTERS.index(row["quarter"])
        if i == 0 and row["children"] is not None:
            row["change"], row["change_note"] = None, "N"
        elif row["children"] is None or i == 0:
            row["change"] = None
        else:
            row["change"] = row["children"] - true[(QUARTERS[i - 1], row["age_band"])]
    write(root, d)


def bad_change_of_another_count(root):
    """A change column naming `children` but holding the change of `referrals` (another population, a single
    small quarter hidden with no complement): the system models it on `children`, where it does not hold, and
    the published 2023-Q1 referrals plus the 2023-Q2 change give the hidden 6 back."""
    referrals = [14, 6, 19, 22]
    rows = _change_rows([20, 25, 30, 28], ["N"] + [b - a for a, b in zip(referrals, referrals[1:])])
    for row, r in zip(rows, referrals):
        row["referrals"] = None if r == 6 else r
    rows[2]["change"] = None  # 2023-Q3 less the hidden 2023-Q2: hidden, as derived-columns asks
    fields = [quarter(), count("children"), count("referrals", population="test-referrals"),
              _linear("change", "change")]
    write(root, package("change", [resource("change", fields, rows)]))


def bad_declared_change_first_period(root):
    """The change of the first published quarter gives back the quarter before, which is published nowhere."""
    rows = _change_rows([20, 31, 45, 40], [14, 11, 14, -5])
    write(root, package("change", [resource("change", [quarter(), count("children"), _linear("change", "change")],
                                            rows)]))


def bad_declared_ytd_in_other_package(root):
    """One dataset hides Q2; another of the same children hides Q2 to Q4 but publishes their year-to-date.

    With the first dataset's Q3 and Q4 the year-to-date gives Q2 back: only the two read together show it."""
    write(root, package("quarters", [resource("quarters", [quarter(), count("children")],
                                              [{"quarter": q, "children": v}
                                               for q, v in zip(QUARTERS, [20, None, 30, 25])])]))
    true = [20, 6, 30, 25]
    rows = _change_rows([20, None, None, None], [20, None, 56, 81], field="ytd")
    for row in rows[2:]:
        row["children_note"] = "S"
    write(root, package("ytd", [resource("ytd", [quarter(), count("children"), _linear("ytd", "year-to-date")],
                                         rows)]))
    del true


def bad_percentage_only_denominator(root):
    """A percentage whose `derivedFrom` names only its denominator; the numerator is hidden."""
    rows = []
    for q, (n, d) in zip(QUARTERS, [(None, 40), (25, 50), (None, 60), (30, 45)]):
        true = n if n is not None else 6
        rows.append({"quarter": q, "completed": n, "enrolled": d, "pct": round(100 * true / d, 1)})
    fields = [quarter(), count("enrolled"), count("completed", population="test-completers"),
              derived("pct", "percentage", ["enrolled"])]
    write(root, package("pct", [resource("pct", fields, rows)]))


def bad_percent_of_total(root):
    """Each band's share of all ages, derivedFrom the count: the share of a hidden band is published."""
    d = age_package("ages")
    r = d["resources"][0]
    r["schema"]["fields"].extend([derived("share", "percentage", ["children"]), note("share_note")])
    for row in r["_rows"]:
        q = QUARTERS.index(row["quarter"])
        total = _sum(SAFE_AGE_VALUES, row["quarter"], QUARTERS)
        i = AGES.index(row["age_band"]) if row["age_band"] in AGES else None
        value = row["children"] if row["children"] is not None else TRUE.get(i, 0)
        row["share"] = round(100 * value / total, 1)
        row["share_note"] = ""
        del q
    write(root, d)


def bad_percent_of_hidden_total(root):
    """Each band's share of all ages where the all-ages total is hidden: a published band and its share give the
    total back, and the total less the published bands the hidden band."""
    values = [[20, None, 30, 12], [25, 31, 40, 11], [18, 33, 30, 13], [30, 22, 27, 0]]
    d = age_package("ages", values=values)
    r = d["resources"][0]
    r["schema"]["fields"].extend([derived("share", "percentage", ["children"]), note("share_note")])
    for row in r["_rows"]:
        total = _sum(values, row["quarter"], QUARTERS)
        if row["quarter"] == QUARTERS[0] and row["age_band"] == ALL_AGES:
            row["children"] = None  # the whole, hidden with the small band
        row["share"] = None if row["children"] is None else round(100 * row["children"] / total, 1)
    write(root, d)


def _shares_by_age(true, hidden, areas=None, scale=100):
    """Rows of a share of each band's children in its quarter (and area), the `hidden` (quarter, area, band) S;
    per `scale` (100: a percentage)."""
    rows = []
    for q in QUARTERS:
        for area in areas or [None]:
            values = true(q, area)
            whole = sum(values.values())
            for band, v in values.items():
                shut = (q, area, band) in hidden
                row = {"quarter": q, "age_band": band, "children": None if shut else v,
                       "share": None if shut else round(scale * v / whole, 1)}
                rows.append(row if area is None else {"area": area, **row})
    return rows


def bad_share_without_total_level(root, scale=100):
    """Each band's share of its quarter in a table with no all-ages level: a single hidden band needs no
    complement, and any published band over its share gives the quarter's whole back, less the published
    bands the hidden one (2023-Q1: 20 / 29.0% = 69, 69 - 20 - 31 - 12 = 6)."""
    values = [[20, 6, 31, 12], [25, 31, 40, 11], [18, 30, 22, 13], [30, 22, 27, 0]]
    rows = _shares_by_age(lambda q, area: dict(zip(AGES, values[QUARTERS.index(q)])), {("2023-Q1", None, "12-14")},
                          scale=scale)
    fields = [quarter(), age_dim(total=None), count("children"), derived("share", "percentage", ["children"])]
    write(root, package("shares", [resource("shares", fields, rows)]))


def bad_share_across_undeclared_whole(root):
    """Areas have a total level, age bands do not; each band's share of its area's children. North's hidden
    12-14 (6) is protected in the area table by South's, but North's published bands over their shares give
    North's whole back, and so the 6."""
    north, south = [20, 6, 31, 12], [25, 31, 40, 11]

    def true(q, area):
        n = north if q == QUARTERS[0] else [20, 16, 31, 12]
        values = {"North": n, "South": south, "All areas": [a + b for a, b in zip(n, south)]}[area]
        return dict(zip(AGES, values))

    hidden = {(QUARTERS[0], "North", "12-14"), (QUARTERS[0], "South", "12-14")}
    rows = _shares_by_age(true, hidden, areas=["North", "South", "All areas"])
    area = dim("area", ["North", "South", "All areas"], total="All areas", title="Area")
    fields = [quarter(), area, age_dim(total=None), count("children"), derived("share", "percentage", ["children"])]
    write(root, package("shares", [resource("shares", fields, rows)]))


def _as_rate(root, name, unit):
    """Re-declare the package's `share` column as a rate (`tally:unit` `unit`)."""
    folder = Path(root) / name
    d = json.loads((folder / "datapackage.json").read_text())
    share = next(f for f in d["resources"][0]["schema"]["fields"] if f["name"] == "share")
    share.update({"tally:kind": "rate", "tally:unit": unit})
    (folder / "datapackage.json").write_text(json.dumps(d, indent=2))


def bad_rate_of_hidden_total(root):
    """bad_percent_of_hidden_total declared as a rate per 100 children identified: the same share, another kind."""
    bad_percent_of_hidden_total(root)
    _as_rate(root, "ages", "per 100 children identified")


def bad_rate_of_a_sum_without_total_level(root):
    """bad_share_without_total_level declared as a rate per 1,000 of the quarter's children."""
    bad_share_without_total_level(root, scale=1000)
    _as_rate(root, "shares", "per 1,000 children identified")


def bad_share_of_the_year(root):
    """Each quarter's share of its year's children, the small 2023-Q2 hidden alone (a table with no total needs
    no complement): 20 / 29.0% gives the year's 69 back, less the published quarters the 6."""
    values = [20, 6, 31, 12]
    rows = [{"quarter": q, "children": None if v == 6 else v, "share": None if v == 6 else round(100 * v / sum(values), 1)}
            for q, v in zip(QUARTERS, values)]
    fields = [quarter(), count("children"), derived("share", "percentage", ["children"])]
    write(root, package("year-shares", [resource("shares", fields, rows)]))


def bad_whole_as_a_column(root):
    """No all-ages level, but a column repeats each quarter's children of all ages on every row (declared as
    another population, so no link is made): the column less the published bands gives the hidden band back."""
    values = [[20, 6, 31, 12], [25, 31, 40, 11], [18, 30, 22, 13], [30, 22, 27, 0]]
    rows = []
    for q, vals in zip(QUARTERS, values):
        for band, v in zip(AGES, vals):
            shut = (q, band) == ("2023-Q1", "12-14")
            rows.append({"quarter": q, "age_band": band, "children": None if shut else v,
                         "all_children": sum(vals), "share": None if shut else round(100 * v / sum(vals), 1)})
    fields = [quarter(), age_dim(total=None), count("children"),
              count("all_children", population="test-children-in-the-quarter"),
              derived("share", "percentage", ["children", "all_children"])]
    write(root, package("whole", [resource("whole", fields, rows)]))


def bad_mean_next_to_n(root):
    """A mean published beside a quantity it divides; its count of people is hidden."""
    rows = []
    for q, (n, nights) in zip(QUARTERS, [(None, 42), (20, 100), (None, 30), (25, 75)]):
        true = n if n is not None else 6
        rows.append({"quarter": q, "children": n, "nights": nights, "mean_nights": round(nights / true, 2)})
    fields = [quarter(), count("children"), count("nights", kind="quantity", unit="nights"),
              derived("mean_nights", "mean", ["children"], unit="nights")]
    fields[3]["tally:derivedFrom"] = ["nights"]
    write(root, package("mean", [resource("mean", fields, rows)]))


def bad_people_as_quantity(root):
    """A count of children declared as `quantity`, so nothing protects it."""
    rows = [{"quarter": q, "children": v} for q, v in zip(QUARTERS, [20, 5, 30, 25])]
    write(root, package("qty", [resource("qty", [quarter(), count("children", kind="quantity")], rows)]))


def bad_people_as_quantity_unit(root):
    """A count of youth declared as a quantity under another name."""
    rows = [{"quarter": q, "placements": v} for q, v in zip(QUARTERS, [20, 5, 30, 25])]
    f = count("placements", kind="quantity", unit="youth")
    f["title"] = "Youth placed"
    write(root, package("qty", [resource("qty", [quarter(), f], rows)]))


# 6. Holes in what "hidden" means

def bad_small_cell_marked_n(root):
    """A small cell marked N (not available) where the total includes it: the audit left it out."""
    d = age_package("ages", values=[[20, 6, 30, 12]] + SAFE_AGE_VALUES[1:])
    rows = d["resources"][0]["_rows"]
    rows[1]["children"], rows[1]["children_note"] = None, "N"
    write(root, d)


def bad_missing_row(root):
    """A row left out of a table with totals: the audit read it as 0."""
    d = age_package("ages", values=[[20, 6, 30, 12]] + SAFE_AGE_VALUES[1:])
    rows = d["resources"][0]["_rows"]
    del rows[1]
    write(root, d)


def bad_rate_with_count_n(root):
    """A rate published while its count is N."""
    rows = [{"quarter": q, "children": v, "rate": r, **({"children_note": "N"} if v is None else {})}
            for q, v, r in zip(QUARTERS, [20, None, 30, 25], [4.1, 1.2, 6.2, 5.1])]
    fields = [quarter(), count("children"), derived("rate", "rate", ["children"], unit="per 1,000")]
    write(root, package("rate", [resource("rate", fields, rows)]))


def bad_zeros_suppressed_with_zero(root):
    """`zerosSuppressed: true` on a table that publishes 0, so a hidden cell is assumed possibly 0."""
    write(root, age_package("ages", **{"tally:disclosure": {"zerosSuppressed": True}}))


def bad_totals_do_not_add_up(root):
    """Nothing hidden in a row, and the total is not the sum of its parts."""
    d = age_package("ages", values=[[20, 16, 30, 12]] + SAFE_AGE_VALUES[1:])
    d["resources"][0]["_rows"][4]["children"] = 70
    write(root, d)


def bad_n_part_hidden_total(root):
    """An N cell whose total is published beside one hidden cell: N "adds nothing" but the total includes it."""
    d = age_package("ages", values=[[20, None, 30, 12]] + SAFE_AGE_VALUES[1:])
    rows = d["resources"][0]["_rows"]
    rows[3]["children"], rows[3]["children_note"] = None, "N"
    rows[4]["children"] = 20 + 6 + 30 + 12
    write(root, d)


# 7. Outside the tables

def bad_resource_without_schema(root):
    """A CSV resource with no schema is published byte for byte."""
    d = age_package("ages")
    d["resources"].append({"name": "raw", "path": "data/raw.csv", "_raw": "area,children\nStation 2,5\n"})
    write(root, d)


def bad_text_resource(root):
    """A .txt resource."""
    d = age_package("ages")
    d["resources"].append({"name": "notes", "path": "data/notes.txt", "format": "txt",
                           "_raw": "Station 2 identified few children this quarter.\n"})
    write(root, d)


def bad_json_resource(root):
    """A .json resource."""
    d = age_package("ages")
    d["resources"].append({"name": "extra", "path": "data/extra.json", "format": "json",
                           "_raw": json.dumps({"station 2": "see table"})})
    write(root, d)


def bad_missing_values_five(root):
    """`missingValues: ["5", ""]` on a count field: the CSV download writes every empty cell as 5."""
    d = age_package("ages")
    d["resources"][0]["schema"]["fields"][2]["missingValues"] = ["5", ""]
    write(root, d)


def bad_schema_missing_values(root):
    """Schema-level `missingValues` with a number."""
    d = age_package("ages")
    d["resources"][0]["schema"]["missingValues"] = ["", "3"]
    write(root, d)


def _text(root, where, value):
    """The safe package with `value` written at `where` (a key, or a list key and None to append)."""
    d = age_package("ages")
    if where[-1] is None:
        d.setdefault(where[0], []).append(value)
    else:
        d[where[0]] = value
    write(root, d)


def bad_title_small_number(root):
    """A number next to a people word in the title."""
    _text(root, ["title"], "Identifications: 7 children in Service Area 2")


def bad_description_small_number(root):
    """In the description."""
    _text(root, ["description"], "Children identified. In 2023-Q1 only 3 girls were identified in Station 2.")


def bad_notes_small_number(root):
    """In tally:notes."""
    _text(root, ["tally:notes", None], "The 12-14 figure for 2023-Q1 was 6 youths.")


def bad_keywords_small_number(root):
    """In keywords."""
    _text(root, ["keywords", None], "4 victims")


def bad_spelled_number(root):
    """A spelled-out number next to a people word."""
    _text(root, ["description"], "Children identified. Five children were under 12 in Station 2 in 2023-Q1.")


def bad_level_name_small_number(root):
    """A level name that carries a count."""
    d = age_package("ages")
    f = d["resources"][0]["schema"]["fields"][1]
    f["categories"] = [{"value": v, "label": "Unknown age (2 children)" if v == "Unknown age" else v}
                       for v in f["constraints"]["enum"]]
    write(root, d)


def bad_field_description_small_number(root):
    """In a field description (the data dictionary)."""
    d = age_package("ages")
    d["resources"][0]["schema"]["fields"][2]["description"] = "Children identified; 2023-Q1 12-14 was 6 children."
    write(root, d)


def bad_chart_description_small_number(root):
    """In a chart's description."""
    d = age_package("ages")
    d["views"] = [{"name": "by-quarter", "title": "Children by quarter", "resources": ["identifications"],
                   "specType": "tally", "spec": {"mark": "line", "x": "quarter", "y": "children",
                                                 "color": "age_band",
                                                 "description": "Hidden: 8 children aged 12-14 in 2023-Q1."}}]
    write(root, d)


def bad_source_title_small_number(root):
    """In a source's title."""
    _text(root, ["sources", None], {"title": "Sheriff memo on 9 survivors"})


def bad_resource_title_small_number(root):
    """In a resource's title."""
    d = age_package("ages")
    d["resources"][0]["title"] = "Identifications (3 boys not shown)"
    write(root, d)


def bad_count_word_in_notes(root):
    """A count said with a count word, no people word beside the number (red team, session 4)."""
    _text(root, ["tally:notes", None], "In 2023-Q1 the 12-14 count is 6.")


def bad_statistic_marker_in_readme(root):
    """A statistic marker in the README (red team, session 4)."""
    write(root, age_package("ages"))
    (Path(root) / "ages" / "README.md").write_text("# Ages\n\nStation 2, 2023-Q1 (n = 6).\n", encoding="utf-8")


def bad_counted_verb_in_field_description(root):
    """A spelled number and a verb of counting people in the data dictionary (red team, session 4)."""
    d = age_package("ages")
    d["resources"][0]["schema"]["fields"][2]["description"] = "Children identified. In 2023-Q1 six were identified."
    write(root, d)


def bad_bound_in_level_label(root):
    """A bound tighter than the suppression range in a level's label (red team, session 4)."""
    d = age_package("ages")
    f = d["resources"][0]["schema"]["fields"][1]
    f["categories"] = [{"value": v, "label": "Unknown age (fewer than 5)" if v == "Unknown age" else v}
                       for v in f["constraints"]["enum"]]
    write(root, d)


def bad_vega_lite_datasets(root):
    """A vega-lite view that keeps `datasets` (only top-level `data` was stripped)."""
    d = age_package("ages")
    d["views"] = [{"name": "raw", "title": "Raw", "resources": ["identifications"], "specType": "vega-lite",
                   "spec": {"mark": "bar", "datasets": {"hidden": [{"age": "12-14", "children": 6}]},
                            "encoding": {"x": {"field": "quarter", "type": "nominal"},
                                         "y": {"field": "children", "type": "quantitative"}}}}]
    write(root, d)


def bad_vega_lite_layer_values(root):
    """Inline values inside a layer."""
    d = age_package("ages")
    d["views"] = [{"name": "raw", "title": "Raw", "resources": ["identifications"], "specType": "vega-lite",
                   "spec": {"layer": [{"mark": "line", "encoding": {"x": {"field": "quarter", "type": "nominal"},
                                                                   "y": {"field": "children",
                                                                         "type": "quantitative"}}},
                                      {"mark": "rule", "data": {"values": [{"y": 6}]},
                                       "encoding": {"y": {"field": "y", "type": "quantitative"}}}]}}]
    write(root, d)


def bad_vega_lite_text_mark(root):
    """A text mark whose literal text carries a count."""
    d = age_package("ages")
    d["views"] = [{"name": "raw", "title": "Raw", "resources": ["identifications"], "specType": "vega-lite",
                   "spec": {"mark": {"type": "text", "text": "6 children aged 12-14"},
                            "encoding": {"x": {"field": "quarter", "type": "nominal"}}}}]
    write(root, d)


def _raw_view(spec):
    d = age_package("ages")
    d["views"] = [{"name": "raw", "title": "Children by quarter", "resources": ["identifications"],
                   "specType": "vega-lite", "spec": spec}]
    return d


RAW_LINE = {"mark": "line", "encoding": {"x": {"field": "quarter", "type": "nominal"},
                                         "y": {"field": "children", "type": "quantitative"},
                                         "color": {"field": "age_band", "type": "nominal"}}}


def bad_vega_lite_rule_at_datum(root):
    """A rule drawn at the hidden 12-14 figure on the children axis, and labelled with it (red team, session 4)."""
    rule = {"mark": "rule", "encoding": {"y": {"datum": 6}}}
    label = {"mark": "text", "encoding": {"y": {"datum": 6}, "text": {"datum": 6}}}
    write(root, _raw_view({"layer": [RAW_LINE, rule, label]}))


def bad_vega_lite_impute_hidden_cell(root):
    """An impute transform that draws the hidden cells at 6 (red team, session 4)."""
    write(root, _raw_view({**RAW_LINE, "transform": [{"impute": "children", "key": "quarter", "value": 6,
                                                      "groupby": ["age_band"]}]}))


def bad_vega_lite_calculated_label(root):
    """A calculated field printed by a text mark: "n = 6" worked out from two large numbers (red team, session 4)."""
    label = {"mark": "text", "transform": [{"calculate": "'n = ' + (100 - 94)", "as": "n"}],
             "encoding": {"x": {"field": "quarter", "type": "nominal"}, "text": {"field": "n"}}}
    write(root, _raw_view({"layer": [RAW_LINE, label]}))


def bad_count_without_population(root):
    """A count that does not say what it counts cannot be linked with anything."""
    d = age_package("ages")
    del d["resources"][0]["schema"]["fields"][2]["tally:population"]
    write(root, d)


def bad_level_not_in_codelist(root):
    """A dimension that draws on the age-band code list but uses a level the list does not have."""
    d = age_package("ages")
    f = d["resources"][0]["schema"]["fields"][1]
    f["constraints"]["enum"] = ["Under 12", "12-14", "15-17", "Age unknown", ALL_AGES]
    for row in d["resources"][0]["_rows"]:
        if row["age_band"] == "Unknown age":
            row["age_band"] = "Age unknown"
    write(root, d)


BAD = {
    bad_cross_package_teen_total: {"linked-tables"},
    bad_cross_package_same_table: {"linked-tables"},
    bad_cross_package_no_total_in_second: {"linked-tables"},
    bad_cross_package_area_subtotal: {"linked-tables"},
    bad_totals_resource_other_measure: {"linked-tables"},
    bad_resource_without_total_level: {"unlinkable-tables"},
    bad_two_resources_different_totals: {"unlinkable-tables", "linked-tables"},
    bad_wide_layout: {"undeclared-structure"},
    bad_measures_add_up: {"undeclared-structure"},
    bad_two_measures_same_population: {"unlinkable-tables", "undeclared-structure"},
    bad_archive_publishes_small: {"archived-release"},
    bad_archive_exact_alone: {"archived-release"},
    bad_release_renamed_measure: {"linked-tables"},
    bad_release_extra_resource: {"unlinkable-tables", "archived-release", "linked-releases"},
    bad_release_revised_total: {"linked-tables", "linked-releases"},
    bad_release_population_renamed: {"linked-tables", "unlinkable-tables", "linked-releases"},
    bad_region_subtotal_undeclared: {"undeclared-structure"},
    bad_all_under_18_not_total: {"undeclared-structure"},
    bad_cyrillic_total: {"confusable-level"},
    bad_cyrillic_total_declared: {"confusable-level"},
    bad_greek_level_lookalike: {"confusable-level"},
    bad_teen_subtotal_level: {"undeclared-structure"},
    bad_totals_agree_undeclared: {"undeclared-link"},
    bad_totals_agree_without_total_level: {"undeclared-link"},
    bad_totals_agree_without_total_level_elsewhere: {"undeclared-link"},
    bad_teens_as_another_population: {"undeclared-link"},
    bad_new_dataset_mislabelled_two_quarters: {"undeclared-link"},
    bad_new_dataset_mislabelled_one_quarter: {"undeclared-link"},
    bad_quarterly_and_annual: {"linked-tables"},
    bad_year_to_date_column: {"undeclared-structure"},
    bad_change_column_rate: {"undeclared-structure", "derived-sources", "derived-suppressed"},
    bad_change_column_quantity: {"undeclared-structure", "count-kind"},
    bad_declared_change_gives_back_hidden: {"linked-tables"},
    bad_declared_ytd_gives_back_hidden: {"linked-tables"},
    bad_declared_change_by_age: {"linked-tables"},
    bad_declared_change_first_period: {"derived-columns"},
    bad_change_of_another_count: {"derived-columns"},
    bad_declared_ytd_in_other_package: {"linked-tables"},
    bad_percentage_only_denominator: {"derived-sources"},
    bad_percent_of_total: {"derived-suppressed", "derived-sources"},
    bad_percent_of_hidden_total: {"derived-whole"},
    bad_share_without_total_level: {"derived-whole"},
    bad_share_across_undeclared_whole: {"derived-whole"},
    bad_whole_as_a_column: {"undeclared-structure"},
    bad_share_of_the_year: {"derived-whole"},
    bad_rate_of_hidden_total: {"derived-whole"},
    bad_rate_of_a_sum_without_total_level: {"derived-whole"},
    bad_mean_next_to_n: {"derived-sources", "measure-fields"},
    bad_people_as_quantity: {"count-kind"},
    bad_people_as_quantity_unit: {"count-kind"},
    bad_small_cell_marked_n: {"not-available"},
    bad_missing_row: {"missing-row"},
    bad_rate_with_count_n: {"not-available"},
    bad_zeros_suppressed_with_zero: {"zeros-suppressed"},
    bad_totals_do_not_add_up: {"totals-add-up"},
    bad_n_part_hidden_total: {"not-available"},
    bad_resource_without_schema: {"tabular-resource"},
    bad_text_resource: {"tabular-resource"},
    bad_json_resource: {"tabular-resource"},
    bad_missing_values_five: {"missing-values"},
    bad_schema_missing_values: {"missing-values"},
    bad_title_small_number: {"text-small-number"},
    bad_description_small_number: {"text-small-number"},
    bad_notes_small_number: {"text-small-number"},
    bad_keywords_small_number: {"text-small-number"},
    bad_spelled_number: {"text-small-number"},
    bad_level_name_small_number: {"text-small-number"},
    bad_field_description_small_number: {"text-small-number"},
    bad_chart_description_small_number: {"text-small-number"},
    bad_source_title_small_number: {"text-small-number"},
    bad_resource_title_small_number: {"text-small-number"},
    bad_count_word_in_notes: {"text-small-number"},
    bad_statistic_marker_in_readme: {"text-small-number"},
    bad_counted_verb_in_field_description: {"text-small-number"},
    bad_bound_in_level_label: {"text-small-number"},
    bad_vega_lite_datasets: {"vega-lite-data"},
    bad_vega_lite_layer_values: {"vega-lite-data"},
    bad_vega_lite_text_mark: {"vega-lite-data", "text-small-number"},
    bad_vega_lite_rule_at_datum: {"vega-lite-figure"},
    bad_vega_lite_impute_hidden_cell: {"vega-lite-figure"},
    bad_vega_lite_calculated_label: {"vega-lite-figure"},
    bad_count_without_population: {"count-population"},
    bad_level_not_in_codelist: {"codelist"},
}


# == safe packages: each must build =================================================

def safe_baseline(root):
    """One table by quarter and age with a proper suppression pattern."""
    write(root, age_package("ages"))


def safe_two_populations_same_measure_name(root):
    """Two resources both call their measure `children` but count different children (false alarm 1)."""
    other = [[40, 33, 35, 21], [45, 31, 40, 11], [38, 22, 30, 13], [50, 22, 27, 0]]
    write(root, package("ages", [age_table(),
                                 age_table("referrals", values=other, population="test-children-referred")]))


def safe_region_station_hierarchy(root):
    """A correct county -> regions -> stations table, the hierarchy from the area code list (false alarm 2)."""
    levels = ["Station 1", "Station 2", "Station 3", "Station 4", "North region", "South region", "County"]
    rows = []
    for q, (a, b, c, e) in zip(QUARTERS, [(25, 31, 30, 40), (20, 22, 33, 41), (27, 28, 29, 30), (40, 0, 35, 36)]):
        values = {"Station 1": a, "Station 2": b, "Station 3": c, "Station 4": e, "North region": a + b,
                  "South region": c + e, "County": a + b + c + e}
        rows += [{"quarter": q, "area": k, "children": v} for k, v in values.items()]
    area = dim("area", levels, total="County", codelist="area")
    write(root, package("areas", [resource("areas", [quarter(), area, count("children")], rows)]))


def safe_new_breakdown_after_release(root):
    """A breakdown by gender added after the release (false alarm 3)."""
    d = age_package("ages")
    archive(root, d)
    rows = []
    for q, values in zip(QUARTERS, SAFE_AGE_VALUES):
        t = _sum(SAFE_AGE_VALUES, q, QUARTERS)
        rows += [{"quarter": q, "gender": "Female", "children": t - 30}, {"quarter": q, "gender": "Male",
                                                                           "children": 30},
                 {"quarter": q, "gender": "All genders", "children": t}]
    gender = dim("gender", ["Female", "Male", "All genders"], total="All genders", codelist="gender")
    d2 = copy.deepcopy(d)
    d2["version"] = "1.1.0"
    d2["resources"].append(resource("by_gender", [quarter(), gender, count("children")], rows))
    write(root, d2)


def safe_cross_package_linked(root):
    """Ages in one dataset and teens by gender in another, the linked system still protected."""
    write(root, age_package("ages", values=[[20, None, None, 12], [25, 31, 40, 11], [18, None, None, 13],
                                            [30, 22, 27, 0]]))
    rows = []
    for q in QUARTERS:
        rows += [{"quarter": q, "gender": "Female", "children": 40}, {"quarter": q, "gender": "Male",
                                                                       "children": 45},
                 {"quarter": q, "gender": "All genders", "children": 85}]
    gender = dim("gender", ["Female", "Male", "All genders"], total="All genders", codelist="gender")
    write(root, package("boys-and-girls", [resource("gender", [quarter(), gender,
                                                                count("children", population="test-adults")],
                                                     rows)]))


def safe_percentage_published_parts(root):
    """A completion percentage whose numerator and denominator are both published."""
    rows = []
    for q, (c, e) in zip(QUARTERS, [(20, 40), (25, 50), (30, 60), (0, 45)]):
        rows.append({"quarter": q, "completed": c, "enrolled": e, "pct": round(100 * c / e, 1)})
    fields = [quarter(), count("enrolled", population="test-enrolled"),
              count("completed", population="test-completers"),
              derived("pct", "percentage", ["completed", "enrolled"])]
    write(root, package("pct", [resource("pct", fields, rows)]))


def safe_numbers_in_text(root):
    """Numbers that are not counts of people: years, quarters, age bands, area numbers, big counts."""
    write(root, age_package("ages", title="Children identified, 2023 (Service Area 1 to 4)",
                            description="Children identified aged 12-17 and under 12. 45 children in 2023-Q2. "
                                        "Data for 4 quarters.", keywords=["2023", "ages 12-17"],
                            **{"tally:notes": ["Figures below 11 are suppressed; see the methodology page."]}))


def safe_numbers_beside_count_words(root):
    """Count words beside numbers that are not counts: ranges, the threshold, quarters, sections (session 4)."""
    write(root, age_package("ages", description="Children identified, by age (12-14, 15-17, under 12). Counts from "
                                                "1 to 10 are suppressed; the 12-14 count is suppressed in 2023-Q1.",
                            **{"tally:notes": ["A total of 4 quarters; see section 2 of the methodology.",
                                               "Counts fewer than 11 are hidden (n = 45 in 2023-Q2).",
                                               "One of the stations reported late."]}))
    (Path(root) / "ages" / "README.md").write_text("# Ages\n\nVersion number is 2. Q3 data, table 3.\n",
                                                    encoding="utf-8")


def safe_quantity_of_things(root):
    """A quantity that counts classes, not people."""
    rows = [{"quarter": q, "classes": v} for q, v in zip(QUARTERS, [2, 5, 3, 1])]
    write(root, package("classes", [resource("classes", [quarter(), count("classes", kind="quantity",
                                                                           unit="classes")], rows)]))


def safe_vega_lite_without_data(root):
    """A raw vega-lite view with no data of its own."""
    d = age_package("ages")
    d["views"] = [{"name": "raw", "title": "Children by quarter", "resources": ["identifications"],
                   "specType": "vega-lite",
                   "spec": {"mark": "bar", "encoding": {"x": {"field": "quarter", "type": "nominal"},
                                                        "y": {"field": "children", "type": "quantitative"}}}}]
    write(root, d)


def safe_vega_lite_layout_numbers(root):
    """A raw vega-lite view full of small numbers that size and style it, none a figure (red team, session 4)."""
    line = {**RAW_LINE, "mark": {"type": "line", "strokeWidth": 2, "point": {"size": 6}, "strokeDash": [4, 2]}}
    line["encoding"] = {**line["encoding"], "x": {"field": "quarter", "type": "nominal",
                                                  "axis": {"labelAngle": -45, "labelFontSize": 9, "tickCount": 4}},
                        "opacity": {"value": 1}}
    labels = {"mark": {"type": "text", "dy": -6, "fontSize": 9},
              "encoding": {"x": {"field": "quarter", "type": "nominal"},
                           "y": {"field": "children", "type": "quantitative"},
                           "text": {"field": "children", "format": ","}}}
    write(root, _raw_view({"layer": [line, labels], "width": 300, "height": 200, "padding": 5,
                           "title": {"text": "Children identified, Service Area 2", "fontSize": 9, "offset": 4},
                           "config": {"view": {"strokeWidth": 0}, "legend": {"columns": 2}}}))


def safe_release_then_new_quarter(root):
    """An archived release and a new quarter added after it, the pattern kept."""
    old = package("ages", [age_table(values=SAFE_AGE_VALUES[:3])])
    old["resources"][0]["_rows"] = by_age(SAFE_AGE_VALUES[:3], quarters=QUARTERS[:3])
    archive(root, old)
    write(root, dict(age_package("ages"), version="1.1.0"))


def safe_annual_and_quarterly_totals(root):
    """Quarterly totals and an annual total of the same children, all published."""
    quarterly = resource("quarterly", [quarter(), count("children")],
                         [{"quarter": q, "children": v} for q, v in zip(QUARTERS, [20, 25, 30, 0])])
    annual = resource("annual", [year(), count("children")], [{"year": "2023", "children": 75}])
    write(root, package("totals", [quarterly, annual]))


def safe_two_datasets_coincidence_once(root):
    """Two populations whose totals agree in one quarter only."""
    write(root, age_package("ages"))
    other = [[40, 16, 0, 12], [25, 31, 40, 11], [38, 22, 30, 13], [50, 22, 27, 0]]
    write(root, age_package("referrals", values=other, population="test-referred"))


def safe_new_dataset_agreeing_in_part(root):
    """A new one-quarter dataset of another population sharing the age bands: three of its bands equal the ages
    table's by chance, the fourth and the total do not (session 4: a part is not the whole breakdown)."""
    write(root, age_package("ages"))
    write(root, package("referred", [resource("referred", [quarter(), age_dim(), count("children",
                                                                                       population="test-referred")],
                                              by_age([[25, 31, 40, 12]], quarters=QUARTERS[1:2]))]))


def safe_declared_change_column(root):
    """A declared change column, hidden wherever it or the quarter before is hidden (negative changes too)."""
    rows = _change_rows([20, None, 30, 25], ["N", None, None, -5])
    write(root, package("change", [resource("change", [quarter(), count("children"), _linear("change", "change")],
                                            rows)]))


def safe_declared_ytd_column(root):
    """A declared year-to-date column, hidden from the hidden quarter to the end of the year."""
    rows = _change_rows([20, None, 30, 25], [20, None, None, None], field="ytd")
    write(root, package("ytd", [resource("ytd", [quarter(), count("children"), _linear("ytd", "year-to-date")],
                                         rows)]))


def safe_declared_change_by_age(root):
    """Change by age band published only where this quarter and the last are both published."""
    d = age_package("ages")
    r = d["resources"][0]
    r["schema"]["fields"].extend([_linear("change", "change"), note("change_note")])
    values = {(row["quarter"], row["age_band"]): row["children"] for row in r["_rows"]}
    for row in r["_rows"]:
        i = QUARTERS.index(row["quarter"])
        before = values.get((QUARTERS[i - 1], row["age_band"])) if i else None
        if i == 0 and row["children"] is not None:
            row["change"], row["change_note"] = None, "N"
        elif row["children"] is None or before is None:
            row["change"] = None
        else:
            row["change"] = row["children"] - before
    write(root, d)


def safe_percent_of_published_total(root):
    """Each band's share of all ages, hidden with its band; every all-ages total is published."""
    d = age_package("ages")
    r = d["resources"][0]
    r["schema"]["fields"].extend([derived("share", "percentage", ["children"]), note("share_note")])
    for row in r["_rows"]:
        total = _sum(SAFE_AGE_VALUES, row["quarter"], QUARTERS)
        row["share"] = None if row["children"] is None else round(100 * row["children"] / total, 1)
    write(root, d)


def safe_share_without_total_level(root):
    """Shares of each quarter's children in a table with no all-ages level, hidden for the whole quarter
    where a band is hidden (the whole is then unknown to the reader)."""
    values = [[20, 6, 31, 12], [25, 31, 40, 11], [18, 30, 22, 13], [30, 22, 27, 0]]
    rows = _shares_by_age(lambda q, area: dict(zip(AGES, values[QUARTERS.index(q)])), {("2023-Q1", None, "12-14")})
    for row in rows:
        if row["quarter"] == "2023-Q1":
            row["share"] = None
    fields = [quarter(), age_dim(total=None), count("children"), derived("share", "percentage", ["children"])]
    write(root, package("shares", [resource("shares", fields, rows)]))


def safe_rate_per_population_beside_a_hidden_total(root):
    """Each band's rate per 100,000 children of its age in the county (a base outside the table) where the
    all-ages total is hidden: a rate of a published count gives back only its base."""
    values = [[20, None, 30, 12], [25, 33, 40, 11], [18, 33, 30, 13], [30, 22, 27, 0]]
    population = {"Under 12": 151_000, "12-14": 39_500, "15-17": 41_200, "Unknown age": None, ALL_AGES: 231_700}
    d = age_package("ages", values=values)
    r = d["resources"][0]
    r["schema"]["fields"].extend([derived("rate", "rate", ["children"], unit="per 100,000 children"),
                                  note("rate_note")])
    for row in r["_rows"]:
        if row["quarter"] == QUARTERS[0] and row["age_band"] == ALL_AGES:
            row["children"] = None
        base = population[row["age_band"]]
        row["rate"] = None if row["children"] is None or base is None else round(1e5 * row["children"] / base, 1)
        if base is None and row["children"] is not None:
            row["rate_note"] = "N"
    write(root, d)


def safe_declared_change_after_revision(root):
    """A release with a change column, then a correction revising a quarter (R) and its changes."""
    fields = [quarter(), count("children"), _linear("change", "change")]
    old = package("change", [resource("change", fields, _change_rows([20, None, 30, 25], ["N", None, None, -5]))])
    archive(root, old)
    rows = _change_rows([20, None, 30, 27], ["N", None, None, -3])
    rows[3]["children_note"] = "R"
    write(root, dict(package("change", [resource("change", fields, rows)]), version="1.0.1"))


SAFE = [safe_baseline, safe_two_populations_same_measure_name, safe_region_station_hierarchy,
        safe_new_breakdown_after_release, safe_cross_package_linked, safe_percentage_published_parts,
        safe_numbers_in_text, safe_numbers_beside_count_words, safe_quantity_of_things, safe_vega_lite_without_data,
        safe_vega_lite_layout_numbers, safe_release_then_new_quarter, safe_annual_and_quarterly_totals,
        safe_two_datasets_coincidence_once, safe_new_dataset_agreeing_in_part, safe_declared_change_column,
        safe_declared_ytd_column,
        safe_declared_change_by_age, safe_percent_of_published_total, safe_declared_change_after_revision,
        safe_share_without_total_level, safe_rate_per_population_beside_a_hidden_total]
