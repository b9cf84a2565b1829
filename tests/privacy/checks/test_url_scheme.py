"""url-scheme: every link from a package is an http(s) address (issue 14, problem 3)."""

import pytest

from rule_support import found, messages, run
from support import minimal_descriptor


@pytest.mark.parametrize("where, value", [
    ("licenses", "javascript:alert(1)"), ("licenses", "JaVaScRiPt:alert(1)"), ("licenses", " javascript:alert(1)"),
    ("sources", "data:text/html;base64,PHNjcmlwdD4="), ("sources", "file:///etc/passwd"),
    ("sources", "vbscript:msgbox"), ("contributors", "//evil.example/x"), ("sources", "LICENSE.txt"),
    ("licenses", "https:evil"), ("sources", "https://"),
])
def test_an_address_that_is_not_http_is_refused(tmp_path, where, value):
    descriptor = minimal_descriptor()
    descriptor.setdefault(where, [{"title": "x"}])[0]["path"] = value
    report = run(tmp_path, descriptor=descriptor)
    assert found(report, "url-scheme") == [[None, f"{where}[0].path"]]
    assert "\n" not in messages(report, "url-scheme")[0]


def test_the_homepage_and_image_are_checked_too(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["homepage"] = "javascript:alert(1)"
    descriptor["image"] = "data:image/svg+xml,<svg onload=alert(1)>"
    assert [f for _, f in found(run(tmp_path, descriptor=descriptor), "url-scheme")] == ["homepage", "image"]


def test_the_fixed_twin(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["sources"][0]["path"] = "https://example.gov/reports/2024?q=1#table"
    descriptor["contributors"] = [{"title": "Analyst", "path": "http://example.gov/"}]
    assert run(tmp_path, descriptor=descriptor).valid


def test_refused_in_the_open_profile_as_well(tmp_path):
    descriptor = minimal_descriptor()
    descriptor["licenses"][0]["path"] = "javascript:alert(1)"
    assert found(run(tmp_path, descriptor=descriptor, TALLY_PROFILE="open"), "url-scheme")
