"""Synthetic catalogues for benchmarks: realistic records built from the project's vocabularies.

    python bench/generate.py 1000 /tmp/catalogue          # 1,000 records + agencies.ttl
    generate_catalogue(10_000, Path("/tmp/c"), seed=1, invalid_share=0.1)

Records follow docs/model.md and use the real concept schemes and country list, so they
exercise every shape. About `invalid_share` of them carry one typical contributor mistake
(an unknown country code, a sample type that is not in the list, a missing title, an end
before the start, a module without its host survey, remittance use without remittances,
proxy respondents with an individual unit). Same seed, same files.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from migrmeta.load.reference import load_reference
from migrmeta.namespaces import COUNTRY_SCHEME, scheme_iri

PREFIXES = """@prefix dct: <http://purl.org/dc/terms/> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix disco: <http://rdf-vocabulary.ddialliance.org/discovery#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix mm: <https://w3id.org/migrmeta/ns#> .
@prefix survey: <https://w3id.org/migrmeta/survey/> .
@prefix agency: <https://w3id.org/migrmeta/agency/> .
@prefix country: <http://publications.europa.eu/resource/authority/country/> .
@prefix st: <https://w3id.org/migrmeta/vocab/sample-type/> .
@prefix su: <https://w3id.org/migrmeta/vocab/sampling-unit/> .
@prefix sd: <https://w3id.org/migrmeta/vocab/survey-design/> .
@prefix pop: <https://w3id.org/migrmeta/vocab/population/> .
@prefix mt: <https://w3id.org/migrmeta/vocab/migrant-type/> .
@prefix ic: <https://w3id.org/migrmeta/vocab/identification-criterion/> .
@prefix dis: <https://w3id.org/migrmeta/vocab/dissemination/> .
@prefix al: <https://w3id.org/migrmeta/vocab/access-level/> .
@prefix ss: <https://w3id.org/migrmeta/vocab/survey-status/> .
@prefix at: <https://w3id.org/migrmeta/vocab/agency-type/> .
"""

MISTAKES = ("country", "sample-type", "title", "dates", "host", "remittance-use", "proxy-unit")
TOPICS = ("labour migration", "return migration", "remittances", "integration of immigrants",
          "emigration and development", "forced migration", "student mobility", "circular migration")


@dataclass
class Vocab:
    countries: list[str]
    migrant_types: list[str]


def _vocab() -> Vocab:
    reference = load_reference()
    countries = sorted(c.notation for c in reference.scheme_concepts(COUNTRY_SCHEME))
    migrant_types = [c.notation for c in reference.scheme_concepts(scheme_iri("migrant-type"))]
    return Vocab(countries, migrant_types)


def _record(i: int, rng: random.Random, vocab: Vocab, agencies: int, mistake: str | None) -> str:
    ident = f"syn-{i:06d}"
    countries = rng.sample(vocab.countries, rng.choice((1, 1, 1, 2, 3)))
    start = rng.randint(1990, 2022)
    end = start + rng.randint(0, 4)
    household = rng.random() < 0.7
    design = rng.choice(("dedicated", "dedicated", "dedicated.multisite", "module", "module.rider"))
    lines = [f"survey:{ident} a mm:Survey, dcat:Dataset, disco:Study ;"]
    if mistake != "title":
        lines.append(f'    dct:title "Synthetic migration survey {i}"@en, "Enquête migratoire synthétique {i}"@fr ;')
    lines.append(f'    dct:identifier "{ident}" ;')
    topic = rng.choice(TOPICS)
    lines.append(f'    dct:description "A synthetic survey on {topic}, generated for benchmarks."@en ;')
    lines.append(f'    disco:purpose "Measure {topic} in the countries covered."@en ;')
    if mistake == "country":
        countries[0] = "XYZ"
    lines.append("    dct:spatial " + ", ".join(f"country:{c}" for c in countries) + " ;")
    if mistake == "dates":
        start, end = end + 2, start
    lines.append(
        f'    dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "{start}"^^xsd:gYear ; '
        f'dcat:endDate "{end}"^^xsd:gYear ] ;'
    )
    lines.append("    mm:status ss:completed ;")
    lines.append(f"    dct:creator agency:syn-{rng.randrange(agencies):03d} ;")
    sample = rng.choice(("probability.multistage", "probability.stratified", "probability.cluster",
                         "probability.multistage", "nonprobability.snowball"))
    if mistake == "sample-type":
        sample = "random-sample"
    lines.append(f"    mm:sampleType st:{sample} ;")
    if sample.startswith("probability"):
        lines.append('    mm:sampleFrame "Census enumeration areas"@en ;')
    lines.append(f"    mm:sampleSize {rng.randint(500, 90000)} ;")
    unit = "household" if household else "individual"
    if mistake == "proxy-unit":
        unit, household = "individual", False
    lines.append(f"    mm:samplingUnit su:{unit} ;")
    lines.append(f"    mm:surveyDesign sd:{design} ;")
    if design.startswith("module") and mistake != "host":
        lines.append(f"    mm:hostSurvey survey:syn-host-{i:06d} ;")
    populations = ["migrants-at-destination"]
    if household:
        populations = ["proxy-for-migrants-abroad", "return-migrants-at-origin"]
    if mistake == "proxy-unit":
        populations = ["proxy-for-migrants-abroad"]
    lines.append("    mm:populationCovered " + ", ".join(f"pop:{p}" for p in populations) + " ;")
    focus = rng.choice(("migrant-worker", "migrant-worker.contract", "highly-skilled"))
    lines.append(f"    mm:migrantFocus mt:{focus} ;")
    criterion = "absent-household-members" if household and mistake != "proxy-unit" else "country-of-birth"
    parameters = " ; mm:referencePeriodYears 5" if criterion == "absent-household-members" else ""
    lines.append(
        f'    mm:identification [ a mm:IdentificationMethod ; mm:criterion ic:{criterion}{parameters} ; '
        f'skos:definition "Identification as defined by synthetic survey {i}."@en ] ;'
    )
    remittances = rng.random() < 0.6
    if mistake == "remittance-use":
        lines.append("    mm:collectsRemittances false ; mm:collectsRemittanceUse true ;")
    else:
        lines.append(f"    mm:collectsRemittances {'true' if remittances else 'false'} ;")
        if remittances:
            lines.append(f"    mm:collectsRemittanceUse {'true' if rng.random() < 0.5 else 'false'} ;")
    if rng.random() < 0.5:
        lines.append("    mm:disseminationMeans dis:reports, dis:microdata-digital ;")
        lines.append("    mm:accessLevel al:public-use ;")
    else:
        lines.append("    mm:disseminationMeans dis:reports, dis:tabulations ;")
    lines.append(f'    dct:bibliographicCitation "Synthetic report {i} (benchmark data, not a real survey)." ;')
    lines.append(f"    dct:source <https://example.org/synthetic/{ident}> ;")
    lines.append('    dct:modified "2026-11-29"^^xsd:date .')
    text = "\n".join(lines) + "\n"
    if design.startswith("module") and mistake != "host":
        text += f'\nsurvey:syn-host-{i:06d} dct:title "Synthetic host survey {i}"@en .\n'
    return text


def _agencies(count: int, countries: list[str]) -> str:
    """Agencies as shapes/agency.ttl asks them (a kind, a country): no random draw, so the records
    are those of the same seed whatever the agencies say."""
    parts = []
    for a in range(count):
        parts.append(
            f"agency:syn-{a:03d} a foaf:Agent, foaf:Organization, mm:Agency ;\n"
            f'    foaf:name "Synthetic statistical office {a}"@en, "Office statistique synthétique {a}"@fr ;\n'
            f"    dct:type at:national-statistical-office ;\n"
            f"    mm:basedIn country:{countries[(a * 37) % len(countries)]} .\n"
        )
    return "\n".join(parts)


def generate_catalogue(n: int, out_dir: Path, seed: int = 0, invalid_share: float = 0.1) -> list[Path]:
    """Write n records and agencies.ttl into out_dir; returns the record paths (sorted)."""
    rng = random.Random(seed)
    vocab = _vocab()
    out_dir.mkdir(parents=True, exist_ok=True)
    agencies = max(10, n // 50)
    (out_dir / "agencies.ttl").write_text(PREFIXES + "\n" + _agencies(agencies, vocab.countries), encoding="utf-8")
    paths = []
    for i in range(n):
        mistake = rng.choice(MISTAKES) if rng.random() < invalid_share else None
        path = out_dir / f"syn-{i:06d}.ttl"
        path.write_text(PREFIXES + "\n" + _record(i, rng, vocab, agencies, mistake), encoding="utf-8")
        paths.append(path)
    return paths


def touch_one(path: Path) -> None:
    """Change one record the way a curator would (a new description), for incremental runs."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("generated for benchmarks.", "generated for benchmarks (edited)."), encoding="utf-8")


def generate_sheet(n: int, out_dir: Path, seed: int = 0, invalid_share: float = 0.1) -> tuple[Path, Path]:
    """A spreadsheet of n rows (XLSX), as a contributor fills the template, from n synthetic
    records; returns the sheet and the folder whose agencies.ttl names the conducting agencies."""
    from openpyxl import Workbook

    from migrmeta.formats.forms import sheet as sheets
    from migrmeta.formats.forms.answers import Vocabulary
    from migrmeta.formats.forms.encode import graph_to_form
    from migrmeta.load import read_input

    records = out_dir / "records"
    paths = generate_catalogue(n, records, seed=seed, invalid_share=invalid_share)
    reference = load_reference()
    vocab = Vocabulary(reference)
    cols = sheets.columns(reference)
    book = Workbook()
    sheet = book.active
    sheet.append([c.header for c in cols])
    for path in paths:
        graph = read_input(str(path)).graph
        for host in [s for s in graph.subjects() if "/syn-host-" in str(s)]:  # a row describes one survey
            graph.remove((host, None, None))
        sheet.append(sheets.entry_to_row(graph_to_form(graph, vocab), cols))
    catalogue = out_dir / "catalogue"
    catalogue.mkdir(parents=True, exist_ok=True)
    (catalogue / "agencies.ttl").write_bytes((records / "agencies.ttl").read_bytes())
    target = out_dir / "surveys.xlsx"
    book.save(target)
    return target, catalogue


def main(argv: list[str] | None = None) -> None:
    import argparse
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("count", nargs="?", type=int, default=1000, help="how many records (default 1000)")
    parser.add_argument("folder", nargs="?", type=Path, default=Path("bench/out/catalogue"),
                        help="where to write them (default bench/out/catalogue)")
    parser.add_argument("--seed", type=int, default=0, help="same seed, same files (default 0)")
    parser.add_argument("--invalid-share", type=float, default=0.1,
                        help="share of records carrying one typical mistake (default 0.1)")
    args = parser.parse_args(argv)
    if args.count < 1 or not 0 <= args.invalid_share <= 1:
        parser.error("count must be at least 1 and --invalid-share between 0 and 1")
    written = generate_catalogue(args.count, args.folder, seed=args.seed, invalid_share=args.invalid_share)
    print(f"{len(written)} records and agencies.ttl in {args.folder}")


if __name__ == "__main__":
    main()
