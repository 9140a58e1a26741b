"""`migrmeta new` keeps what is typed, goes back, explains, asks item 11's follow-ups and reads yes/no
in the session's language (the statisticians' review: answers lost, no help, item 11, yes/no)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal
from test_interactive import ANSD, RECORDS, SURVEY, interrupt_new, kerala, with_agency

from migrmeta import namespaces as ns
from migrmeta.cli import cli
from migrmeta.formats.forms.answers import Vocabulary, load_catalogue
from migrmeta.formats.forms.interactive import Question, Session
from migrmeta.formats.forms.kept import read_kept
from migrmeta.load import read_input
from migrmeta.load.reference import Reference


@pytest.fixture(scope="module")
def vocab(reference: Reference) -> Vocabulary:
    return Vocabulary(reference)


class Script:
    """Answers typed one by one; the questions asked and the lines said, kept to look at."""

    def __init__(self, answers: list[str]) -> None:
        self.answers: Iterator[str] = iter(answers)
        self.asked: list[Question] = []
        self.said: list[str] = []

    def ask(self, question: Question, again: bool) -> str:
        self.asked.append(question)
        return next(self.answers)

    def session(self, reference: Reference, lang: str = "en") -> Session:
        return Session(reference, self.ask, self.said.append, lang, load_catalogue(RECORDS))

    @property
    def text(self) -> str:
        return "\n".join(self.said)


def _new(args: list[str], answers: list[str]) -> tuple[int, str]:
    done = CliRunner().invoke(cli, ["new", "--catalogue", str(RECORDS), *args], input="\n".join(answers) + "\n")
    return done.exit_code, done.output


# --- 1a, 1d: a description cut short is kept; going on writes where -o said -------------------------


def test_an_agency_cut_short_is_kept_and_resume_writes_where_o_said(vocab: Vocabulary, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out").mkdir()
    answers = with_agency(vocab, ANSD)
    cut = answers.index("national-statistical-office") + 1  # the input ends after the kind of agency
    code, said = _new(["-o", "out/kms.ttl"], answers[:cut])
    assert code == 130, said
    kept_file = tmp_path / "in-kms-2018-new.partial.yaml"
    assert "migrmeta new --resume in-kms-2018-new.partial.yaml -o out/kms.ttl" in said  # the hint keeps -o
    kept = read_kept(kept_file)
    assert (kept.item, kept.agencies, kept.output) == (5, ("ansd",), "out/kms.ttl")
    assert kept.form["conducted_by"] == ["ansd"]
    (agency,) = kept.form["agencies"]
    assert agency == {"id": "ansd", "name": {"en": "National Agency of Statistics and Demography",
                                             "fr": "Agence nationale de la statistique et de la démographie"},
                      "acronym": ["ANSD"], "kind": "national-statistical-office"}

    # resumed without -o: Enter keeps each answer given, the rest of the description is asked
    going_on = ["", "", "", "", "", "Senegal", "https://www.ansd.sn/", "", *answers[answers.index("ANSD") + len(ANSD):]]
    code, said = _new(["--resume", kept_file.name], going_on)
    assert code == 0, said
    assert 'going on with the new agency "ansd"' in said
    assert not (tmp_path / "in-kms-2018-new.ttl").exists()
    graph = read_input(str(tmp_path / "out" / "kms.ttl")).graph
    ansd = ns.AGENCY.ansd
    assert graph.value(SURVEY, ns.DCT.creator) == ansd
    assert graph.value(ansd, ns.DCT.type) == ns.scheme("agency-type")["national-statistical-office"]
    assert graph.value(ansd, ns.MM.basedIn) == ns.COUNTRY.SEN
    assert Literal("Agence nationale de la statistique et de la démographie", lang="fr") in \
        set(graph.objects(ansd, ns.FOAF.name))


def test_ctrl_c_in_a_real_process_while_describing_an_agency(vocab: Vocabulary, tmp_path: Path) -> None:
    answers = with_agency(vocab, ANSD)
    upto = answers.index("[fr] Agence nationale de la statistique et de la démographie") + 1
    code, seen, rest = interrupt_new(tmp_path, ["-o", "kms.ttl"], answers[:upto], lambda seen: (
        "names in other languages" in seen and "acronym" in seen.split("names in other languages")[-1]))
    assert code == 130, seen + rest
    assert "your answers so far are in in-kms-2018-new.partial.yaml" in rest, seen + rest
    kept = read_kept(tmp_path / "in-kms-2018-new.partial.yaml")
    assert kept.form["conducted_by"] == ["ansd"] and kept.output == "kms.ttl"
    assert kept.form["agencies"][0]["name"]["fr"] == "Agence nationale de la statistique et de la démographie"


# --- 1b: the name typed is in the session's language; other names say theirs ------------------------


def test_a_french_session_names_the_agency_in_french_and_keeps_the_english_name(reference: Reference,
                                                                                  vocab: Vocabulary) -> None:
    french = ["ANSD", "oui", "Agence nationale de la statistique et de la démographie",
              "National Agency of Statistics and Demography",  # no language: said, and asked again
              "[en] National Agency of Statistics and Demography", "", "national-statistical-office", "Sénégal",
              "https://www.ansd.sn/", ""]
    script = Script(with_agency(vocab, french))
    result = script.session(reference, "fr").run()
    assert "« National Agency of Statistics and Demography » ne dit pas sa langue" in script.text
    names = set(result.graph.objects(ns.AGENCY.ansd, ns.FOAF.name))
    assert names == {Literal("Agence nationale de la statistique et de la démographie", lang="fr"),
                     Literal("National Agency of Statistics and Demography", lang="en")}


def test_an_english_name_is_asked_for_when_none_is_given(reference: Reference, vocab: Vocabulary) -> None:
    french = ["ANSD", "oui", "Agence nationale de la statistique et de la démographie", "",
              "National Agency of Statistics and Demography",  # the name in English, asked for
              "", "national-statistical-office", "Sénégal", "https://www.ansd.sn/", ""]
    script = Script(with_agency(vocab, french))
    result = script.session(reference, "fr").run()
    assert any(q.label == "nom de l’organisme en anglais" for q in script.asked)
    assert Literal("National Agency of Statistics and Demography", lang="en") in \
        set(result.graph.objects(ns.AGENCY.ansd, ns.FOAF.name))


# --- 1c: an item asked again offers the answers given ----------------------------------------------


def test_the_final_check_offers_the_earlier_answer(reference: Reference, vocab: Vocabulary) -> None:
    answers = kerala(vocab, design=["module"])  # and no host survey
    answers += ["", "ph-lfs"]  # item 8 again: Enter keeps "module", then the host
    script = Script(answers)
    result = script.session(reference).run()
    design = [q for q in script.asked if q.key == "survey_design"]
    assert [q.default for q in design] == ["", "module"]
    assert result.graph.value(SURVEY, ns.MM.surveyDesign) == ns.scheme("survey-design").module
    assert result.graph.value(SURVEY, ns.MM.hostSurvey) == ns.SURVEY["ph-lfs"]


# --- 2: ? and back ---------------------------------------------------------------------------------


def test_help_explains_the_question_and_back_returns_to_the_item_before(reference: Reference,
                                                                       vocab: Vocabulary) -> None:
    answers = kerala(vocab)
    at = answers.index("Indai")
    status = answers.index("2018") + 2
    answers[status:status] = ["?"]  # the status list, explained
    answers[at:at] = ["?", "back", "", ""]  # countries: explained; back to item 2, both answers kept
    script = Script(answers)
    result = script.session(reference).run()
    said = script.text
    assert "Item 3, Countries covered: Country or countries covered by the survey(s)" in said
    assert "For example: PHL, or Philippines" in said
    assert "Data collection has ended and no further rounds are planned." in said  # the list's definitions
    assert said.count("2. Purpose: ") == 2
    description = [q for q in script.asked if q.key == "description"]
    assert description[1].default == answers[3]
    assert str(result.graph.value(SURVEY, ns.DCT.description)) == answers[3]
    assert result.ok


def test_help_and_back_in_french(vocab: Vocabulary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, said = _new(["--lang", "fr", "-o", "x.ttl"],
                      ["Enquête X 2020", "", "sx-2020", "Une description.", "", "aide", "retour"])
    assert code == 130
    assert "Question 3, Pays couverts : Pays couvert(s) par la ou les enquêtes" in said
    assert "Par exemple : PHL, ou Philippines" in said and "Tapez retour pour revenir" in said
    assert said.count("2. Objectif") == 2
    assert "is not a country" not in said and "n’est ni un code" not in said  # a command, not an answer


# --- 3: item 11 asks what the shapes ask of the criterion ----------------------------------------------


def _item_11(vocab: Vocabulary, method: list[str]) -> list[str]:
    answers = kerala(vocab)
    at = answers.index("absent-household-members; return-definition")
    return answers[:at] + method + answers[at + 7:]


def test_absent_household_members_are_asked_their_reference_period_and_minimum_age(reference: Reference,
                                                                                    vocab: Vocabulary) -> None:
    script = Script(_item_11(vocab, ["absent household members", "Former household members living abroad.",
                                     "", "5", "15"]))
    result = script.session(reference).run()
    assert "Absent household members are counted over a reference period or above a duration threshold." \
        in script.text
    method = result.graph.value(SURVEY, ns.MM.identification)
    assert result.graph.value(method, ns.MM.referencePeriodYears) == Literal(5)
    assert result.graph.value(method, ns.MM.minAge) == Literal(15)
    assert not [p for p in result.problems if "reference period" in p.message]


def test_a_duration_criterion_needs_its_threshold_and_framework(reference: Reference, vocab: Vocabulary) -> None:
    script = Script(_item_11(vocab, ["usual-residence-duration", "", "", "12", "", "", "UN1998"]))
    result = script.session(reference).run()
    asked = [q for q in script.asked if q.key.startswith("identification.")]
    assert [(q.key, q.required) for q in asked] == [
        ("identification.criterion", False), ("identification.definition", False),
        ("identification.threshold_months", True), ("identification.threshold_months", True),
        ("identification.min_age", False), ("identification.framework", True), ("identification.framework", True)]
    method = result.graph.value(SURVEY, ns.MM.identification)
    assert result.graph.value(method, ns.MM.thresholdMonths) == Literal(12)
    assert result.graph.value(method, ns.MM.framework) == ns.scheme("migration-framework").UN1998
    assert result.ok


# --- 4: yes and no in the session's words; anything else asked again -------------------------------


@pytest.mark.parametrize(("lang", "yes", "no"), [("en", "Yes!", "no."), ("fr", "Oui.", "Non"), ("es", "Sí.", "No."),
                                               ("es", "si", "no")])
def test_yes_and_no_in_the_session_language(reference: Reference, vocab: Vocabulary, lang: str, yes: str,
                                            no: str) -> None:
    agency = ["ANSD", "yes please", yes, "[en] National Agency of Statistics and Demography", *ANSD[3:]]
    answers = with_agency(vocab, agency)
    at = answers.index("maybe")
    answers[at:at + 3] = ["yes please", yes, no]  # item 12: remittances, then their use
    script = Script(answers)
    result = script.session(reference, lang).run()
    keys = [q.key for q in script.asked]
    assert keys.count("confirm") == 2 and keys.count("remittances") == 2  # "yes please" is asked again
    assert result.graph.value(SURVEY, ns.DCT.creator) == ns.AGENCY.ansd
    assert result.graph.value(SURVEY, ns.MM.collectsRemittances) == Literal(True)
    assert result.graph.value(SURVEY, ns.MM.collectsRemittanceUse) == Literal(False)


def test_the_help_of_the_id_and_the_description_gives_answers_of_their_kind(reference: Reference,
                                                                            vocab: Vocabulary) -> None:
    """The id's help said 'For example: SOF 2019' (not an id) and both "'-', '.' or '_'" and "'-'
    only"; the description's example was a title (the curator review)."""
    answers = kerala(vocab)
    answers[2:2] = ["?"]  # the id
    answers[4:4] = ["?"]  # the description
    script = Script(answers)
    assert script.session(reference).run().ok
    said = script.text
    assert "For example: ph-sof-2019" in said and "SOF 2019" not in said
    assert "'.' or '_'" not in said and "unique in the catalogue: lower-case letters, digits and '-'" in said
    from migrmeta.messages import message

    example = message("example.description", "en")
    assert f"For example: {example}" in said and example != message("example.text", "en")


def test_new_asks_for_citations_and_takes_one_whole(reference: Reference, vocab: Vocabulary) -> None:
    """`new` never asked for citations, yet its last warning asked for "sources" or "citations" (the
    curator review); a citation typed at the prompt keeps its own ';'."""
    citation = ("Rajan, S. I.; Zachariah, K. C. (2019). Emigration and Remittances: New Evidences from the "
                "Kerala Migration Survey 2018. CDS Working Paper 483.")
    answers = kerala(vocab)
    answers[-2] = citation  # after the sources
    script = Script(answers)
    result = script.session(reference).run()
    assert result.ok
    assert [str(c) for c in result.graph.objects(SURVEY, ns.DCT.bibliographicCitation)] == [citation]
    asked = [q for q in script.asked if q.key == "citations"]
    assert len(asked) == 1 and not asked[0].split  # no "(several: separate with ;)" for a citation


def test_several_citations_offered_again_are_kept_as_they_were(reference: Reference) -> None:
    """Two citations offered again (an item asked again, or a resumed session) were joined with
    '; ' and, a citation being taken whole, kept as one (the code review)."""
    two = ["Rajan, S. I.; Zachariah, K. C. (2019). Emigration and Remittances.", "CDS (2018). Questionnaire."]
    said: list[str] = []
    session = Session(reference, ask=lambda q, again: "", say=said.append, form={"citations": list(two)})
    session.ask_item(None)  # the questions of no item: sources, citations, the day they were checked
    assert session.form["citations"] == two


# --- what `new` insists on is what the shapes refuse a record without ------------------------------


def test_new_requires_only_what_a_record_cannot_go_without(reference: Reference, vocab: Vocabulary) -> None:
    """Items 6, 9, 11, 12, 13 and 14 looped on "an answer is needed here", while a sheet or a form
    without them is only warned: a statistician who does not know had to invent an answer."""
    script = Script(kerala(vocab))
    result = script.session(reference).run()
    assert result.ok
    required = {q.key: q.required for q in script.asked}
    assert {key: required[key] for key in ("sample_type", "populations", "identification.criterion", "remittances",
                                           "dissemination", "access_level")} == dict.fromkeys(
        ("sample_type", "populations", "identification.criterion", "remittances", "dissemination", "access_level"),
        False)
    assert all(required[key] for key in ("title", "countries", "conducted_by", "sampling_unit", "survey_design"))


def test_new_skips_an_item_left_empty_and_warns_of_it(reference: Reference, vocab: Vocabulary) -> None:
    answers = kerala(vocab)
    answers[answers.index("reports")] = ""  # item 13, not known
    script = Script(answers)
    result = script.session(reference).run()
    assert result.ok
    assert result.graph.value(SURVEY, ns.MM.disseminationMeans) is None
    assert any(p.severity == "warning" and p.item == 13 for p in result.problems)


@pytest.mark.parametrize("cited", [False, True])
def test_today_is_offered_as_the_day_checked_only_when_sources_are_given(reference: Reference, vocab: Vocabulary,
                                                                         cited: bool) -> None:
    """`new` offered today as mm:checkedOn with no source cited, while warning to cite one."""
    answers = kerala(vocab)
    if not cited:
        answers[answers.index("https://fliphtml5.com/qpqop/igur")] = ""
    script = Script(answers)
    result = script.session(reference).run()
    (checked,) = [q for q in script.asked if q.key == "checked_on"]
    assert bool(checked.default) is cited
    assert (result.graph.value(SURVEY, ns.MM.checkedOn) is not None) is cited


@pytest.mark.parametrize(("lang", "said"), [("en", "answer yes below to describe it now, or add it to "),
                                            ("fr", "répondez oui ci-dessous pour le décrire maintenant, ou ajoutez-le à ")])
def test_an_unknown_agency_is_explained_with_the_session_and_its_catalogue(reference: Reference, vocab: Vocabulary,
                                                                          lang: str, said: str) -> None:
    """`new` said 'add it to records/agencies.ttl or to the form's agencies: list', naming neither
    the catalogue in use nor what the session itself offers."""
    from migrmeta.formats.forms.answers import load_catalogue as catalogue_of

    agencies = catalogue_of(RECORDS).agencies_file()
    assert agencies is not None and agencies.endswith("agencies.ttl")
    session = Script([]).session(reference, lang)
    with pytest.raises(Exception) as refused:
        session.decoder.agencies.resolve("ANSD-XYZ")
    assert f"{said}{agencies})" in str(refused.value)
