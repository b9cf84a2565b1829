"""Every built-in rule, in the order the validator runs them.

Row checks are frictionless `Check` classes (run in frictionless's single pass
over each table); audits are `Audit` classes run once per loaded dataset.
Add a rule by adding its module here; docs/rules.md and the tests read this list.
"""

from .text_encoding import TextEncoding
from .view_fields import ViewFields

ROW_CHECKS: list = []
AUDITS: list = [TextEncoding, ViewFields]
