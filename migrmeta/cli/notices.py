"""What reading the inputs said (a merge's output left out or stale, load/merged.py), on
standard error, one `migrmeta: warning:` line each: every command says it the same way."""

from __future__ import annotations

from collections.abc import Iterable

import click


def say_notices(notices: Iterable[str]) -> None:
    for notice in notices:
        click.echo(f"migrmeta: warning: {notice}", err=True)


__all__ = ["say_notices"]
