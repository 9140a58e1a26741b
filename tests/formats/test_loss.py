"""The loss report of an import calls an item not answered only when the reports would.

`report inventory` and `report quality` count an item answered by any field of the ontology's
`mm:answeredBy` (validation/items.answered_items). The loss report also says which field the
shapes ask for is missing; where another field answers the item, it says "answered in part".
"""

from __future__ import annotations

import json

from paths import DATA, REPO
from rdflib import Literal, URIRef

from migrmeta.formats.dcat.reader import import_dcat
from migrmeta.formats.ddi.reader import read_ddi
from migrmeta.formats.harmonize import Draft
from migrmeta.formats.loss import LossReport, items_to_complete, render_json, render_text
from migrmeta.load.reference import Reference
from migrmeta.namespaces import DCAT, DCT, MM
from migrmeta.validation.items import answered_items
from migrmeta.values.agencies import Agencies

AGENCIES = Agencies.from_file(REPO / "records" / "agencies.ttl")


def _drafts() -> list[Draft]:
    drafts = []
    for name in ("ukds-7481.xml", "cps_00157.xml", "gesis-2800.xml", "oai-listrecords-made.xml"):
        drafts += read_ddi(DATA / "ddi" / name, agencies=AGENCIES)
    for name in ("dataset_gob_es.ttl", "catalog_pod.jsonld", "mmp-portal.ttl", "dataset_gov_de.rdf"):
        drafts += import_dcat(str(DATA / "dcat" / name), agencies=AGENCIES).drafts
    return drafts


def test_items_not_answered_are_those_the_reports_count_unanswered(reference: Reference) -> None:
    drafts = _drafts()
    assert len(drafts) > 5
    in_part = set()
    for draft in drafts:
        answered = answered_items(draft.graph, draft.survey, reference)
        unanswered = {u.item for u in draft.report.unanswered}
        assert unanswered == set(range(1, 15)) - answered, draft.survey
        assert {u.item for u in draft.report.answered_in_part} <= answered, draft.survey
        in_part |= {u.item for u in draft.report.answered_in_part}
    assert {5, 14} <= in_part  # a publisher and no creator; conditions of access and no access level


def test_an_item_answered_without_the_field_the_shapes_ask_for_is_answered_in_part(reference: Reference) -> None:
    (draft,) = import_dcat(str(DATA / "dcat" / "dataset_gob_es.ttl"), agencies=AGENCIES).drafts
    survey = draft.survey
    graph = draft.graph
    graph.remove((survey, MM.accessLevel, None))
    graph.add((survey, DCT.rights, Literal("Open data, no registration.", lang="en")))
    graph.add((survey, DCAT.landingPage, URIRef("https://example.org/survey")))
    report = LossReport(source="x", conversion="test", to_complete=items_to_complete(graph, survey, reference))
    (access,) = [u for u in report.to_complete if u.item == 14]
    assert access.answered and access.missing == ("mm:accessLevel",)
    assert 14 not in {u.item for u in report.unanswered}
    assert "item 14 (Researcher access): answered in part; add mm:accessLevel [recommended]" in render_text([report])
    document = json.loads(render_json([report]))["reports"][0]
    assert 14 in {u["item"] for u in document["answered_in_part"]}
    assert 14 not in {u["item"] for u in document["unanswered"]}
    graph.remove((survey, DCT.rights, None))
    graph.remove((survey, DCAT.landingPage, None))
    graph.remove((survey, DCT.accessRights, None))
    after = LossReport(source="x", conversion="test", to_complete=items_to_complete(graph, survey, reference))
    assert "item 14 (Researcher access): not answered; add mm:accessLevel [recommended]" in render_text([after])
