"""One value toolkit: dates, names, ids, agencies, countries and IRIs, for every importer.

Forms, sheets, `migrmeta new`, the DDI and DCAT importers and `migrmeta query --param` read
values through these modules, so a value is accepted, typed and refused alike everywhere:

- `errors`     BadValue: the message (quoting the value) and the answer probably meant
- `text`       fold (the matching key), slug (ids), language-tagged text
- `dates`      years, months, days and periods -> xsd:gYear / gYearMonth / date
- `numbers`    whole numbers (12500, 12,500, 12 500) -> xsd:integer; 12,5 and 12.500 refused
- `periods`    a survey's time frame as told: a missing end is ongoing only when the status says so
- `names`      Names: codes and labels -> things, and the one "did you mean"
- `concepts`   Concepts: SKOS concepts by code or label in any language
- `countries`  Countries: codes and names (with country_converter) -> EU country IRIs; M49
- `agencies`   Agencies: known agencies by id, acronym or name; new ones and near-duplicates
- `iris`       absolute IRIs in RFC 3987 syntax; DOIs in their written forms

This package sits above `migrmeta.load` and below validation, merging, formats and querying:
it imports nothing from them. Importing it is cheap (country_converter's table is read only
when a country name needs it).
"""

from __future__ import annotations

from migrmeta.values.errors import BadValue

__all__ = ["BadValue"]
