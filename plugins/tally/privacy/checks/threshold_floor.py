"""A dataset may raise the disclosure threshold, never lower it (DESIGN.md "Disclosure control" 1).

`tally:disclosure` is also where a dataset narrows its period precision or
declares that its source hides zeros; a misspelt key would silently change
nothing, so unknown keys are refused too.
"""

from __future__ import annotations

from tally.core.settings import PERIOD_PRECISIONS
from tally.privacy.checks.base import Audit
from tally.privacy.policy import DISCLOSURE_KEYS


class ThresholdFloor(Audit):
    type = "threshold-floor"
    title = "Dataset lowers the disclosure threshold"
    description = ("`tally:disclosure.threshold` may raise the site threshold (TALLY_THRESHOLD), never lower it; "
                   "`tally:disclosure` holds only the keys Tally knows, each with a valid value.")
    hint = "remove `tally:disclosure.threshold` or set it to the site threshold or higher"

    def audit(self, dataset):
        props = dataset.get("tally:disclosure")
        if props is None:
            return
        if not isinstance(props, dict):
            yield self.problem(dataset, "`tally:disclosure` must be an object such as {\"threshold\": 11}")
            return
        site = self.settings["TALLY_THRESHOLD"]
        for key in sorted(set(props) - set(DISCLOSURE_KEYS)):
            yield self.problem(dataset, f'`tally:disclosure` has unknown key "{key}"',
                               hint=f"use only {', '.join(DISCLOSURE_KEYS)} (see docs/conventions.md)")
        threshold = props.get("threshold", site)
        if not isinstance(threshold, int) or isinstance(threshold, bool):
            yield self.problem(dataset, f"`tally:disclosure.threshold` must be a whole number, got {threshold!r}")
        elif threshold < site:
            yield self.problem(dataset, f"`tally:disclosure.threshold` is {threshold}, below the site threshold "
                                        f"of {site}; a dataset may only raise it")
        precision = props.get("periodPrecision")
        site_precision = self.settings["TALLY_PERIOD_PRECISION"]
        if precision is not None and precision not in PERIOD_PRECISIONS:
            yield self.problem(dataset, f"`tally:disclosure.periodPrecision` is {precision!r}",
                               hint=f"use one of {', '.join(PERIOD_PRECISIONS)}")
        elif precision is not None and PERIOD_PRECISIONS.index(precision) > PERIOD_PRECISIONS.index(site_precision):
            yield self.problem(dataset, f'`tally:disclosure.periodPrecision` is "{precision}", finer than the '
                                        f'site allows ("{site_precision}"); a dataset may only make it coarser',
                               hint=f'remove it or set it to "{site_precision}" or coarser')
        zeros = props.get("zerosSuppressed")
        if zeros is not None and not isinstance(zeros, bool):
            yield self.problem(dataset, f"`tally:disclosure.zerosSuppressed` must be true or false, got {zeros!r}",
                               hint="write true only for a source that also hides zeros")
