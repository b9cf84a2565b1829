"""vega-lite-spec: a raw Vega-Lite view neither fetches, links nor brings its own data (issue 14, problem 3)."""

import pytest

from rule_support import messages, run
from support import minimal_descriptor

GOOD = {"mark": "bar", "encoding": {"x": {"field": "quarter", "type": "ordinal"},
                                    "y": {"field": "children", "type": "quantitative"}},
        "title": "Data: identifications by quarter"}


def raw_view(spec):
    descriptor = minimal_descriptor()
    descriptor["views"] = [{"name": "raw", "title": "Raw", "resources": ["identifications"],
                            "specType": "vega-lite", "spec": spec}]
    return descriptor


@pytest.mark.parametrize("spec, why", [
    ({**GOOD, "mark": "image", "encoding": {"url": {"value": "https://tracker.example/p.png"}}}, "image mark"),
    ({**GOOD, "mark": {"type": "image"}}, "image mark"),
    ({"layer": [{**GOOD, "mark": "image"}]}, "image mark"),
    ({**GOOD, "data": {"url": "https://tracker.example/rows.csv"}}, '"data" may only be left out'),
    ({**GOOD, "encoding": {**GOOD["encoding"], "href": {"value": "javascript:alert(1)"}}}, "href is not allowed"),
    ({**GOOD, "datasets": {"x": []}}, '"datasets" is not allowed'),
    ({**GOOD, "usermeta": {"embedOptions": {"loader": {}}}}, '"usermeta" is not allowed'),
    ({**GOOD, "transform": [{"lookup": "q", "from": {"data": {"url": "x.csv"}, "key": "q"}}]}, "data is not allowed"),
    ({**GOOD, "background": "url(https://tracker.example/)"}, None),
    ({**GOOD, "title": {"text": "x", "href": "https://evil.example/"}}, "href is not allowed"),
    ({**GOOD, "config": {"background": "https://tracker.example/p.png"}}, "is an address"),
])
def test_a_spec_that_fetches_or_links_is_refused(tmp_path, spec, why):
    found = messages(run(tmp_path, descriptor=raw_view(spec)), "vega-lite-spec")
    if why is None:  # a colour that is not one is Vega's own error, not a request
        assert found == []
        return
    assert found and why in " ".join(found), found


def test_the_fixed_twin(tmp_path):
    assert run(tmp_path, descriptor=raw_view(GOOD)).valid
