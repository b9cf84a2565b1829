"""chart-size: a chart too large to draw is refused naming its view (issue 14, problem 4)."""

from rule_support import found, messages, run
from support import minimal_descriptor

HEADER = "quarter,age_band,children,children_note\n"
ROWS = "".join(f"{2000 + i // 4}-Q{i % 4 + 1},{band},12,\n" for i in range(12) for band in ("Under 15", "15-17"))


def test_too_many_rows_are_refused(tmp_path):
    report = run(tmp_path, csv=HEADER + ROWS, TALLY_MAX_CHART_ROWS=20)
    assert messages(report, "chart-size") == [
        'view "by-quarter" would draw 24 rows, more than 20 (TALLY_MAX_CHART_ROWS)']


def test_too_many_categories_are_refused_by_field(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["views"][0]["spec"].update({"mark": "bar", "x": "age_band", "color": "quarter"})
    report = run(tmp_path, descriptor=descriptor, csv=HEADER + ROWS, TALLY_MAX_CHART_CATEGORIES=10)
    assert found(report, "chart-size") == [[None, "quarter"]]


def test_dates_along_a_time_axis_are_not_categories(tmp_path):
    assert run(tmp_path, csv=HEADER + ROWS, TALLY_MAX_CHART_CATEGORIES=10).valid


def test_a_filter_brings_a_view_within_the_limit(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["views"][0]["spec"]["filter"] = {"age_band": "Under 15"}
    assert run(tmp_path, descriptor=descriptor, csv=HEADER + ROWS, TALLY_MAX_CHART_ROWS=12).valid


def test_a_raw_vega_lite_view_counts_its_discrete_fields(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["views"] = [{"name": "raw", "resources": ["identifications"], "specType": "vega-lite",
                            "spec": {"mark": "bar", "encoding": {"x": {"field": "quarter", "type": "ordinal"},
                                                                 "y": {"field": "children", "type": "quantitative"}}}}]
    assert found(run(tmp_path, descriptor=descriptor, csv=HEADER + ROWS, TALLY_MAX_CHART_CATEGORIES=10),
                 "chart-size") == [[None, "quarter"]]


def test_the_fixed_twin(tmp_path):
    assert run(tmp_path, csv=HEADER + ROWS).valid
