"""/methodology/rules/: the rules reference on the site, generated from the check classes."""

import re

import pytest

from tally.privacy import checks
from tally.site.build import build_site, load_settings
from tally.site.rules_page import rules_html

from support import REPO, write_package


def test_every_rule_has_a_section_and_text_is_escaped():
    html = str(rules_html())
    for rule in checks.ROW_CHECKS + checks.AUDITS:
        assert f'<h2 id="{rule.type}">' in html and f'href="#{rule.type}"' in html
    assert "<code>tally:kind: count</code>" in html  # `code` spans become <code>
    assert "<script" not in html


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
    methodology = (site / "methodology" / "index.html").read_text()
    assert re.search(r'href="/methodology/rules/"', methodology)
