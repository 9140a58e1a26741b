"""`migrmeta countries build`: regenerate ontology/countries.ttl from the EU authority table."""

from __future__ import annotations

from pathlib import Path

import click

from migrmeta import resources


@click.group("countries")
def countries_cmd() -> None:
    """The list of valid countries (EU authority table, ISO 3166-1 alpha-3).

    \b
    Example:
      migrmeta countries build ../shared/ext/eu-authority/countries-skos.rdf
    """


@countries_cmd.command("build")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Target file [default: ontology/countries.ttl, regenerated in place].")
@click.option("--force", is_flag=True, help="Replace the --output file if it exists.")
def build_cmd(source: Path, output: Path | None, force: bool) -> None:
    """Derive the country list from the EU table's SKOS RDF/XML (countries-skos.rdf).

    ontology/countries.ttl, the list every record is checked against, is regenerated in
    place; a file given with --output is not replaced without --force.

    \b
    Example:
      migrmeta countries build ../shared/ext/eu-authority/countries-skos.rdf

    \b
    Exit codes: 0 written, 1 the --output file exists (not replaced without --force) or
    could not be written, 2 usage error, 3 the table could not be read or holds no country.
    """
    from migrmeta.formats.countries import write_country_list
    from migrmeta.io.files import check_output

    target = output or resources.countries_file()
    replace = force or output is None  # the project's list is regenerated on purpose
    check_output(target, replace=replace, inputs=[source])  # before the work, not after it
    count = write_country_list(source, target, force=replace)
    click.echo(f"wrote {count} countries to {target}")
