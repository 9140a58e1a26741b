"""Outside files -> draft records: the import loop every converter shares.

    result = import_records("ddi", ["study.xml", "harvest/"], output=Path("drafts/"))
    result.drafts, result.messages, result.errors, result.written

Each source is read by the converter's reader (formats/registry.py), which gives a `Batch`:
the drafts it made, and messages (problems with a severity, notes). One unreadable source
never stops the others. With `output`, each draft is written atomically to
`output/<id>.ttl`, named by the one rule for names on disk (io/names.py); an id that repeats
within the run gets `-2`, `-3`...; a file already there is not replaced unless `force`.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrmeta.errors import InputError, PublishError, UsageError, speak
from migrmeta.formats.harmonize import Draft, draft_filename
from migrmeta.formats.loss import LossReport
from migrmeta.formats.registry import Converter, converter
from migrmeta.io.files import special_kind, write_output
from migrmeta.load import named_once, walk
from migrmeta.messages import message
from migrmeta.progress import Progress, tell


@dataclass(frozen=True)
class Message:
    severity: str  # violation (the draft is not made), warning, note
    text: str  # names the row, key or element
    source: str = ""

    def __str__(self) -> str:
        return self._text(cli=False)

    def cli_text(self) -> str:
        return self._text(cli=True)

    def _text(self, *, cli: bool) -> str:
        where = f"{self.source}: " if self.source else ""
        return where + ("" if self.severity == "note" else f"{self.severity}: ") + speak(self.text, cli=cli)


@dataclass
class Batch:
    """What a reader made of one source."""

    drafts: list[Draft] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)  # parts that could not be read
    units: int = 0  # what the source held (rows of a sheet, studies): drafts made or not


@dataclass
class ImportResult:
    drafts: list[Draft] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    units: int = 0

    @property
    def reports(self) -> list[LossReport]:
        return [d.report for d in self.drafts]

    def exit_code(self) -> int:
        if self.errors:
            return 3
        return 1 if any(m.severity == "violation" for m in self.messages) else 0


def expand_sources(spec: Converter, sources: Iterable[str | Path]) -> list[str | InputError]:
    """Directories become the files in them that the converter reads (by suffix), sorted; a
    folder that cannot be listed, one without such files or a link to nothing is an
    `InputError` in its place. A file named twice is read once."""
    found: list[str | InputError] = []
    suffix = spec.dir_suffix
    for source in sources:
        path = Path(source)
        if suffix and path.is_dir():
            files, problems = walk(path, lambda name: name.endswith(suffix))
            found.extend(problems)
            found.extend(files)
            if not files and not problems:
                found.append(InputError(str(path), f"no {suffix} files in this directory",
                                        hint=f"give the {suffix} files, or the folder that holds them"))
        elif str(source) == "-":  # what a shell user means by "-", which no importer reads
            raise UsageError("import reads files and folders, not standard input",
                             hint="save the input as a file (e.g. survey.yaml) and give its name")
        else:
            found.append(str(source))
    return named_once(found)


def import_records(name: str, sources: Iterable[str | Path], *, output: str | os.PathLike[str] | None = None,
                   force: bool = False, progress: Progress | None = None, **options: Any) -> ImportResult:
    """Read every source with the converter `name`; write the drafts under `output`.

    `progress` hears of each source read, and is handed to readers that report their own
    (those with a `progress` argument: a spreadsheet's rows)."""
    spec = converter(name)
    read = spec.load("reader")
    if progress is not None and "progress" in inspect.signature(read).parameters:
        options["progress"] = progress
    result = ImportResult()
    listed = expand_sources(spec, sources)
    for done, source in enumerate(listed, 1):
        if len(listed) > 1:
            tell(progress, "reading", done - 1, len(listed))
        if isinstance(source, InputError):
            result.errors.append(source)
            continue
        try:
            batch: Batch = read(source, **options)
        except InputError as exc:
            result.errors.append(exc)
            continue
        result.drafts.extend(batch.drafts)
        result.messages.extend(batch.messages)
        result.errors.extend(batch.errors)
        result.units += batch.units or len(batch.drafts)
    if len(listed) > 1:
        tell(progress, "reading", len(listed), len(listed))
    link = spec.load("linker")
    if link is not None:
        link(result.drafts)
    if output is not None:  # a caller may give a str, as the sources
        result.written, refused = write_drafts(result.drafts, Path(output), force=force)
        result.messages.extend(refused)
    return result


def write_drafts(drafts: Iterable[Draft], output: Path, *, force: bool = False) -> tuple[list[Path], list[Message]]:
    """Each draft to `output/<id>.ttl`; the files written, and the messages: why the others were
    not, and a warning for a survey two written drafts describe."""
    written: list[Path] = []
    refused: list[Message] = []
    taken: set[str] = set()
    first: dict[str, Draft] = {}  # the first draft of each survey IRI this run writes
    for draft in drafts:
        n = 1
        try:
            name = draft_filename(draft.identifier, source=draft.report.source)
            while name in taken:
                n += 1
                name = draft_filename(draft.identifier, n, source=draft.report.source)
        except InputError as exc:
            refused.append(Message("violation", exc.problem, exc.location.source))
            continue
        taken.add(name)
        target = output / name
        if target.exists() and not force and special_kind(target) is None:
            said = message("output.draft_exists_at", target=target, where=f" ({draft.origin})") if draft.origin \
                else message("output.draft_exists", target=target)
            refused.append(Message("violation", said, draft.report.source))
            continue
        try:
            write_output(target, draft.turtle(), force=force)
        except PublishError as exc:
            refused.append(Message("violation", exc.message + (f"; {exc.hint}" if exc.hint else ""),
                                   draft.report.source))
            continue
        draft.report.output = str(target)
        written.append(target)
        earlier = first.setdefault(str(draft.survey), draft)
        if earlier is not draft:  # two sources of one study (an archive's file and a harvest's copy), both written
            said = earlier.report.source + (f" ({earlier.origin})" if earlier.origin else "")
            refused.append(Message("warning", message("import.same_survey", "en", earlier=said, survey=draft.survey,
                                                      name=name), draft.report.source))
    return written, refused


__all__ = ["Batch", "ImportResult", "Message", "expand_sources", "import_records", "write_drafts"]
