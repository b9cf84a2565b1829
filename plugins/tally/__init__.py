"""Tally: Frictionless data packages of de-identified counts into a static Pelican site.

Everything but `generator.py` and `register()` works without Pelican: load,
validate, chart and page modules are plain Python that return data.
"""

__version__ = "0.1.0"


def register():
    """Pelican entry point: add Tally's generator."""
    from pelican import signals

    signals.get_generators.connect(get_generators)


def get_generators(pelican):
    """Answer Pelican's get_generators signal (module-level: blinker holds receivers weakly)."""
    from .generator import TallyGenerator

    return TallyGenerator
