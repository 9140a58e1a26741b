"""The words migrmeta says are in the contributor's language: messages.toml is complete, and what
`migrmeta new`, the templates and `import sheet` say in French or Spanish holds none of the
English words the statisticians' review found there."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from paths import RECORDS

from migrmeta.cli import cli
from migrmeta.formats.forms import template as templates
from migrmeta.formats.forms.answers import Vocabulary, parse_boolean
from migrmeta.formats.forms.fields import SURVEY_FIELDS, field_by_key
from migrmeta.formats.forms.interactive import Session
from migrmeta.formats.forms.kept import kept_header, resume_point
from migrmeta.load.reference import Reference
from migrmeta.messages import LANGUAGES, catalogue, in_every_language, message, recognise, translate

FIELD = re.compile(r"\{(\w+)\}")

# English the review found in French and Spanish output (and what else was English beside it).
ENGLISH = (
    "there is no month", "write a year", "Survey status", "Sample type", "Type of agency",
    "Population categories covered", "Completed", "1. yes", "2. no", "wrote ", "Answers given to",
    "Continue with", "row 2 (agency", "column \"", "e.g.", "a value of the list", "several allowed",
    "text in the form's language", "ISO country code", "a whole number", "Pick a value", "Not in the list",
    "Item 6:", "fill in the answers", "Sources and record", "example:", "Interrupted", "Enter to skip",
    "Describe \"", "(yes/no)", " is not ", "did you mean", "an answer is needed",
)


def english_in(text: str) -> list[str]:
    return [words for words in ENGLISH if words in text]


def test_every_message_has_the_three_languages_with_the_same_fields() -> None:
    for key, texts in catalogue().items():
        assert set(texts) == set(LANGUAGES), key
        fields = {lang: sorted(FIELD.findall(text)) for lang, text in texts.items()}
        assert fields["fr"] == fields["en"] == fields["es"], key


def test_a_message_in_every_language_is_each_wording_once_english_first() -> None:
    assert in_every_language("template.surveys_sheet") == ("Surveys", "Enquêtes", "Encuestas")
    assert in_every_language("answer.no") == ("no", "non")  # Spanish says it as English does


def test_the_yes_and_no_shown_are_read_back_with_their_punctuation() -> None:
    for lang in LANGUAGES:
        for key, value in (("answer.yes", "true"), ("answer.no", "false")):
            word = message(key, lang)
            for written in (word, word.upper(), f"{word}.", f"{word.capitalize()}!"):
                assert str(parse_boolean(written)) == value, written
    for refused in ("yes please", "oui mais", "maybe"):
        with pytest.raises(ValueError, match="is not yes or no"):
            parse_boolean(refused)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_kept_header_is_read_back_in_its_language(lang: str) -> None:
    for item, agencies in ((7, ()), (5, ("ansd",)), (None, ())):
        header = kept_header(item, agencies, "migrmeta new --resume x.yaml", lang)
        assert resume_point("# " + header) == (item or 15)
        assert "migrmeta new --resume x.yaml" in header
    assert recognise("new.kept_at_item", message("new.kept_at_item", lang, item=3)) == {"item": "3"}


def test_words_said_only_are_never_read_into_a_message() -> None:
    """A value typed "yes" or "back" stays as typed when a message quotes it."""
    assert translate('"yes" is not a country code or name', "fr") == "« yes » n’est ni un code ni un nom de pays"
    assert translate('"Surveys" is not in the list "Sample type"', "es").startswith("«Surveys»")


# --- French and Spanish output ---------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_the_templates_say_nothing_in_english(reference: Reference, lang: str) -> None:
    example = templates.example_entry(reference, RECORDS / "ph-sof.ttl")
    assert example is not None
    example = {k: v for k, v in example.items() if k in ("id", "status", "sample_type", "remittances", "countries")}
    yaml_text = templates.template_yaml(reference, example, lang, ["psa"])
    assert english_in(yaml_text) == []
    assert english_in(templates.template_csv(reference, example, lang).decode("utf-8-sig")) == []
    from openpyxl import load_workbook

    data = templates.template_xlsx(reference, example, lang, ["psa"])
    book = load_workbook(io.BytesIO(data))
    assert not {"Surveys", "Agencies", "Lists"} & set(book.sheetnames)
    said = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                said += [str(cell.value or ""), cell.comment.text if cell.comment else ""]
        for check in sheet.data_validations.dataValidation:
            said += [check.prompt or "", check.error or ""]
    assert english_in("\n".join(said)) == []
    listed = {c.value for row in book.worksheets[-1].iter_rows() for c in row}
    vocab = Vocabulary(reference, lang)
    assert {message("answer.yes", lang), vocab.title("sample-type"), vocab.choices("survey-status")[0].label} <= listed
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None


def _french_or_spanish_session(lang: str) -> list[str]:
    """A session that makes the mistakes of the review, cut short in the new agency's description."""
    words = {
        "fr": ("Enquête X 2020", "terminé", "oui", "Agence nationale de la statistique et de la démographie"),
        "es": ("Encuesta X 2020", "finalizad", "sí", "Agencia Nacional de Estadística y Demografía"),
    }[lang]
    return [words[0], "", "sx-2020", "Une description.", "", "Sénégal", "2019-21", "2020", "2020", words[1], "1",
            "ANSD", "ANSD", "maybe", words[2], words[3], "National Agency", "[en] National Agency of Statistics",
            "", "bureau", "3"]


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_new_says_nothing_in_english(reference: Reference, lang: str, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    done = CliRunner().invoke(cli, ["new", "--lang", lang, "--catalogue", str(RECORDS), "-o", "sx.ttl"],
                              input="\n".join(_french_or_spanish_session(lang)) + "\n")
    assert done.exit_code == 130, done.output
    said = done.output
    kept = (tmp_path / "sx-2020.partial.yaml").read_text(encoding="utf-8")
    assert english_in(said) == [] and english_in(kept) == [], said + kept
    vocab = Vocabulary(reference, lang)
    assert vocab.title("survey-status") in said and vocab.title("agency-type") in said  # the lists' own titles
    assert ("Terminée" if lang == "fr" else "Finalizada") in said  # the suggestion, labelled in the language
    assert message("value.a_period", lang, value="2019-21", start="2019", end="2021") in said  # "2019-21" a period
    assert ("(oui/non)" if lang == "fr" else "(sí/no)") in said
    assert message("new.kept_describing", lang, item=5, id="ansd").split(",")[0] in kept


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_yes_and_no_are_offered_in_the_language(reference: Reference, lang: str) -> None:
    session = Session(reference, lambda q, again: "", lambda text: None, lang)
    remittances = field_by_key(SURVEY_FIELDS, "remittances")
    assert remittances is not None
    shown = [c.label for c in session.question(remittances, "remittances", True).choices]
    assert shown == [message("answer.yes", lang), message("answer.no", lang)]


def test_import_sheet_in_french_says_an_agency_problem_in_french(reference: Reference, tmp_path: Path) -> None:
    from migrmeta.formats.forms import sheet as sheets
    from migrmeta.formats.forms.answers import load_catalogue

    headers = [c.header for c in sheets.columns(reference, "fr")]
    english = {c.key: c.header for c in sheets.columns(reference)}
    french = {c.key: c.header for c in sheets.columns(reference, "fr")}
    row = {"id": "sn-survey", "title": "Enquête", "description": "Une enquête.", "countries": "SEN",
           "time_frame.start": "2019", "conducted_by": "ansd", "sample_type": "probability",
           "sampling_unit": "household", "survey_design": "dedicated", "populations": "return-migrants-at-origin",
           "identification.criterion": "citizenship", "remittances": "non", "dissemination": "reports",
           "access_level": "on-request"}
    assert set(row) <= set(english)
    lines = [",".join(headers), ",".join(row.get(c.key, "") for c in sheets.columns(reference, "fr"))]
    (tmp_path / "s.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    agency_headers = [c.header for c in sheets.agency_columns(reference, "fr")]
    agency = ["ansd", "[en] National Agency of Statistics and Demography", "ANSD", "ANSD", "SEN", ""]
    (tmp_path / "s-agencies.csv").write_text(",".join(agency_headers) + "\n" + ",".join(agency) + "\n",
                                             encoding="utf-8")
    result = sheets.import_sheet(tmp_path / "s.csv", reference, lang="fr", catalogue=load_catalogue(RECORDS))
    said = "\n".join(p.text("fr") for r in result.rows for p in r.problems)
    assert "s-agencies.csv, ligne 2 (organisme « ansd »), colonne « Nature de l'organisme »" in said, said
    assert f"« {Vocabulary(reference, 'fr').title('agency-type')} »" in said, said
    assert french["sample_type"] in headers
    assert english_in(said) == [], said


# What the readers say in English of a file they cannot read (the review found it left so).
UNREADABLE_ENGLISH = (
    "is empty", "fill it in", "no such file", "syntax error", "fix the statement", "is remote", "not fetched",
    "binary file", "a NUL byte", "it looks like Latin-1", "save it as UTF-8", "not an RDF record",
    "checks it and turns", "IRIs may not hold", "a JSON string", "not a JSON-LD document", "holds no statements",
)


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_validate_says_why_a_file_cannot_be_read_in_the_language(lang: str, tmp_path: Path) -> None:
    files = {
        "empty.ttl": b"", "nul.ttl": b"x\x00y", "latin.ttl": b'@prefix a: <http://a/> .\na:s a:p "caf\xe9" .\n',
        "iri.ttl": b"<http://a/s> <http://a/p> <x y> .\n", "remote.jsonld": b'{"@context": "http://example.org/c"}',
        "string.jsonld": b'"text"', "list.jsonld": b"[1]", "surveys.csv": b"id\n",
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    names = [str(tmp_path / name) for name in files] + [str(tmp_path / "missing.ttl")]
    done = CliRunner().invoke(cli, ["validate", "--no-cache", "--lang", lang, *names])
    assert done.exit_code == 3, done.output
    assert [words for words in UNREADABLE_ENGLISH if words in done.output] == [], done.output
    for key in ("input.empty", "input.empty_hint", "input.no_such_file", "input.syntax_hint", "input.right_file"):
        assert message(key, lang) in done.output, (key, done.output)
    assert message("input.not_a_record", lang, kind=message("input.kind_sheet", lang)) in done.output


def test_a_hint_naming_a_flag_keeps_its_flag_in_every_language() -> None:
    """`{--limit depth=N|the limit depth}` speaks of the CLI's flag or the library's argument:
    the braces survive the translation (written `{{...}}` in messages.toml)."""
    english = "a survey record is shallow; raise {--limit depth=N|the limit depth} if this one is honest"
    assert message("input.deep_hint") == english
    assert "{--limit depth=N|la limite depth}" in translate(english, "fr")
    assert "{--limit depth=N|el límite depth}" in translate(english, "es")


def test_each_english_message_read_as_a_pattern_is_written_once() -> None:
    """Two entries with the same English would translate one message two ways (the first found wins)."""
    from collections import Counter

    english = Counter(texts["en"] for key, texts in catalogue().items()
                      if texts["en"] and not key.startswith(("answer.", "example.", "what.", "template.")))
    assert [text for text, count in english.items() if count > 1] == []


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_a_citation_typed_as_a_source_is_told_so_in_the_language(lang: str) -> None:
    """'"INEGI (2021). ENM." holds a space, which a web address may not hold (write it as %20...)'
    was English under --lang fr|es, and bad advice for a citation typed where an address is asked."""
    from migrmeta.values.errors import BadValue
    from migrmeta.values.iris import parse_iri

    with pytest.raises(BadValue) as refused:
        parse_iri("INEGI (2021). Encuesta Nacional de Migración.")
    said = translate(str(refused.value), lang)
    assert said == message("iri.problem", lang, value="INEGI (2021). Encuesta Nacional de Migración.",
                           problem=message("iri.a_citation", lang)), said
    with pytest.raises(BadValue) as refused:
        parse_iri("https://example.org/a b")
    assert translate(str(refused.value), lang).endswith(
        message("iri.forbidden", lang, what=message("iri.a_space", lang), code="20")), translate(str(refused.value), lang)


# --- the parsers' own words ----------------------------------------------------------------------

_PREFIX = b"@prefix dct: <http://purl.org/dc/terms/> .\n"
# a broken file -> the parser message (parser.*) its reader gives, as the parser words it
PARSER_CASES = {
    "dot.ttl": (_PREFIX + b'<https://x.org/s> dct:title "a"\n<https://x.org/t> dct:title "c" .\n', "parser.dot_expected"),
    "prefix.ttl": (b'<https://x.org/s> dct:title "a" .\n', "parser.prefix_undeclared"),
    "open.ttl": (_PREFIX + b'<https://x.org/s> dct:title "a .\n', "parser.end_of_file"),
    "end.ttl": (_PREFIX + b"<https://x.org/s> dct:title ", "parser.end"),
    "escape.ttl": (_PREFIX + b'<https://x.org/s> dct:title "a\\q" .\n', "parser.escape"),
    "bracket.ttl": (_PREFIX + b'<https://x.org/s> dct:title [ dct:x "a" .\n', "parser.property_list_end"),
    "subject.ttl": (_PREFIX + b'"a" dct:title "a" .\n', "parser.not_subject_or_graph"),
    "lang.ttl": (_PREFIX + b'<https://x.org/s> dct:title "a"@ .\n', "parser.language_code"),
    "datatype.ttl": (_PREFIX + b'<https://x.org/s> dct:title "a"^^ .\n', "parser.datatype_expected"),
    "jump.ttl": (_PREFIX + b'<https://x.org/s> dct:title "a\nb" .\n', "parser.line_jump"),
    "value.jsonld": (b'{"@context": {"t": "http://purl.org/dc/terms/title"}, "t": [1,\n 2,, ]}', "parser.json_value"),
    "comma.jsonld": (b'{"@context": {"t": "http://purl.org/dc/terms/title"}\n "t": "a"}', "parser.json_comma"),
    "key.jsonld": (b'{"@context": {"t": "http://purl.org/dc/terms/title"}, }', "parser.json_key"),
    "string.jsonld": (b'{"@context": {"t": "http://purl.org/dc/terms/title"}, "t": "a}', "parser.json_unterminated"),
    "keyword.ttl": (b"@prefix dct <http://purl.org/dc/terms/> .\n", "parser.prefix_keyword"),
    "quads.nt": (b'<https://x.org/s> <https://x.org/p> "o" \n', "parser.dot_after_quads"),
    "predicate.ttl": (_PREFIX + b'<https://x.org/s> "p" "o" .\n', "parser.not_predicate"),
    "object.ttl": (_PREFIX + b"<https://x.org/s> dct:title <https://x.org/a> , .\n", "parser.not_object"),
    "relative.ttl": (b'<s> <https://x.org/p> "o" .\n', "parser.no_scheme"),
    "space.ttl": (_PREFIX + b'<https://x.org/s s> dct:title "a" .\n', "parser.iri_code_point"),
    "percent.ttl": (_PREFIX + b'<https://x.org/s%zz> dct:title "a" .\n', "parser.iri_percent"),
    "colon.jsonld": (b'{"@context": {"t": "http://purl.org/dc/terms/title"}, "t" "a"}', "parser.json_colon"),
    "control.jsonld": (b'{"@context": {"t": "http://purl.org/dc/terms/title"}, "t": "a\nb"}', "parser.json_control"),
    "escape.jsonld": (b'{"@context": {"t": "http://purl.org/dc/terms/title"}, "t": "a\\qb"}', "parser.json_escape"),
    "extra.jsonld": (b'{"@context": {"t": "http://purl.org/dc/terms/title"}, "t": "a"} {}', "parser.json_extra"),
}
# a broken form -> the PyYAML message (parser.*) `import form` gives
FORM_CASES = {
    "tab.yaml": (b"title: a\n\tpurpose: b\n", "parser.yaml_tab"),
    "quote.yaml": (b'survey:\n  title: "a\n', "parser.yaml_stream_end"),
    "values.yaml": (b"title: a: b\n", "parser.yaml_mapping_values"),
    "list.yaml": (b"countries: [a, b\n", "parser.yaml_flow_sequence"),
    "alias.yaml": (b"title: *x\n", "parser.yaml_alias"),
}


def _syntax_detail(text: str) -> str:
    return text.split(": ", 1)[1]


def test_the_parsers_messages_are_recognised_as_they_word_them(tmp_path: Path) -> None:
    """Each parser.* message's English is what the parser says today: a parser that rewords one
    fails here, not in a user's French report."""
    import migrmeta

    for name, (data, key) in PARSER_CASES.items():
        (tmp_path / name).write_bytes(data)
        report = migrmeta.validate([tmp_path / name], cache=False)
        said = [f.message for f in report.findings if f.severity == "error"]
        assert len(said) == 1, (name, said)
        detail = re.sub(r" \(.*\)$", "", _syntax_detail(said[0]))  # less what migrmeta adds
        assert recognise(key, detail) is not None, (name, key, said[0])


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_a_syntax_error_reads_in_the_language(lang: str, tmp_path: Path) -> None:
    for name, (data, _key) in PARSER_CASES.items():
        (tmp_path / name).write_bytes(data)
    done = CliRunner().invoke(cli, ["validate", "--no-cache", "--lang", lang, *(str(tmp_path / n) for n in PARSER_CASES)])
    assert done.exit_code == 3, done.output
    english = [max(FIELD.split(catalogue()[key]["en"]), key=len) for _, key in PARSER_CASES.values()]
    assert [words for words in english if words in done.output] == [], done.output
    assert message("parser.dot_expected", lang) in done.output
    for form, (data, key) in FORM_CASES.items():
        (tmp_path / form).write_bytes(data)
        imported = CliRunner().invoke(cli, ["import", "form", "--lang", lang, str(tmp_path / form),
                                            "-o", str(tmp_path / "out")])
        assert imported.exit_code == 3, imported.output
        english = max(FIELD.split(catalogue()[key]["en"]), key=len)
        assert english not in imported.output, (form, imported.output)  # said in the language: its template matched
        assert max(FIELD.split(catalogue()[key][lang]), key=len) in imported.output, (form, imported.output)


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_an_output_refused_and_a_form_that_is_a_list_are_said_in_the_language(
        lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Re-running a command over its own output is what a contributor meets most: those
    messages, raised by the library in English, were printed in English under --lang."""
    from command import run

    monkeypatch.chdir(tmp_path)
    (tmp_path / "taken.yaml").write_text("x: 1\n", encoding="utf-8")
    record = str(RECORDS / "ph-sof.ttl")
    exists = message("output.exists", lang, path="taken.yaml")
    for args in (["template", "--format", "yaml", "-o", "taken.yaml"], ["validate", record, "-o", "taken.yaml"],
                 ["export", "form", record, "-o", "taken.yaml"]):
        code, _out, err = run(capsys, *args, "--lang", lang)
        assert code in (1, 2), (args, err)
        assert exists in err and "exists already" not in err, (args, err)
        assert message("output.exists_hint", lang).replace("{--force|force=True}", "--force") in err
    code, _out, err = run(capsys, "import", "form", "taken.yaml", "-o", "taken.yaml", "--lang", lang)
    assert code == 2 and "is also an input" not in err and message("output.is_input_hint", lang) in err
    (tmp_path / "list.yaml").write_text("- a\n", encoding="utf-8")
    code, _out, err = run(capsys, "import", "form", "list.yaml", "-o", "l.ttl", "--lang", lang)
    assert code == 1 and message("form.not_a_mapping", lang) in err
    code, out, _err = run(capsys, "export", "form", record, "--lang", lang)
    assert code == 0
    assert out.startswith("# " + message("form.exported_header", lang, name="ph-sof.ttl", stem="ph-sof").split("\n")[0])
    assert "Import it with" not in out
