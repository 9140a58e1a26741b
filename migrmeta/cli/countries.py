"""`migrmeta countries build`: regenerate ontology/countries.ttl from the EU authority table."""

from __future__ import annotations

from pathlib import Path

import click

from migrmeta import resources


@click.group("countries")
def countries_cmd() -> None:
    """The list of valid countries (EU authority table, ISO 3166-1 alpha-3)."""


@countries_cmd.command("build")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Target file [default: ontology/countries.ttl].")
def build_cmd(source: Path, output: Path | None) -> None:
    """Derive the country list from the EU table's SKOS RDF/XML (countries-skos.rdf).

    \b
    Example:
      migrmeta countries build ../shared/ext/eu-authority/countries-skos.rdf
    """
    from migrmeta.formats.countries import write_country_list

    target = output or resources.countries_file()
    count = write_country_list(source, target)
    click.echo(f"wrote {count} countries to {target}")
