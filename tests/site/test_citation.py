"""site/citation.py: a citation names the version and its permanent address, in text and BibTeX."""

from test_pages import totals_dataset

from tally.site.citation import cite


def test_citation_names_the_version_and_its_permanent_address(tmp_path):
    dataset = totals_dataset(tmp_path, title="Arrests & charges_2024", **{"tally:updated": "2024-08-15"})
    citation = cite(dataset, "Example County", "https://data.example.gov/")
    assert citation.url == "https://data.example.gov/datasets/pkg/v1.0.0/"
    assert citation.text == ("Example County. (2024). Arrests & charges_2024 (Version 1.0.0) "
                             "[Data set; illustrative sample data]. https://data.example.gov/datasets/pkg/v1.0.0/")
    assert "title     = {{Arrests \\& charges\\_2024}}" in citation.bibtex
    assert "version   = {1.0.0}" in citation.bibtex
    assert citation.bibtex.startswith("@misc{pkg-v1.0.0,")


def test_citation_credits_the_packages_own_publisher(tmp_path):
    dataset = totals_dataset(tmp_path, contributors=[{"title": "County Probation", "role": "publisher"}])
    assert cite(dataset, "Example County", "https://x.example").text.startswith("County Probation. (n.d.).")
