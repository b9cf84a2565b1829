"""The glossary page and the links to it from the first use of each term (issue 11)."""

import re

from tally.site.glossary import TERMS, link_terms


def test_each_term_is_linked_once_per_page_at_its_first_use():
    seen: set[str] = set()
    first = link_terms("<p>Figures on CSEC, suppressed when small.</p>", seen)
    second = link_terms("<p>More CSEC figures; some are suppressed.</p>", seen)
    assert str(first) == ('<p>Figures on <a class="term" href="/glossary/#csec">CSEC</a>, '
                          '<a class="term" href="/glossary/#suppressed">suppressed</a> when small.</p>')
    assert "<a" not in str(second)


def test_terms_inside_links_code_and_headings_are_left_alone():
    html = '<h3>Suppressed cells</h3><p><a href="/privacy/">suppressed</a> <code>suppressed</code> then suppressed.</p>'
    linked = str(link_terms(html, set(), "https://data.example.gov"))
    assert linked.count('class="term"') == 1
    assert linked.endswith('then <a class="term" href="https://data.example.gov/glossary/#suppressed">suppressed</a>.</p>')


def test_the_longer_term_wins_and_links_never_nest():
    linked = str(link_terms("<p>Complementary suppression hides more.</p>", set()))
    assert linked == ('<p><a class="term" href="/glossary/#complementary-suppression">Complementary suppression</a>'
                      " hides more.</p>")


def test_glossary_page_has_every_term_and_dataset_pages_link_to_it(built_site):
    page = (built_site / "glossary" / "index.html").read_text()
    for term in TERMS:
        assert f'id="{term.slug}"' in page, term.slug
    dataset = (built_site / "datasets" / "first-responder-identifications" / "index.html").read_text()
    assert dataset.count('href="/glossary/#first-responder-protocol"') == 1
    targets = set(re.findall(r'href="/glossary/#([a-z-]+)"', dataset))
    assert targets <= {t.slug for t in TERMS}
    methodology = (built_site / "methodology" / "index.html").read_text()
    assert 'class="term"' in methodology  # Markdown pages link their terms too
    home = (built_site / "index.html").read_text()
    assert 'class="term"' not in home  # lists of datasets stay plain


def test_more_on_this_topic_lists_datasets_of_the_same_topic(built_site):
    arrests = (built_site / "datasets" / "trafficking-arrests" / "index.html").read_text()
    related = arrests.split('id="related"')[1].split("</section>")[0]
    assert 'href="/datasets/trafficking-operations/"' in related  # both Enforcement
    assert 'href="/datasets/trafficking-arrests/"' not in related
