"""What the staff commands say about a dimension's shared code list (issue 10).

`template` offers a dimension's levels (its code list's when it lists none) and
says which list they come from and which level is the sum of which; `intake` refuses a level outside the code list (or
one the list has but the dataset does not use) with a message that names the
list and its file, so staff know the fix is a pull request to `codelists/`,
not a new spelling. No message repeats the cell's text (messages.py).
"""

from __future__ import annotations

from tally.core.codelists import codelist_of
from tally.staff import messages
from tally.staff.aliases import normalized


def offered(f) -> list[str]:
    """The levels a template offers for dimension `f`: its own (a subset of its code list, rule `codelist`),
    or its code list's when it lists none."""
    own = [str(v) for v in f.levels]
    code_list = codelist_of(f)
    return own if own or code_list is None else list(code_list.levels)


def described(f) -> str:
    """'from the shared code list "Age band" (codelists/age-band.json); All ages = Under 12 + ...', or ''."""
    code_list = codelist_of(f)
    if code_list is None:
        return ""
    used = set(offered(f))
    sums = [f"{level} = {' + '.join(parts)}" for level, parts in
            ((level, code_list.expand(level, used)) for level in code_list.parts if level in used) if parts]
    return (f'from the shared code list "{code_list.title}" (codelists/{code_list.name}.json)'
            + (f"; {'; '.join(sums)}" if sums else ""))


def refusal(f, text) -> str:
    """Why intake cannot take `text` as a level of `f`: the rule and the fix, without the text."""
    categories = "is not one of the categories " + messages.levels(offered(f))
    code_list = codelist_of(f)
    if code_list is None:
        return categories
    where = f'the shared code list "{code_list.name}" (codelists/{code_list.name}.json)'
    if normalized(text) in {normalized(v) for v in code_list.levels}:
        return (f"is a level of {where} that this dataset does not use; use one of the categories "
                f"{messages.levels(offered(f))}, or add the level to the dataset's schema first")
    return (f"{categories}, the levels of {where} this dataset uses; a new level is added to the code list "
            "first, by pull request")
