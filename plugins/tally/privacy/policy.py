"""The disclosure Policy: the one place a dataset's threshold, width, precision and zeros rule are worked out.

Every output that prints, draws or writes a figure (pages, charts, downloads, the
dictionary, `diff`, `intake` and `suppress` messages) asks a Policy whether it
may, instead of reading `tally:disclosure` or a setting itself (issue 9).
"""

from __future__ import annotations

from dataclasses import dataclass

from tally.core.settings import DEFAULTS, PERIOD_PRECISIONS

DISCLOSURE_KEYS = ("threshold", "periodPrecision", "zerosSuppressed")


@dataclass(frozen=True)
class Policy:
    """What may be published of one dataset's counts."""

    threshold: int  # smallest count that may be published
    protection_width: int  # narrowest range the interval audit lets a small hidden cell be pinned to
    period_precision: str  # finest period the dataset may publish
    zeros_suppressed: bool = False  # the source hides zeros too, so a hidden cell may be 0

    @classmethod
    def from_rules(cls, rules, settings: dict | None = None) -> Policy:
        """The Policy of a dataset whose `tally:disclosure` object is `rules`, under the site `settings`.

        A dataset may raise the threshold and coarsen the period, never the reverse: a weaker
        value is ignored here and reported by the threshold-floor rule.
        """
        settings = {**DEFAULTS, **(settings or {})}
        rules = rules if isinstance(rules, dict) else {}
        threshold = settings["TALLY_THRESHOLD"]
        own = rules.get("threshold")
        if isinstance(own, int) and not isinstance(own, bool) and own > threshold:
            threshold = own
        precision = settings["TALLY_PERIOD_PRECISION"]
        own_precision = rules.get("periodPrecision")
        if own_precision in PERIOD_PRECISIONS and PERIOD_PRECISIONS.index(own_precision) < PERIOD_PRECISIONS.index(precision):
            precision = own_precision
        # The small range 1..threshold-1 is threshold-2 wide: a narrower width would let the
        # published figures say more about a small cell than "it was suppressed".
        width = max(settings["TALLY_PROTECTION_WIDTH"], threshold - 2)
        return cls(threshold, width, precision, rules.get("zerosSuppressed") is True)

    @classmethod
    def of(cls, dataset, settings: dict | None = None) -> Policy:
        """The Policy of a loaded Dataset."""
        return cls.from_rules(dataset.disclosure, settings)

    @property
    def hidden_minimum(self) -> int:
        """What the public may assume about a hidden cell: at least 1, since zeros are published, else 0."""
        return 0 if self.zeros_suppressed else 1

    @property
    def small_range(self) -> range:
        """The counts that are never published: 1 to threshold - 1."""
        return range(1, self.threshold)

    def is_small(self, value) -> bool:
        """True for a count that may not be published (1 to threshold - 1); text is read as a number."""
        try:
            number = float(str(value).replace(",", "").strip())
        except (TypeError, ValueError):
            return False
        return 0 < number < self.threshold

    def may_show(self, value) -> bool:
        """True unless `value` is a count that may not be published."""
        return not self.is_small(value)

    @property
    def hidden_text(self) -> str:
        """How a count that may not be shown is written in staff-facing text, never the count itself."""
        return f"fewer than {self.threshold} (not publishable)"
