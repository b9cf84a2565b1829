"""Print docs/rules.md: `python -m tally.privacy.checks > docs/rules.md`."""

from tally.privacy.checks import rules_markdown

print(rules_markdown(), end="")
