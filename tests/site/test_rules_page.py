"""/methodology/rules/: the rules reference on the site, generated from the check classes."""

import re

import pytest

from tally.privacy import checks
from tally.site.build import build_site, load_settings
from tally.site.rules_page import rule_sections

from support import REPO, write_package


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("rules")
    write_package(root / "datasets" / "minimal")
    settings = load_settings(REPO / "pelicanconf.py", TALLY_DATASETS_PATH=str(root / "datasets"),
                             TALLY_CACHE_PATH=str(root / "cache"))
    return build_site(settings, root / "output").output


def test_the_site_has_the_rules_page_and_the_methodology_links_to_it(site):
    page = (site / "methodology" / "rules" / "index.html").read_text()
    assert "<h1>Validation rules</h1>" in page and 'id="small-cell"' in page
    rules = checks.ROW_CHECKS + checks.AUDITS
    assert rules and len(rule_sections()) == len(rules)
    for rule in rules:
        assert f'<h2 id="{rule.type}">' in page and f'href="#{rule.type}"' in page
    assert "<code>tally:kind: count</code>" in page  # `code` spans become <code>
    assert "<script" not in page.split("<main", 1)[1].split("</main>", 1)[0]
    methodology = (site / "methodology" / "index.html").read_text()
    assert re.search(r'href="/methodology/rules/"', methodology)
