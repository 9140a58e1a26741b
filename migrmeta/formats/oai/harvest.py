"""Harvest an OAI-PMH repository into a folder of draft survey records.

    report = harvest("https://catalog.example.org/oai", Path("drafts"), HarvestOptions(prune=True))
    print(render_harvest(report)); report.exit_code()

Steps: Identify (is it OAI-PMH 2.0, what date granularity), ListMetadataFormats (the richest
DDI Codebook offered, else oai_dc: `client.choose_format`), then ListRecords page by page
from the last complete harvest into this folder (`state.py`), or GetRecord for one record.
Each record becomes a draft through the same mapping and loss report as `import ddi`
(`formats.ddi.reader.import_ddi`; oai_dc through `dc.py`), with its provenance:

    <survey> dct:source <…?verb=GetRecord&identifier=…&metadataPrefix=…> ;
        prov:wasDerivedFrom [ a prov:Entity ; dct:identifier "oai:…" ; dct:modified "<datestamp>" ] .

A record updated at the source replaces its drafts (same file names, unless its survey's
identifier changed: the draft then takes its own name, the old file deleted); a record deleted at
the source is reported, and with `prune` its drafts are deleted. A record that cannot be
read (not DDI, broken XML) is reported, the others are harvested, and it is marked `failed`
in the state (its earlier drafts, if any, kept): the next harvest asks again from its
datestamp, until it is imported, deleted or no longer listed. A harvest that stops
part-way (a broken page, an error answer) keeps what it wrote, remembers which file came
from which record, and does not move the date of the last complete harvest, so the next run
asks again for everything since then. Every file written or deleted is a plain `<id>.ttl`
inside the drafts folder (io/names.py), whatever the state says (`state.py` refuses a state
naming anything else).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from rdflib import Literal, URIRef

from migrmeta.errors import EndpointError, InputError, MigrmetaError, UsageError
from migrmeta.formats.ddi.reader import import_ddi
from migrmeta.formats.harmonize import Draft, draft_filename, stable_bnode, write_draft, write_text
from migrmeta.formats.loss import LossReport
from migrmeta.formats.oai.client import Choice, OaiClient, choose_format
from migrmeta.formats.oai.dc import dc_identifier, import_dc
from migrmeta.formats.oai.protocol import OaiError, OaiRecord
from migrmeta.formats.oai.state import DRAFT_SUFFIX, STATE_FILE, EndpointState, Harvested, HarvestState
from migrmeta.io.names import name_problem
from migrmeta.load.reference import load_reference
from migrmeta.messages import plural
from migrmeta.namespaces import DCT, PROV, RDF, XSD
from migrmeta.progress import Progress, tell
from migrmeta.values.agencies import Agencies
from migrmeta.values.dates import ACCEPTED, parse_date
from migrmeta.values.errors import BadValue
from migrmeta.values.text import slug

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d:[0-5]\dZ$")
HARVESTING = "harvesting records"  # the stage a harvest reports (migrmeta.progress)


@dataclass(frozen=True)
class HarvestOptions:
    set_spec: str | None = None
    from_: str | None = None  # YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ [default: the last complete harvest]
    until: str | None = None
    prefix: str | None = None  # a metadataPrefix to use [default: the richest offered]
    record: str | None = None  # harvest this one record (GetRecord)
    prune: bool = False  # delete the drafts of records deleted at the source
    full: bool = False  # ignore the last harvest: ask for every record
    lang: str = "en"  # language of text without xml:lang
    agencies: Agencies | None = None


@dataclass
class HarvestReport:
    """What a harvest did; `exit_code` 0 when every record was read and the harvest completed."""

    base_url: str
    output: Path
    choice: Choice | None = None
    asked_from: str | None = None
    pages: int = 0
    reports: list[LossReport] = field(default_factory=list)  # one per draft written
    unchanged: int = 0
    deleted: dict[str, list[str]] = field(default_factory=dict)  # OAI id -> its drafts (kept unless pruned)
    pruned: list[str] = field(default_factory=list)
    edited: dict[str, str] = field(default_factory=dict)  # a draft edited since it was harvested -> what became
    # of it (the new draft written beside it; or not deleted though its record was)
    renamed: dict[str, str] = field(default_factory=dict)  # a draft's old file -> its new one: the record's
    # survey has another identifier at the source
    errors: list[MigrmetaError] = field(default_factory=list)  # records that could not be read
    retried: list[str] = field(default_factory=list)  # records that had failed before, asked for again
    failure: MigrmetaError | None = None  # why the harvest stopped part-way
    complete: bool = False

    def exit_code(self) -> int:
        """0 harvested, 1 the harvest failed, 3 a record (or a page) could not be read."""
        if self.failure is not None:
            return self.failure.exit_code
        return 3 if self.errors else 0


_DATE_HINT = "write YYYY-MM-DD, or YYYY-MM-DDThh:mm:ssZ (UTC) for a repository with seconds"


def check_date(value: str | None, name: str) -> str | None:
    """An OAI-PMH date argument: YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ (UTC), a day that exists
    (values/dates.py); UsageError otherwise. `name` is the option: from or until."""
    if value is None:
        return None
    flag = f"{{--{name}|{'from_' if name == 'from' else name}=}}"  # --from on the command line, from_= in Python
    if not (_DATE.match(value) or _DATETIME.match(value)):
        raise UsageError(f"{flag} {value!r} is not an OAI-PMH date", hint=_DATE_HINT)
    try:
        parse_date(value[:10])
    except BadValue as exc:  # a day or month that does not exist, said as every importer says it
        raise UsageError(f"{flag}: {str(exc).removesuffix(f' ({ACCEPTED})')}", hint=_DATE_HINT) from None
    return value


def check_window(from_: str | None, until: str | None) -> None:
    """--from and --until: each a date (`check_date`), of the same granularity, from not after until."""
    check_date(from_, "from")
    check_date(until, "until")
    if from_ and until:
        if len(from_) != len(until):
            raise UsageError(f"{{--from|from_=}} {from_!r} and {{--until|until=}} {until!r} are not of the same "
                             "granularity (OAI-PMH refuses that)", hint="write both as days, or both with a time")
        if from_ > until:
            raise UsageError(f"{{--from|from_=}} {from_!r} is after {{--until|until=}} {until!r}: no record can "
                             "match", hint="swap them, or leave out --until")


def harvest(base_url: str, output: Path, options: HarvestOptions = HarvestOptions(),
            client: OaiClient | None = None, progress: Progress | None = None) -> HarvestReport:
    """Harvest into `output` (drafts and the harvest state); never raises for a bad record.
    `progress` hears of the records read, out of the list size the repository gives (else of
    those read so far).

    UsageError for a bad `from_`/`until`; InputError for a harvest state that cannot be
    trusted (`HarvestState.load`): both before any request is sent or any file written."""
    check_window(options.from_, options.until)
    state = HarvestState.load(output)
    client = client or OaiClient(base_url)
    report = HarvestReport(client.base_url, output)
    identify = client.identify()
    if identify.get("protocolVersion", "2.0") != "2.0":
        raise OaiError(f"{client.url('Identify')}: OAI-PMH version {identify['protocolVersion']}, not 2.0", "version")
    granularity = identify.get("granularity", "YYYY-MM-DD")
    report.choice = _choose(client, options.prefix)
    prefix = report.choice.format.prefix
    current = state.endpoint(client.base_url, prefix, options.set_spec)
    current.granularity = granularity
    run = _Run(client, report, current, state.files_of_others(current), options)
    try:
        if options.record:
            run.record(client.get_record(options.record, prefix))
        else:
            failed = sorted(i for i, r in current.records.items() if r.failed)
            report.asked_from = options.from_ or (None if options.full else _at(_since(current), granularity))
            report.retried = failed if not options.from_ and not options.full else []
            first = ""
            done = 0
            for page in client.pages(prefix, set_spec=options.set_spec, from_=report.asked_from,
                                     until=options.until):
                report.pages += 1
                first = first or page.response_date
                for record in page.records:
                    run.record(record)
                done += len(page.records)
                tell(progress, HARVESTING, done, max(done, page.complete_size or 0) if page.token else done)
            report.complete = True
            if _advances(options, current):
                current.last_harvest = first or current.last_harvest
                run.forget_failures_not_listed(failed, report.asked_from)
        if options.prune:
            run.prune()
    except (EndpointError, InputError) as exc:  # OaiError is an EndpointError
        report.failure = exc
    finally:
        output.mkdir(parents=True, exist_ok=True)
        state.save(current)
    return report


def _choose(client: OaiClient, forced: str | None) -> Choice:
    formats = client.metadata_formats()
    offered = ", ".join(f.prefix for f in formats) or "none"
    if forced:
        fmt = next((f for f in formats if f.prefix == forced), None)
        choice = choose_format([fmt]) if fmt else None
        if choice is None:
            raise UsageError(f"{client.url('ListMetadataFormats')}: metadata prefix {forced!r} is "
                             f"{'not offered' if fmt is None else 'neither DDI Codebook nor oai_dc'} "
                             f"(offered: {offered})", hint="leave out --prefix to take the richest DDI offered")
        return choice
    choice = choose_format(formats)
    if choice is None:
        raise OaiError(f"{client.url('ListMetadataFormats')}: the repository offers neither DDI Codebook nor oai_dc "
                       f"(offered: {offered})", "noMetadataFormats")
    return choice


def _at(last: str, granularity: str) -> str | None:
    """The last harvest's date as the repository's granularity writes a `from`."""
    if not last:
        return None
    return last if granularity.endswith("ssZ") and _DATETIME.match(last) else last[:10]


def _since(current: EndpointState) -> str:
    """Where an incremental harvest starts: the last complete harvest, or the datestamp of
    the earliest record that failed since (so it is asked for again); "" (everything) when
    a failed record's datestamp is not a date a `from` can give."""
    failed = [r.datestamp for r in current.records.values() if r.failed]
    if not current.last_harvest or not all(_DATE.match(d) or _DATETIME.match(d) for d in failed):
        return ""
    return min([current.last_harvest, *failed])


def _advances(options: HarvestOptions, current: EndpointState) -> bool:
    """Does this complete harvest cover everything since the last one (so `from` may move)?"""
    if options.until or options.set_spec != (current.set_spec or None):
        return False
    return not options.from_ or not current.last_harvest or options.from_ <= current.last_harvest[:len(options.from_)]


class _Run:
    """One harvest's records -> drafts on disk and the state's record map."""

    def __init__(self, client: OaiClient, report: HarvestReport, current: EndpointState, others: set[str],
                 options: HarvestOptions) -> None:
        self.client, self.report, self.current, self.options = client, report, current, options
        self.output = report.output
        self.protected = others | {p.name for p in self.output.glob("*.ttl")} if self.output.is_dir() else others
        self.reference = load_reference()
        self.written: set[str] = set()
        self.seen: set[str] = set()

    def record(self, record: OaiRecord) -> None:
        header = record.header
        self.seen.add(header.identifier)
        previous = self.current.records.get(header.identifier)
        if header.deleted:
            files = previous.files if previous else []
            self.report.deleted[header.identifier] = files
            self.current.records[header.identifier] = Harvested(header.datestamp, files, deleted=True,
                                                                sha256=previous.sha256 if previous else {})
            return
        if (previous and previous.datestamp == header.datestamp and not previous.deleted and not previous.failed
                and not self.options.full and self._present(previous)):
            self.report.unchanged += 1
            return
        url = self.client.record_url(header.identifier, self.report.choice.format.prefix if self.report.choice else "")
        try:
            drafts = self._drafts(record, url)
        except InputError as exc:  # remembered, so that the next harvest asks for it again
            self.report.errors.append(exc)
            self.current.records[header.identifier] = Harvested(header.datestamp, previous.files if previous else [],
                                                                failed=True, sha256=previous.sha256 if previous else {})
            return
        own = list(previous.files) if previous else []
        hashes: dict[str, str] = {}
        kept = [own[i] if i < len(own) and _names_it(own[i], draft) else None for i, draft in enumerate(drafts)]
        files = [self._write(draft, name, record, url, previous, hashes) for draft, name in zip(drafts, kept,
                                                                                                  strict=True)]
        for i, stale in enumerate(own):  # the file of a survey whose identifier changed at the source
            if i < len(files) and kept[i] is None and stale not in files:
                self.report.renamed[stale] = files[i]
        for stale in sorted(set(own) - set(files)):  # the record now gives fewer drafts, or others
            if self._edited(stale, previous):
                why = ("its survey is now " + self.report.renamed.pop(stale) + ": carry your edits into it, and "
                       "delete this file" if stale in self.report.renamed else
                       "not deleted, though its record no longer gives it")
                self.report.edited[stale] = why
                files.append(stale)  # still this record's file: an edit is never deleted
                hashes[stale] = previous.sha256[stale] if previous else ""
            else:
                self._path(stale).unlink(missing_ok=True)
        self.current.records[header.identifier] = Harvested(header.datestamp, files, sha256=hashes)

    def _edited(self, name: str, previous: Harvested | None, new: str | None = None) -> bool:
        """Was the draft file `name` changed since this harvest's state recorded it (the curator's
        work)? A state written before drafts' hashes were kept cannot say: a file that differs from
        the `new` draft about to replace it is then kept too (nothing is lost; at worst a `.new`
        file the same as it, to delete)."""
        recorded = previous.sha256.get(name) if previous else None
        path = self._path(name)
        if not path.is_file():
            return False
        if recorded is None:
            return new is not None and path.read_bytes() != new.encode("utf-8")
        return _sha256(path.read_bytes()) != recorded

    def forget_failures_not_listed(self, failed: list[str], asked_from: str | None) -> None:
        """A record that had failed, that this complete harvest should have listed again and
        did not, is no longer in the repository (or not in this set): not asked for again."""
        for identifier in failed:
            entry = self.current.records.get(identifier)
            if (entry is not None and entry.failed and identifier not in self.seen
                    and (asked_from is None or asked_from <= entry.datestamp)):
                entry.failed = False

    def _path(self, name: str) -> Path:
        """The drafts folder's file `name`: every file the harvest writes, reads or deletes is
        found here, and only a plain `<id>.ttl` is (io/names.py; the state was checked on load)."""
        problem = name_problem(name, DRAFT_SUFFIX)
        if problem:
            raise InputError(str(self.output / STATE_FILE), f"the draft file {name!r} {problem}; not touched",
                             hint="correct the harvest state, or delete it to harvest everything again")
        return self.output / name

    def _present(self, previous: Harvested) -> bool:
        return all(self._path(name).is_file() for name in previous.files)

    def _drafts(self, record: OaiRecord, url: str) -> list[Draft]:
        if record.metadata is None:
            raise InputError(url, "the record has no metadata", hint="the repository's answer is broken")
        assert self.report.choice is not None
        if self.report.choice.kind == "dc":
            name = dc_identifier(record.metadata) or slug(record.header.identifier.rsplit(":", 1)[-1]) or "unnamed"
            return [import_dc(record.metadata, url, name, reference=self.reference, lang=self.options.lang)]
        data = etree.tostring(record.metadata, encoding="utf-8")
        return import_ddi(data, url, reference=self.reference, agencies=self.options.agencies, lang=self.options.lang)

    def _write(self, draft: Draft, name: str | None, record: OaiRecord, url: str, previous: Harvested | None,
               hashes: dict[str, str]) -> str:
        """Write one draft with its provenance under `name` (the file it had), else a free name;
        over a file the curator edited since, the new draft goes beside it (`<name>.new`), the
        edit kept, and the state keeps the hash of what the harvest wrote there before."""
        _provenance(draft, record, url, self.client.base_url, self.report.choice)
        if name is None or name in self.written:
            n = 1
            name = draft_filename(draft.identifier)
            while name in self.written or name in self.protected:
                n += 1
                name = draft_filename(draft.identifier, n)
        self._path(name)  # the one rule for a name in the folder, whatever the state said
        text = draft.turtle()
        if self._edited(name, previous, text):
            aside = self.output / f"{name}.new"  # no record suffix: validate and publish never read it
            write_text(aside, text)
            draft.report.output = str(aside)
            self.written.add(name)
            self.report.edited[name] = (f"the new draft is {aside.name}: compare them, carry what changed into "
                                        f"{name}, and delete {aside.name}")
            if previous is not None and name in previous.sha256:  # still the harvest's, not the edit's
                hashes[name] = previous.sha256[name]
        else:
            write_draft(draft, self.output, self.written, name)
            hashes[name] = _sha256(text.encode("utf-8"))
        self.report.reports.append(draft.report)
        return name

    def prune(self) -> None:
        """Delete the drafts of records deleted at the source (never another harvest's files)."""
        for identifier, entry in sorted(self.current.records.items()):
            if not entry.deleted:
                continue
            for name in entry.files:
                path = self._path(name)
                if path.is_file() and name not in self.written:
                    if self._edited(name, entry):
                        self.report.edited[name] = "not pruned, though its record was deleted at the source"
                        continue
                    path.unlink()
                    self.report.pruned.append(name)
            del self.current.records[identifier]


def _names_it(name: str, draft: Draft) -> bool:
    """Is `name` a file name of the draft's identifier (`<id>.ttl`, `<id>-<n>.ttl`)? Not when the
    survey's identifier changed at the source (a new IDNo): its draft then takes its own name,
    and a file named after the old identifier is not left describing another survey."""
    first = draft_filename(draft.identifier)
    stem = first.removesuffix(DRAFT_SUFFIX)
    return name == first or re.fullmatch(rf"{re.escape(stem)}-[0-9]+{re.escape(DRAFT_SUFFIX)}", name) is not None


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _provenance(draft: Draft, record: OaiRecord, url: str, base_url: str, choice: Choice | None) -> None:
    header = record.header
    graph, survey = draft.graph, draft.survey
    graph.add((survey, DCT.source, URIRef(url)))
    node = stable_bnode(survey, "oai", header.identifier, header.datestamp)
    graph.add((survey, PROV.wasDerivedFrom, node))
    graph.add((node, RDF.type, PROV.Entity))
    graph.add((node, DCT.identifier, Literal(header.identifier)))
    if _DATETIME.match(header.datestamp) or _DATE.match(header.datestamp):
        kind = XSD.dateTime if "T" in header.datestamp else XSD.date
        graph.add((node, DCT.modified, Literal(header.datestamp, datatype=kind)))
    prefix = choice.format.prefix if choice else "?"
    draft.header.append(f"Harvested by `migrmeta harvest oai` from {base_url}: OAI-PMH record {header.identifier}, "
                        f"datestamp {header.datestamp}, metadata prefix {prefix}.")


def render_harvest(report: HarvestReport) -> str:
    """The harvest for people: what was asked, written, deleted and pruned, and what failed."""
    choice = report.choice
    what = f"DDI Codebook {choice.version}" if choice and choice.kind == "ddi" else "Dublin Core"
    lines = [f"harvested {report.base_url} ({choice.format.prefix if choice else '?'}: {what}) into "
             f"{report.output}/: {plural(len(report.reports), 'draft')} written"
             + (f", {report.unchanged} unchanged" if report.unchanged else "")
             + (f", {plural(report.pages, 'page')}" if report.pages else "")
             + (f" (records changed since {report.asked_from})" if report.asked_from else "")
             + (f"; asked again for {plural(len(report.retried), 'record')} not imported before"
                if report.retried else "")]
    for identifier, files in sorted(report.deleted.items()):
        kept = [f for f in files if f not in report.pruned and f not in report.edited]
        where = f"; drafts kept: {', '.join(kept)} (--prune deletes them)" if kept else ""
        lines.append(f"  deleted at the source: {identifier}{where}")
    lines += [f"  pruned {name} (its record was deleted at the source)" for name in report.pruned]
    lines += [f"  renamed {old} -> {new} (the survey's identifier changed at the source)"
              for old, new in sorted(report.renamed.items())]
    lines += [f"  kept {name}: edited since it was harvested; {what}" for name, what in sorted(report.edited.items())]
    lines += [f"  not imported: {error}" for error in report.errors]
    if report.errors:
        lines.append(f"  {plural(len(report.errors), 'record')} marked failed in {report.output / STATE_FILE}: "
                     "the next harvest asks for them again (their earlier drafts, if any, are kept)")
    if report.failure is not None:
        lines.append(f"  stopped: {report.failure}")
        lines.append("  the drafts written are kept; the next harvest asks again for everything since the last "
                     "complete one")
    return "\n".join(lines) + "\n"


__all__ = ["HarvestOptions", "HarvestReport", "check_date", "check_window", "harvest", "render_harvest"]
