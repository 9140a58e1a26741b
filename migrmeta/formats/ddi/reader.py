"""DDI Codebook (1.2.2, 2.5, 2.6; bare or in an OAI-PMH envelope) -> draft survey records.

    drafts = read_ddi("study.xml", agencies=Agencies.from_file(Path("records/agencies.ttl")))
    for draft in drafts:
        print(draft.turtle()); print(render_text([draft.report]))

Elements are matched by local name, so every DDI Codebook namespace (and none) is read
alike. What the questionnaire holds is mapped (docs/harmonization.md has the table); every
other non-empty element is listed in the draft's loss report with its path and count, and
the items the curator must still answer are listed from the shapes. Free text is never
thrown away when it is read as a concept (sampling procedure -> sample type, analysis unit
-> sampling unit, universe -> population): the text is kept and the guess is noted. Concepts
coded in DDI (`<sampProc><concept vocabURI=...>`) are taken as they are, with no guessing,
which is also how `migrmeta export ddi` writes them, so DDI -> migrmeta -> DDI keeps them.
Files that fail their XSD are still read: archives publish many such files.

One module per step, all reached from here: xml.py (the XML, its envelope, text and
languages), study.py (the draft being built), citation.py and method.py (the mapping, by
questionnaire item) and loss.py (what was used, and the loss report).
Imports written `name as name` re-export names that writer.py and others import from here.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Literal

from migrmeta.formats.ddi import citation, method
from migrmeta.formats.ddi.study import Study
from migrmeta.formats.ddi.xml import VERSIONS as VERSIONS
from migrmeta.formats.ddi.xml import XML_LANG as XML_LANG
from migrmeta.formats.ddi.xml import codebooks, is_own_export, pointers, undefined_entities
from migrmeta.formats.ddi.xml import text_of as text_of
from migrmeta.formats.harmonize import IN_SERIES, Draft, new_agency_note, terms_for
from migrmeta.formats.importing import Batch
from migrmeta.formats.loss import items_to_complete
from migrmeta.load import read_bounded
from migrmeta.load.reference import Reference, load_reference
from migrmeta.namespaces import DCAT, DCT, DISCO, MM, RDF, SURVEY
from migrmeta.namespaces import DOI_RESOLVER as DOI_RESOLVER
from migrmeta.values.agencies import Agencies


def read_ddi_file(source: str, *, agencies: Agencies | None = None, lang: str = "en",
                  reference: Reference | None = None) -> Batch:
    """The converter's reader (formats/registry.py): every study of one DDI file -> drafts."""
    return Batch(read_ddi(source, agencies=agencies, lang=lang, reference=reference))


def read_ddi(path: str | Path, **options: object) -> list[Draft]:
    """Read one DDI file; see `import_ddi` for the options."""
    data = read_bounded(path)
    return import_ddi(data, str(path), **options)  # type: ignore[arg-type]


def import_ddi(
    data: bytes,
    source: str,
    *,
    reference: Reference | None = None,
    agencies: Agencies | None = None,
    lang: str = "en",
) -> list[Draft]:
    """DDI XML bytes -> one draft per codeBook (an OAI-PMH response may hold several).

    `lang` is the language of DDI text that declares none (xml:lang). Each study is matched
    against its own copy of `agencies`: the new agencies one study names (with their acronyms)
    never reach the draft of another, so a draft depends only on its own codeBook, whatever
    was imported before it in the same run.
    """
    found = codebooks(data, source)
    reference = reference or load_reference()
    terms = terms_for(reference)
    known = agencies if agencies is not None else Agencies()
    return [_draft(Study(cb, source, terms, known.copy(), reference, lang)) for cb in found]


def _draft(study: Study) -> Draft:
    """Map one codeBook, in the order the loss report's notes are listed."""
    identifier = citation.identifier(study)
    study.survey = SURVEY[identifier]
    study.report.target = str(study.survey)
    for kind in (MM.Survey, DCAT.Dataset, DISCO.Study):
        study.add(RDF.type, kind)
    study.add(DCT.identifier, Literal(identifier))
    citation.dois(study)
    citation.titles(study)
    citation.series(study)
    citation.abstracts(study)
    method.coverage(study)
    method.period(study)
    agents = citation.organisations(study)
    method.sampling(study)
    method.access(study)
    citation.links(study)
    citation.citation_requirement(study)
    if is_own_export(study.cb):  # its docDscr says only that migrmeta wrote the file: nothing of the survey
        for element in study.find("docDscr"):
            study.ledger.use(element)
    used_agencies = study.agencies.describe(study.graph, agents, study.lang)
    for agency in used_agencies:
        study.report.note(new_agency_note(study.agencies, agency), 5)
    study.ledger.collect_lost(study.cb, "codeBook", study.report)
    for path, sentence in pointers(study.cb):
        study.report.lose(path[path.find("codeBook"):], note=f"'{sentence}' points to another element instead of "
                          "saying something: left out of the text")
    for path, entity in undefined_entities(study.cb):
        study.report.lose(path[path.find("codeBook"):], note=f"the entity {entity} is not defined in the file (its DTD "
                          "is not loaded): kept as written in the text; write the character itself")
    study.report.to_complete = items_to_complete(study.graph, study.survey, study.reference)
    header = [
        f"Draft survey record imported from {study.report.source} (DDI Codebook {study.version})",
        "by `migrmeta import ddi`. Complete the questionnaire items listed in the loss report;",
        "new agencies described below belong in records/agencies.ttl.",
    ]
    return Draft(study.survey, identifier, study.graph, study.report, header)


_STUDY_TYPES = (MM.Survey, DCAT.Dataset, DISCO.Study)
_SERIES_TYPES = (MM.SurveySeries, DCAT.DatasetSeries, DISCO.StudyGroup)


def link_series(drafts: list[Draft]) -> None:
    """A codebook that other codebooks of the same import name as their series (serStmt/@URI, as
    `export ddi` writes a round's) describes that series: DDI Codebook has no study group, so its
    draft came back a survey, asked for the items of a round (a reviewer's find in the round trip
    of every series). Its draft is made a series, and its items to complete asked again."""
    named = {o for d in drafts for o in d.graph.objects(d.survey, IN_SERIES)}
    for draft in drafts:
        if draft.survey not in named or (draft.survey, RDF.type, MM.SurveySeries) in draft.graph:
            continue
        for kind in _STUDY_TYPES:
            draft.graph.remove((draft.survey, RDF.type, kind))
        for kind in _SERIES_TYPES:
            draft.graph.add((draft.survey, RDF.type, kind))
        draft.report.note("a series: the codebooks of its rounds name it (serStmt), and a codebook has no "
                          "other way to say so", 4)
        draft.report.to_complete = items_to_complete(draft.graph, draft.survey, load_reference())
