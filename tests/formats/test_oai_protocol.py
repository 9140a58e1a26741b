"""OAI-PMH responses read by formats/oai/protocol.py, and the choice of metadata format."""

from __future__ import annotations

import pytest
from paths import DATA

from migrmeta.errors import InputError
from migrmeta.formats.oai.client import choose_format
from migrmeta.formats.oai.protocol import MetadataFormat, OaiError, read_response

OAI = "http://www.openarchives.org/OAI/2.0/"


def envelope(body: str) -> bytes:
    return (f'<?xml version="1.0"?><OAI-PMH xmlns="{OAI}"><responseDate>2024-01-02T03:04:05Z</responseDate>'
            f"<request>http://x/oai</request>{body}</OAI-PMH>").encode()


DC = MetadataFormat("oai_dc", "", "http://www.openarchives.org/OAI/2.0/oai_dc/")
DDI122 = MetadataFormat("ddi", "", "http://www.icpsr.umich.edu/DDI")
DDI25 = MetadataFormat("oai_ddi", "", "ddi:codebook:2_5")  # Dataverse's name for DDI-C 2.5
DDI26 = MetadataFormat("ddi_c_26", "", "ddi:codebook:2_6")


@pytest.mark.parametrize(("offered", "prefix", "version"), [
    ([DC, DDI122, DDI25, DDI26], "ddi_c_26", "2.6"),
    ([DC, DDI122, DDI25], "oai_ddi", "2.5"),
    ([DDI122, DC], "ddi", "1.2.2"),
    ([DC], "oai_dc", ""),
    # by name when the namespace says nothing (CESSDA-like prefixes)
    ([DC, MetadataFormat("oai_ddi25", "", "http://example.org/unknown")], "oai_ddi25", "2.5"),
    # the namespace beats a name for the same version
    ([MetadataFormat("ddi25", "", ""), MetadataFormat("zz", "", "ddi:codebook:2_5")], "zz", "2.5"),
])
def test_the_richest_format_is_chosen(offered: list[MetadataFormat], prefix: str, version: str) -> None:
    choice = choose_format(offered)
    assert choice is not None and choice.format.prefix == prefix and choice.version == version


def test_no_usable_format() -> None:
    assert choose_format([MetadataFormat("marc21", "", "http://www.loc.gov/MARC21/slim")]) is None


def test_records_deleted_ones_and_the_token() -> None:
    page = read_response(envelope(
        '<ListRecords><record><header><identifier>oai:a:1</identifier><datestamp>2024-01-01</datestamp>'
        '<setSpec>s</setSpec></header><metadata><codeBook xmlns="ddi:codebook:2_5"/></metadata></record>'
        '<record><header status="deleted"><identifier>oai:a:2</identifier><datestamp>2024-01-02</datestamp>'
        '</header></record><resumptionToken completeListSize="9" cursor="0">abc</resumptionToken></ListRecords>'),
        "http://x/oai?verb=ListRecords", "ListRecords")
    assert page.response_date == "2024-01-02T03:04:05Z" and page.token == "abc" and page.complete_size == 9
    first, second = page.records
    assert (first.header.identifier, first.header.sets, first.header.deleted) == ("oai:a:1", ("s",), False)
    assert first.metadata is not None and first.metadata.tag == "{ddi:codebook:2_5}codeBook"
    assert second.header.deleted and second.metadata is None


def test_the_last_page_has_an_empty_token() -> None:
    page = read_response(envelope('<ListRecords><resumptionToken completeListSize="2" cursor="2"/></ListRecords>'),
                         "x", "ListRecords")
    assert page.token is None and page.records == []


def test_no_records_match_is_empty_and_other_errors_raise() -> None:
    assert read_response(envelope('<error code="noRecordsMatch">none</error>'), "x", "ListRecords").records == []
    with pytest.raises(OaiError) as raised:
        read_response(envelope('<error code="badResumptionToken">expired</error>'), "http://x/oai?t", "ListRecords")
    assert raised.value.code == "badResumptionToken" and "run the harvest again" in str(raised.value)
    assert "http://x/oai?t" in str(raised.value) and "expired" in str(raised.value)


@pytest.mark.parametrize("answer", [
    b"<html><body><p>Welcome<br></body></html>",  # not XML
    b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"/>',  # XML, not OAI-PMH
    b'<?xml version="1.0"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/1.1/"/>',  # another version
])
def test_an_answer_that_is_not_oai_pmh(answer: bytes) -> None:
    with pytest.raises(OaiError, match=r"not an OAI-PMH 2\.0 endpoint") as raised:
        read_response(answer, "http://x/oai?verb=Identify", "Identify")
    assert raised.value.hint and "base URL" in raised.value.hint


def test_broken_xml_names_the_line_and_entities_are_refused() -> None:
    broken = envelope("<ListRecords><record><header>").replace(b"<header>", b"\n\n<header>")
    with pytest.raises(InputError) as raised:
        read_response(broken, "http://x/oai?verb=ListRecords", "ListRecords")
    assert raised.value.location.line is not None
    bomb = (DATA / "ddi" / "billion-laughs.xml").read_bytes()
    with pytest.raises(InputError, match="entity"):
        read_response(bomb, "http://x/oai", "ListRecords")


def test_identify_and_formats() -> None:
    identify = read_response(envelope(
        "<Identify><repositoryName>R</repositoryName><protocolVersion>2.0</protocolVersion>"
        "<granularity>YYYY-MM-DDThh:mm:ssZ</granularity><description><x/></description></Identify>"), "x", "Identify")
    assert identify.identify == {"repositoryName": "R", "protocolVersion": "2.0", "granularity": "YYYY-MM-DDThh:mm:ssZ"}
    formats = read_response(envelope(
        "<ListMetadataFormats><metadataFormat><metadataPrefix>oai_dc</metadataPrefix><schema>s</schema>"
        "<metadataNamespace>n</metadataNamespace></metadataFormat></ListMetadataFormats>"), "x", "ListMetadataFormats")
    assert formats.formats == [MetadataFormat("oai_dc", "s", "n")]


def test_dublin_core_with_elements_of_other_namespaces_says_it_does_not_read_them() -> None:
    """dcterms:spatial, dcterms:temporal, dcterms:abstract beside dc:title were dropped and the report
    said 'nothing lost' (the curator's review)."""
    from lxml import etree

    from migrmeta.formats.oai.dc import import_dc

    element = etree.fromstring(
        '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">'
        "<dc:title>Enquête migration 2019</dc:title><!-- a comment -->"
        "<dcterms:spatial>Senegal</dcterms:spatial><dcterms:temporal>2019-2020</dcterms:temporal>"
        "<dcterms:abstract>Households of Dakar.</dcterms:abstract></oai_dc:dc>")
    draft = import_dc(element, "oai:example:1", "enquete-migration-2019")
    lost = {entry.location: entry.note for entry in draft.report.lost}
    assert set(lost) == {"oai_dc:dc/dcterms:spatial", "oai_dc:dc/dcterms:temporal", "oai_dc:dc/dcterms:abstract"}
    assert all("not an element of Dublin Core" in note for note in lost.values())
