"""Print docs/rules.md: `python -m tally.checks > docs/rules.md` (run from plugins/)."""

from . import rules_markdown

print(rules_markdown(), end="")
