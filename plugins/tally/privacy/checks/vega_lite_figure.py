"""A raw Vega-Lite view prints or places no small figure typed into its spec (red team, session 4).

Tally inlines a raw view's rows from its audited resource, but the spec's own
numbers pass no table audit: `{"datum": 7}` draws a rule a reader reads off the
count axis, `{"value": 7}` on the text channel, a mark's `text`, a title, an
axis's `values`, a tooltip and a parameter print or place a figure, and so do
`calculate`, `labelExpr` and `expr` expressions. An `impute`, whatever it fills
with (a typed value, a mean, a neighbour), draws a figure where a hidden cell's S
belongs, and is refused outright. Otherwise a whole number from 1 to the
threshold - 1 is refused anywhere in the spec except under a key that sizes, places or styles the
drawing (width, opacity, angle, padding, tick count, scale domain, pixel
`value`s of position and size channels...); a string that is nothing but such a
figure ("7", "(7)", "n = 7") likewise. In an expression that can print, a
small literal is refused, and so is arithmetic between two literals ("100 - 93").
Filter and condition tests only choose published rows and are left alone.
Longer texts (titles, descriptions) are the text-small-number rule's.
"""

from __future__ import annotations

import re

from tally.privacy.checks.base import Audit
from tally.privacy.policy import Policy

# Keys whose numbers size, place or style the drawing, or choose rows; matched as parts of a key
# ("labelFontSize", "tickCount", "cornerRadiusEnd", "domainMax"), so Vega-Lite's many styling keys need no list.
LAYOUT_PART = re.compile(
    r"width|height|size|opacity|padding|angle|offset|radius|limit|length|spacing|count|step|dash|font|lineheight|"
    r"zindex|columns|band|tension|thickness|aspect|separation|miter|extent|domain|range|frame|precision|rotate|"
    r"translate|center|parallel|clip|tilt|distance|ratio|fraction|lobes|coefficient|bins|divide|nice|exponent",
    re.I)
LAYOUT_KEYS = frozenset({
    "x", "y", "x2", "y2", "dx", "dy", "xoffset", "yoffset", "theta", "theta2", "param", "sort", "order", "scale",
    "base", "constant", "sample", "probs", "equal", "lt", "lte", "gt", "gte", "oneof",  # the last: filters choose
})
# Channels whose `value` is in pixels or a style, not on a data scale; `datum` is always on one.
VISUAL_CHANNELS = frozenset({
    "x", "y", "x2", "y2", "xoffset", "yoffset", "size", "opacity", "fillopacity", "strokeopacity",
    "strokewidth", "strokedash", "angle", "radius", "radius2", "theta", "theta2", "order", "color", "fill",
    "stroke", "shape", "zindex",
})
# Expressions whose value can be drawn: a calculated field, a label, an expression reference.
EXPRESSION_KEYS = frozenset({"calculate", "expr", "signal"})
_LITERAL = r"(?<![\w.$\u2010-\u2015-])\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w.]|[\u2010-\u2015-]\d)"
LITERAL = re.compile(_LITERAL)
ARITHMETIC = re.compile(_LITERAL + r"\s*\)*\s*[-+*/%]\s*\(*\s*[-+]?" + _LITERAL)
# substring(datum.label, 0, 4): the numbers after the first argument of a string slice are positions
SLICE = re.compile(r"\b(?:substring|substr|slice|truncate|pad)\s*\(([^(),]*),([^()]*)\)")
# A string that is only a figure: "7", "(7)", "n = 7", "~7", "7*".
BARE = re.compile(r"^\s*(?:[nN]\s*[=:]\s*)?[(\[~\u2248<>]*\s*(\d+)\s*[)\]*]*\s*$")


def figure_paths(spec, policy: Policy, path: str = "spec") -> list[tuple[str, str]]:
    """(JSON path, why) for every small figure `spec` prints or places; never the figure itself."""
    found: list[tuple[str, str]] = []
    _walk(spec, path, None, None, policy, found)
    return found


def _walk(value, path, key, channel, policy, found):
    if isinstance(value, dict):
        if "impute" in value:
            # An impute transform or channel draws a value where a cell is hidden or missing:
            # a mean, a neighbour's figure or a typed one, in the place the S marker belongs.
            found.append((f"{path}.impute", "draws a value where a cell is hidden or missing"))
        for name, item in value.items():
            # every key below encoding.<channel> belongs to that channel (its condition, axis, legend...)
            inner = name.lower() if key == "encoding" else channel
            _walk(item, f"{path}.{name}", name, inner, policy, found)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _walk(item, f"{path}[{index}]", key, channel, policy, found)
    elif key is None or _is_layout(key, channel):
        return
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if _small_whole(value, policy):
            found.append((path, "prints or places a small figure typed into the spec"))
    elif isinstance(value, str):
        if key.lower() in EXPRESSION_KEYS or key.endswith("Expr"):
            why = _expression_problem(value, policy)
            if why:
                found.append((path, why))
        elif (match := BARE.match(value)) and _small_whole(int(match.group(1)), policy):
            found.append((path, "prints a small figure typed into the spec"))


def _is_layout(key: str, channel) -> bool:
    low = key.lower()
    if low in ("filter", "test"):  # a predicate chooses published rows; it prints nothing
        return True
    if low == "value":
        return channel in VISUAL_CHANNELS
    return low in LAYOUT_KEYS or bool(LAYOUT_PART.search(low))


def _small_whole(number, policy: Policy) -> bool:
    return float(number).is_integer() and policy.is_small(number)


def _expression_problem(text: str, policy: Policy) -> str | None:
    text = SLICE.sub(lambda m: f"substring({m.group(1)},{LITERAL.sub('#', m.group(2))})", text)
    if any(_small_whole(float(m.group()), policy) for m in LITERAL.finditer(text)):
        return "an expression that can print writes a small figure"
    if ARITHMETIC.search(text):
        return "an expression that can print works out a figure from typed numbers"
    return None


class VegaLiteFigure(Audit):
    type = "vega-lite-figure"
    title = "Raw Vega-Lite view prints a typed figure"
    description = ("A `vega-lite` view may not type a whole number from 1 to the threshold minus one where the "
                   "chart prints or places it (a datum, a text or tooltip value, a mark's text, a title, axis "
                   "values, a parameter value, a calculate or label expression), nor impute a value where a cell "
                   "is hidden or missing; sizes, widths, opacities, angles, padding, tick counts and scale domains "
                   "are allowed.")
    hint = ("draw figures only from the view's resource (encode a field), where the suppression rules apply; "
            "remove the typed number or move it to a layout key")
    profiles = ("sensitive",)  # a package written elsewhere counts things, not people (docs/conventions.md)

    def audit(self, dataset):
        policy = Policy.of(dataset, self.settings)
        for view in dataset.views:
            if view.spec_type != "vega-lite":
                continue
            for path, why in figure_paths(view.spec, policy):
                yield self.problem(dataset, f'view "{view.name}": {path} {why}')
