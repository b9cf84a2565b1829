"""A count's `tally:denominator` names a population table the build can divide by (issue 11).

The build turns a count that names a denominator into rates per 100,000 (privacy/derived_figures.py):
each year total divided by the denominator of the same year and levels. The named dataset
and measure must be on the site, be a count by year, and share every dimension the count
breaks down by, or have it at a total level, or the rates would divide by the wrong people.
"""

from __future__ import annotations

from tally.privacy.checks.base import SiteAudit
from tally.privacy.derived_figures import denominator_of, identity


class DenominatorTable(SiteAudit):
    type = "denominator"
    title = "Denominator the rates cannot divide by"
    description = ("A count's `tally:denominator` names a dataset of the site and a count in it, by year, whose "
                   "dimensions take the same code lists as the count's.")
    hint = ('write `"tally:denominator": {"dataset": "child-population", "measure": "children"}`, naming a dataset '
            "with a year dimension whose other dimensions use the count's code lists")

    def audit_site(self, datasets, context):
        by_slug = {d.slug: d for d in datasets}
        for dataset in datasets:
            for resource in dataset.tabular_resources:
                for f in resource.fields:
                    if not f.is_count or f.get("tally:denominator") is None:
                        continue
                    found = denominator_of(f, by_slug)
                    if found is None:
                        yield self.problem(dataset, f'resource "{resource.name}": count "{f.name}" names a '
                                                    "denominator that is not a count by year of a dataset on the "
                                                    "site", resource=resource, field=f.name)
                        continue
                    known = {ident for levels, _ in found.values for ident, _ in levels}
                    for d in resource.fields:
                        if d.role != "dimension" or d.is_time or identity(d) in known or d.total:
                            continue
                        yield self.problem(dataset, f'resource "{resource.name}": dimension "{d.name}" has no '
                                                    f'match in the denominator "{found.dataset}" and no total '
                                                    "level, so no rate could say whom it divides by",
                                           resource=resource, field=d.name)
