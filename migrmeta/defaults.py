"""Every default migrmeta has, declared once: the library's parameters and the CLI's options
both read them here (flag > default). Importing this module loads nothing else, so the CLI
can build its options without importing the RDF libraries.
"""

from __future__ import annotations

import os
from pathlib import Path

RECORDS = Path("records")  # the catalogue's records, relative to where migrmeta runs
SITE = Path("site")  # where `publish` writes
PUBLISH_WAIT = 60.0  # seconds a publish waits for another one writing the same site
LANGUAGES = ("en", "fr", "es")  # of messages, forms and pages
INPUT_FORMATS = ("turtle", "ntriples", "nquads", "trig", "rdfxml", "jsonld")  # rdf.syntaxes.NAMES (tested)


def cpus() -> int:
    """The CPUs this process may use: worker processes when `--jobs` is not given."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


# HTTP (the one client, io/http.py)
HTTP_TIMEOUT = 30.0  # seconds to connect, and between bytes
HTTP_RETRIES = 3
HTTP_BACKOFF = 0.5  # seconds, doubled at each retry

# import dcat
DCAT_TIMEOUT = 60.0  # portals can be slow
DCAT_MAX_MB = 50.0  # as ckanext-dcat's harvester
DCAT_MAX_PAGES = 100

# outputs
VALIDATION_FORMATS = ("text", "json", "turtle", "junit")
QUERY_TABLE_FORMATS = ("table", "csv", "tsv", "json")
QUERY_GRAPH_FORMATS = ("turtle", "jsonld")
INVENTORY_FORMATS = ("csv", "html", "markdown")
LOSS_REPORT_FORMATS = ("text", "json")
TEMPLATE_FORMATS = ("xlsx", "csv", "yaml")
EXAMPLE_SURVEY = "ph-sof-2019"  # the template's example row

# merge and publish: who contributed files without surveys (agencies.ttl), and the catalogue's
# default publisher: the maintainers of the catalogue
MAINTAINER_AGENCY = "https://w3id.org/migrmeta/agency/migrmeta"

# harvest oai
OAI_MAX_PAGES = 10_000

# diff
DIFF_FORMATS = ("text", "markdown", "json")

# report quality and report sources
QUALITY_FORMATS = ("text", "markdown", "csv", "json")
QUALITY_BY = ("record", "agency")  # the rows of the CSV
SOURCES_FORMATS = ("text", "markdown", "csv", "json")
SOURCE_KINDS = ("publisher", "doi", "archive", "legal", "mirror", "news", "other")  # validation.sources.KINDS (tested)
SOURCES_TIMEOUT = 10.0  # seconds for each HEAD request of `report sources --check`
SOURCES_DELAY = 1.0  # seconds at least between two requests to one host
