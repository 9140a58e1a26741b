"""`migrmeta export schemaorg`: schema.org Dataset JSON-LD for dataset search engines."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rdflib import Graph, URIRef

from migrmeta.cli.convert import agencies_near, agencies_option, export_cmd, output_dir_option
from migrmeta.errors import InputError
from migrmeta.formats.ddi.writer import surveys_in
from migrmeta.formats.harmonize import write_text
from migrmeta.formats.schemaorg import check_dataset, dataset_jsonld, to_json
from migrmeta.load import iter_records, read_input
from migrmeta.namespaces import DCT


@click.command("schemaorg")
@click.argument("records", nargs=-1, type=click.Path(path_type=str))
@output_dir_option("Write DIR/<id>.jsonld per survey [default: print one JSON document].")
@click.option("--lang", default="en", show_default=True, help="Language of names and descriptions.")
@agencies_option
def export_schemaorg_cmd(records: tuple[str, ...], output: Path | None, lang: str, agencies: Path) -> None:
    """Write a schema.org Dataset (JSON-LD) per survey, for Google Dataset Search.

    RECORDS are record files or directories [default: records/]. What Google's Dataset
    guidelines would reject (a description shorter than 50 characters, ...) is reported
    on standard error; nothing is padded.

    \b
    Examples:
      migrmeta export schemaorg -o site/schemaorg/
      migrmeta export schemaorg records/ph-sof.ttl

    \b
    Exit codes: 0 written, 3 a record could not be read (the others are still written).
    """
    agencies = agencies_near(agencies, records)
    union = read_input(str(agencies)).graph if agencies.is_file() else Graph()
    loaded, failed = [], False
    for record in iter_records(list(records) or ["records"]):
        if isinstance(record, InputError):
            click.echo(f"migrmeta: {record}", err=True)
            failed = True
            continue
        loaded.append(record)
        union += record.graph
    if not any(surveys_in(record.graph) for record in loaded) and not failed:
        raise InputError(", ".join(records) or "records", "holds no survey to export",
                         hint="give survey records (agencies.ttl only describes agencies)")
    documents = []
    for record in loaded:
        for survey in surveys_in(record.graph):
            document = dataset_jsonld(union, URIRef(survey), lang=lang)
            for problem in check_dataset(document):
                click.echo(f"migrmeta: {record.source}: {survey}: {problem}", err=True)
            if output is not None:
                identifier = str(record.graph.value(survey, DCT.identifier) or str(survey).rsplit("/", 1)[-1])
                write_text(output / f"{identifier}.jsonld", to_json(document))
            documents.append(document)
    if output is None:
        click.echo(to_json(documents[0] if len(documents) == 1 else documents), nl=False)
    sys.exit(3 if failed else 0)


export_cmd.add_command(export_schemaorg_cmd)
