"""A chart may only name a resource and fields that exist (a typo would draw an empty chart)."""

from __future__ import annotations

from tally.privacy.checks.base import Audit

MARKS = ("line", "bar", "barh", "stacked")
FIELD_KEYS = ("x", "y", "color", "facet")


class ViewFields(Audit):
    type = "view-field"
    title = "Chart names a missing field"
    description = "Every view names one resource of the package and only fields of that resource."
    hint = "correct the name in the view's spec (see the data dictionary), or remove the view"

    def audit(self, dataset):
        for view in dataset.views:
            resource = dataset.resource(view.resource)
            if resource is None or not resource.tabular:
                yield self.problem(dataset, f'view "{view.name}" names resource "{view.resource}", '
                                   "which is not a table in this package")
                continue
            if view.spec_type == "vega-lite":
                continue  # a raw spec is the author's own; Vega-Lite reports its own errors
            if view.spec_type != "tally":
                # Packages from elsewhere carry chart specs for other tools (Datahub's
                # "plot"); an open-profile build ignores them, a Tally site must not.
                if self.settings["TALLY_PROFILE"] == "sensitive":
                    yield self.problem(dataset, f'view "{view.name}" has specType "{view.spec_type}"',
                                       hint='use specType "tally" or "vega-lite"')
                continue
            if view.spec.get("mark") not in MARKS:
                yield self.problem(dataset, f'view "{view.name}" has mark {view.spec.get("mark")!r}',
                                   hint=f"use one of: {', '.join(MARKS)}")
            for key in FIELD_KEYS:
                name = view.spec.get(key)
                if key in ("x", "y") and not name:
                    yield self.problem(dataset, f'view "{view.name}" has no "{key}" field',
                                       hint=f'name a field as "{key}"')
                elif name and resource.field(name) is None:
                    yield self.problem(dataset, f'view "{view.name}" {key} names field "{name}", '
                                       f'which resource "{resource.name}" does not have',
                                       field=name)
            for name in (view.spec.get("filter") or {}):
                if resource.field(name) is None:
                    yield self.problem(dataset, f'view "{view.name}" filters on field "{name}", '
                                       f'which resource "{resource.name}" does not have',
                                       field=name)
