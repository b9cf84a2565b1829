"""Tally: Frictionless data packages of de-identified counts into a static Pelican site.

Everything but `site/generator.py` and `register()` works without Pelican: load,
validate, chart and page modules are plain Python that return data.
"""

__version__ = "0.1.0"


def register():
    """Pelican entry point: add Tally's generator."""
    from pelican import signals

    signals.initialized.connect(add_jinja_filters)
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(index_for_search)


def add_jinja_filters(pelican):
    """Answer Pelican's initialized signal: the `glossary` filter links terms in Markdown pages (issue 11)."""
    from tally.site.glossary import glossary_filter

    filters = dict(pelican.settings.get("JINJA_FILTERS") or {})
    filters["glossary"] = glossary_filter(str(pelican.settings.get("SITEURL") or ""))
    pelican.settings["JINJA_FILTERS"] = filters


def index_for_search(pelican):
    """Answer Pelican's finalized signal: build the Pagefind index over the pages just written."""
    from tally.site.search import index_built_site

    index_built_site(pelican)


def get_generators(pelican):
    """Answer Pelican's get_generators signal (module-level: blinker holds receivers weakly)."""
    from tally.site.generator import TallyGenerator

    return TallyGenerator
