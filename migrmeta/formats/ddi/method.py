"""DDI coverage, time, sampling and access -> the draft, reading free text as concepts.

Answers items 3 (countries), 4 (period), 6 (sample), 7 (sampling unit), 8 (design), 9
(population) and 14 (access conditions and level). Concepts coded in DDI
(`<sampProc><concept vocabURI=...>`) are taken as they are, with no guessing, which is how
`migrmeta export ddi` writes them. Otherwise a concept is guessed from the text (by label or
keyword rules) and noted for the curator to check; the text of sampling procedure, analysis
unit and universe is kept as well, and text read as no concept goes to the loss report.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Iterable

from lxml import etree
from rdflib import Literal, URIRef

from migrmeta.formats.ddi.study import Study
from migrmeta.formats.ddi.xml import DESIGN_NOTE, local_name, text_of
from migrmeta.formats.harmonize import (
    ACCESS_RULES,
    DESIGN_RULES,
    SAMPLE_RULES,
    UNIT_RULES,
    add_period,
    is_census,
    stable_bnode,
)
from migrmeta.namespaces import DCT, DISCO, MM, RDF, RDFS, SAMPLE_TYPE, SKOS
from migrmeta.rdf.curie import curie
from migrmeta.values.countries import countries
from migrmeta.values.dates import earliest, ends_before, latest, parse_date, parse_period
from migrmeta.values.errors import BadValue
from migrmeta.values.numbers import parse_integer
from migrmeta.values.text import shortened


def _country_name(country: URIRef) -> str:
    found = countries().get(str(country))
    return f"{found.label('en')} ({str(country).rsplit('/', 1)[-1]})" if found is not None else str(country)


def coverage(study: Study) -> None:
    for element in study.find("stdyDscr/stdyInfo/sumDscr/nation"):
        country, problem = None, None
        read: dict[str, URIRef] = {}
        for written in dict.fromkeys(w for w in ((element.get("abbr") or "").strip(), text_of(element)) if w):
            try:  # the code first (abbr="eth"), else the name
                read[written] = countries().resolve(written)
                country = country or read[written]
            except BadValue as exc:
                problem = str(exc)  # the name's message when there is a name
        if len(set(read.values())) > 1:  # abbr="SA" for South Africa: Saudi Arabia's code; neither is guessed
            said = " but ".join(f"'{w}' is {_country_name(c)}" for w, c in read.items())
            study.ledger.why[element] = (f"the code and the name disagree: {said}; add the dct:spatial meant", 3)
            continue
        if country is not None:
            study.add(DCT.spatial, country)
            study.ledger.use(element, "abbr")
        elif problem:
            study.ledger.why[element] = (f"{problem} (ontology/countries.ttl): add dct:spatial", 3)
    concepts(
        study,
        "stdyDscr/stdyInfo/sumDscr/anlyUnit",
        "sampling-unit",
        MM.samplingUnit,
        UNIT_RULES,
        7,
        keep=(DISCO.analysisUnit, DISCO.AnalysisUnit, SKOS.prefLabel),
    )
    concepts(
        study,
        "stdyDscr/stdyInfo/sumDscr/universe",
        "population",
        MM.populationCovered,
        None,
        9,
        keep=(DISCO.universe, DISCO.Universe, SKOS.definition),
    )
    for element in study.find("stdyDscr/stdyInfo/sumDscr/dataKind"):
        value = study.text(element)
        if value is None:
            continue
        node = stable_bnode(study.survey, "kindOfData", value, value.language)
        study.add(DISCO.kindOfData, node)
        study.graph.add((node, RDFS.label, value))
        study.ledger.use(element)
    concepts(
        study,
        "stdyDscr/method/dataColl/timeMeth",
        "survey-design",
        MM.surveyDesign,
        DESIGN_RULES,
        8,
        keep=None,
    )
    design_notes(study)


def design_notes(study: Study) -> None:
    """Dedicated survey or module, as the writer puts it: a method note of subject "survey
    design", the concept's IRI as its type (else its label); other notes are left to the
    loss report."""
    for element in study.find("stdyDscr/method/notes"):
        if (element.get("subject") or "").strip().casefold() != DESIGN_NOTE:
            continue
        concept = study.terms.by_iri((element.get("type") or "").strip(), "survey-design")
        value = study.text(element)
        if concept is None and value is not None:
            concept = study.terms.by_label(str(value), "survey-design")
        if concept is None:
            study.ledger.why[element] = ("no survey-design concept recognised in it: add mm:surveyDesign", 8)
            continue
        study.add(MM.surveyDesign, concept)
        study.ledger.use(element, "type", "subject")


def concepts(
    study: Study,
    path: str,
    scheme: str,
    predicate: URIRef,
    rules: object,
    item: int,
    keep: tuple[URIRef, URIRef, URIRef] | None,
) -> None:
    """Coded concepts as given; else labels or keyword rules on the text, with a note.

    `keep` = (property, class, label property) of the node keeping the text, if any.
    """
    elements = study.find(path)
    coded = {e: study.coded(e, scheme) for e in elements}
    explicit = any(coded.values())
    for element in elements:
        if (element.get("clusion") or "").strip().upper() == "E":
            if study.text(element) is not None:  # who is left out is no population covered
                study.ledger.why[element] = (
                    f"an excluded {local_name(element)} (clusion=\"E\"): who the survey leaves out, "
                    "not who it covers; say it in the description", item)
            continue
        if coded[element]:
            for concept in coded[element]:
                study.add(predicate, concept)
            study.ledger.use(element, "clusion")
            continue
        value = study.text(element)
        if value is None:
            continue
        guessed: list[URIRef] = []
        if not explicit:
            exact = study.terms.by_label(str(value), scheme)
            guessed = (
                [exact]
                if exact
                else (
                    study.terms.by_rules(str(value), scheme, rules)  # type: ignore[arg-type]
                    if rules
                    else study.terms.labels_in(str(value), scheme)
                )
            )
        for concept in guessed:
            study.add(predicate, concept)
        if guessed:
            labels = ", ".join(study.terms.label(c) for c in guessed)
            study.report.note(f"{local_name(element)} '{_short(value)}' read as {labels}: check", item)
        if keep is not None:
            node = stable_bnode(study.survey, keep[0], value, value.language)
            study.add(keep[0], node)
            study.graph.add((node, RDF.type, keep[1]))
            study.graph.add((node, keep[2], value))
            study.ledger.use(element, "clusion")
        elif guessed:
            study.ledger.use(element, "clusion")
        else:
            study.ledger.why[element] = (
                f"no {scheme} concept recognised in it: add {curie(predicate)}",
                item,
            )


def period(study: Study) -> None:
    """dct:temporal from the collection dates, else from the time period covered."""
    chosen: list[etree._Element] = []
    for kind in ("collDate", "timePrd"):
        elements = study.find(f"stdyDscr/stdyInfo/sumDscr/{kind}")
        if chosen:
            for element in elements:
                study.ledger.why[element] = (
                    "dct:temporal holds the collection dates; the period the data cover is not kept",
                    4,
                )
            continue
        starts, ends, read, refused = dates(study, elements)
        start, end = earliest(starts), latest(ends)
        if start is None and not refused and end is not None:
            # an end alone: the survey ended then, and started no later (a guess, said as one)
            start = earliest(ends)
            study.report.note(f"{kind} gives no start: the time frame is taken to start on its end, {start}: check", 4)
        if start is None:  # a start refused is not made up from the end: the next kind, else item 4 to fill in
            for element in read:
                study.ledger.why[element] = (f"an end without a start is not a time frame: correct the start {kind}", 4)
            continue
        if end is not None and ends_before(start, end):  # the draft would break item 4: said here, not kept
            for element in read:
                study.ledger.why[element] = (f"the {kind} period ends ({end}) before it starts ({start}): correct "
                                             "the dates", 4)
            continue
        add_period(study.graph, study.survey, start, end)
        for element in read:
            study.ledger.use(element, "date", "event")
        chosen = elements


def dates(study: Study, elements: Iterable[etree._Element]
          ) -> tuple[list[Literal], list[Literal], list[etree._Element], bool]:
    """@date (a date), else the text (a date or a period such as 2008-2010), read by the
    value toolkit; a value it refuses is listed in the loss report with its message. The
    starts, the ends, the elements read, and whether a start (an element not of event "end")
    was refused."""
    starts: list[Literal] = []
    ends: list[Literal] = []
    read: list[etree._Element] = []
    refused_start = False
    for element in elements:
        event = (element.get("event") or "").lower()
        text = text_of(element)
        attribute = (element.get("date") or "").strip()
        if not attribute and not text:
            continue
        try:
            start, end = _period_of(attribute, text)
        except BadValue as refused:
            study.ledger.why[element] = (str(refused), 4)
            refused_start = refused_start or event != "end"
            continue
        if end is not None:
            starts.append(start)
            ends.append(end)
        else:
            if event != "end":
                starts.append(start)
            if event != "start":
                ends.append(start)
        read.append(element)
    return starts, ends, read, refused_start


def _period_of(attribute: str, text: str) -> tuple[Literal, Literal | None]:
    """@date, else the text; @date's message when neither is a date."""
    if not attribute:
        return parse_period(text)
    try:
        return parse_date(attribute), None
    except BadValue:
        if text:
            with contextlib.suppress(BadValue):
                return parse_period(text)
        raise


def sampling(study: Study) -> None:
    """sampProc -> sample types (coded, else read from its words, noted); sampleFrame -> mm:sampleFrame.

    The words of sampProc describe how the sample was drawn, not what from: they are read
    as sample types and listed in the loss report, never written as the sampling frame.
    """
    elements = study.find("stdyDscr/method/dataColl/sampProc")
    coded = {e: study.coded(e, "sample-type") for e in elements}
    explicit = any(coded.values())
    for element in elements:
        if coded[element]:
            for concept in coded[element]:
                study.add(MM.sampleType, concept)
            study.ledger.use(element)
            continue
        value = study.text(element)
        if value is None:
            continue
        guessed = [] if explicit else study.terms.by_rules(str(value), "sample-type", SAMPLE_RULES)
        for concept in guessed:
            study.add(MM.sampleType, concept)
        if guessed:
            labels = ", ".join(study.terms.label(c) for c in guessed)
            study.report.note(f"sample type read from sampProc by keywords as {labels}: check", 6)
        study.ledger.why[element] = (
            "the sampling procedure in words: no property holds it (mm:sampleType was read from it"
            + (", check it" if guessed else "") + "); a sampling frame it names belongs in mm:sampleFrame", 6)
    frames: dict[str | None, list[str]] = defaultdict(list)
    for element in study.find("stdyDscr/method/dataColl/sampleFrame"):
        for part in [*study.find("sampleFrameName", element), *study.find("txt", element)]:
            value = study.text(part)
            if value is not None and str(value) not in frames[value.language]:
                frames[value.language].append(str(value))
                study.ledger.use(part)
        study.ledger.use(element)
    for lang, parts in frames.items():
        study.add(MM.sampleFrame, Literal("\n\n".join(parts), lang=lang))
    if not explicit and not elements:
        for element in study.find("stdyDscr/stdyInfo/sumDscr/dataKind"):
            if is_census(text_of(element)):
                study.add(MM.sampleType, SAMPLE_TYPE["complete-enumeration"])
                study.report.note("sample type 'complete enumeration' read from dataKind: check", 6)
    for element in study.find("stdyDscr/method/dataColl/targetSampleSize/sampleSize"):
        with contextlib.suppress(BadValue):  # the one number parser: 12,500 is read, 12,5 left as lost
            study.add(MM.sampleSize, parse_integer(text_of(element), 1))
            study.ledger.use(element)


def access(study: Study) -> None:
    """Use statements -> dct:rights; access levels a statement names, or from wording that is
    clear. A statement that names no level is kept whole in dct:rights, in the codebook's order
    (availability status, special permissions, restrictions, conditions): the curator checks a
    level read from its wording against it, and "not open access" is no level at all."""
    rights: dict[str | None, list[str]] = defaultdict(list)
    stated: set[URIRef] = set()  # a level the codebook names (avlStatus "Unknown", "Public use")
    guessed: dict[URIRef, str] = {}  # a level read from wording (ACCESS_RULES), with where
    for path in (
        "setAvail/avlStatus",
        "useStmt/specPerm",
        "useStmt/restrctn",
        "useStmt/conditions",
    ):
        for element in study.find(f"stdyDscr/dataAccs/{path}"):
            text = text_of(element)
            found = study.terms.by_label(text, "access-level") if text else None
            if found:
                stated.add(found)
                study.ledger.use(element)
                continue
            value = study.text(element)
            if value is not None:  # its words are kept, once (conditions repeating restrctn, as archives do)
                if str(value) not in rights[value.language]:
                    rights[value.language].append(str(value))
                study.ledger.use(element)
            for level in study.terms.by_rules(text, "access-level", ACCESS_RULES, denied=True):
                guessed.setdefault(level, local_name(element))
    for lang, parts in rights.items():
        if parts:
            study.add(DCT.rights, Literal("\n\n".join(parts), lang=lang))
    # a level the codebook names wins over one read from its wording, which is only a guess: both
    # gave a draft that breaks the rules ('unknown' and 'public-use' at once, a reviewer's find)
    for level, where in sorted(guessed.items()):
        if level in stated:
            continue
        label = study.terms.label(level)
        if stated:
            named = ", ".join(study.terms.label(c) for c in sorted(stated))
            study.report.note(f"access level {label} read from {where}, not kept: the codebook names {named}; "
                              "check", 14)
        else:
            study.report.note(f"access level read from {where} as {label}: check", 14)
    for level in sorted(stated or guessed):
        study.add(MM.accessLevel, level)


def _short(value: object, length: int = 60) -> str:
    return shortened(str(value), length)
