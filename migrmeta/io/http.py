"""The one HTTP client: every request migrmeta sends (import dcat, query --endpoint, push,
harvest) goes through `HttpClient`.

- Retries with exponential backoff for connection errors and 429/500/502/503/504, by
  urllib3's `Retry`, honouring `Retry-After` (capped by the time left).
- A connect/read timeout, and a total deadline for the whole exchange (`http_seconds`): a
  server that trickles a byte a second cannot hold us past it.
- A size cap on every response (`http_mb`), enforced while streaming, before the body is
  in memory.
- Credentials from the environment (MIGRMETA_TOKEN, or MIGRMETA_USER and MIGRMETA_PASSWORD,
  Basic or, when the server asks for it, Digest) or ~/.netrc; never in a message.

Every failure is an `EndpointError` naming the URL (without credentials) and saying what
to do; importers turn it into an `InputError` for their source. What to do about an HTTP
error status depends on what was asked (a SPARQL store, an OAI-PMH repository, a DCAT
catalogue): the caller gives its own hints by status (`hints`), over the general ones.
"""

from __future__ import annotations

import base64
import html
import os
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from migrmeta.errors import EndpointError, UsageError
from migrmeta.limits import current
from migrmeta.messages import plural
from migrmeta.resources import version

DEFAULT_TIMEOUT = 30.0  # seconds to connect, and between bytes
DEFAULT_RETRIES = 3
DEFAULT_BACKOFF = 0.5
ENV_USER, ENV_PASSWORD, ENV_TOKEN = "MIGRMETA_USER", "MIGRMETA_PASSWORD", "MIGRMETA_TOKEN"
RETRY_STATUSES = (429, 500, 502, 503, 504)
# What to do about an error status whatever was asked; a caller's `hints` say it for its kind of server.
STATUS_HINTS = {
    401: f"give credentials: {ENV_USER} and {ENV_PASSWORD}, or {ENV_TOKEN}, or a ~/.netrc entry",
    403: "the credentials are not allowed to do this",
    404: "check the URL",
}
_CHUNK = 64 * 1024


@dataclass
class Response:
    """A whole response, read within the limits."""

    url: str  # after redirects
    status: int
    headers: Mapping[str, str] = field(repr=False)
    content: bytes = field(repr=False)

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "").split(";")[0].strip().lower()

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")


class _Bearer(requests.auth.AuthBase):
    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.token}"
        return request


@dataclass(frozen=True)
class Credentials:
    user: str | None = None
    password: str | None = None
    token: str | None = None

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> Credentials:
        token = environ.get(ENV_TOKEN)
        if token:
            return cls(token=token)
        user, password = environ.get(ENV_USER), environ.get(ENV_PASSWORD)
        if bool(user) != bool(password):
            raise UsageError(f"set both {ENV_USER} and {ENV_PASSWORD}, or neither")
        return cls(user=user, password=password)

    def auth(self, scheme: str = "basic") -> requests.auth.AuthBase | None:
        if self.token:
            return _Bearer(self.token)
        if self.user and self.password:
            if scheme == "digest":
                return requests.auth.HTTPDigestAuth(self.user, self.password)
            return requests.auth.HTTPBasicAuth(self.user, self.password)
        return None  # requests reads ~/.netrc

    def secrets(self) -> list[str]:
        if self.token:
            return [self.token]
        if self.user and self.password:
            return [self.password, base64.b64encode(f"{self.user}:{self.password}".encode()).decode()]
        return []


def safe_url(url: str) -> str:
    """The URL without user name and password, for messages."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


class _Retry(Retry):
    """urllib3's Retry, with `Retry-After` capped so that a server cannot park us for hours."""

    cap = 60.0

    def get_retry_after(self, response: Any) -> float | None:
        found = super().get_retry_after(response)
        return None if found is None else min(found, self.cap)


class HttpClient:
    """requests with retries, timeouts, a total deadline, a size cap and scrubbed errors."""

    def __init__(self, *, timeout: float = DEFAULT_TIMEOUT, retries: int = DEFAULT_RETRIES,
                 backoff: float = DEFAULT_BACKOFF, max_bytes: int | None = None, deadline: float | None = None,
                 environ: Mapping[str, str] | None = None) -> None:
        limits = current()
        self.timeout, self.retries, self.backoff = timeout, retries, backoff
        self.max_bytes = max_bytes if max_bytes is not None else limits.http_bytes
        self.deadline = deadline if deadline is not None else limits.http_seconds
        self.credentials = Credentials.from_environment(os.environ if environ is None else environ)
        self.session = requests.Session()
        self.session.headers["User-Agent"] = f"migrmeta/{version()} (+https://w3id.org/migrmeta)"
        self.session.auth = self.credentials.auth()
        retry = _Retry(total=retries, connect=retries, read=0, status=retries, other=0, backoff_factor=backoff,
                       status_forcelist=RETRY_STATUSES, allowed_methods=None, raise_on_status=False,
                       respect_retry_after_header=True)
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def scrub(self, text: str, url: str = "") -> str:
        """`text` without any secret this client knows of (environment, URL, ~/.netrc)."""
        secrets = self.credentials.secrets()
        parts = urlsplit(url)
        if parts.password:
            secrets.append(parts.password)
        netrc = requests.utils.get_netrc_auth(url) if url and self.session.auth is None else None
        if netrc:
            secrets += [netrc[1], base64.b64encode(f"{netrc[0]}:{netrc[1]}".encode()).decode()]
        for secret in sorted(set(secrets), key=len, reverse=True):
            if len(secret) >= 3:
                text = text.replace(secret, "***")
        return text

    def request(self, method: str, url: str, *, what: str, ok: tuple[int, ...] = (),
                hints: Mapping[int, str] | None = None, **kwargs: Any) -> Response:
        """Send one request and read the whole answer; an EndpointError on any failure.

        Statuses of 400 and over are errors unless listed in `ok`; `hints` say what to do
        about a status for this kind of server (404: which URL to give), over `STATUS_HINTS`.
        """
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UsageError(f"{what}: {safe_url(url)!r} is not an http(s) URL")
        started = time.monotonic()
        response = self._send(method, url, what, started, kwargs)
        if response.status_code == 401 and self._switch_to_digest(response):
            response.close()
            response = self._send(method, url, what, started, kwargs)
        try:
            content = self._read(response, url, what, started)
        finally:
            response.close()
        result = Response(response.url or url, response.status_code, response.headers, content)
        if result.status >= 400 and result.status not in ok:
            raise self._http_error(result, what, url, hints or {})
        return result

    def _send(self, method: str, url: str, what: str, started: float, kwargs: dict[str, Any]) -> requests.Response:
        shown, tried = safe_url(url), plural(self.retries + 1, "time")
        try:
            return self.session.request(method, url, timeout=(self.timeout, self._left(started, url, what)),
                                        stream=True, **kwargs)
        except requests.exceptions.RetryError as exc:
            raise self._fail(what, f"{shown} kept failing ({_reason(exc)}; tried {tried})", url,
                             hint="the server is overloaded or down; try again later") from None
        except requests.ConnectionError as exc:
            if "ReadTimeoutError" in repr(exc.args):  # urllib3's read timeout, wrapped by requests
                raise self._fail(what, f"{shown} timed out: no answer within {self.timeout:g} s", url,
                                 hint="raise {--timeout|timeout=}, or try again later") from None
            raise self._fail(what, f"cannot reach {shown} ({_reason(exc)}; tried {tried})", url,
                             hint="is the server running, and is the URL right?") from None
        except requests.Timeout:
            raise self._fail(what, f"{shown} timed out: no answer within {self.timeout:g} s", url,
                             hint="raise {--timeout|timeout=}, or try again later") from None
        except requests.RequestException as exc:
            raise self._fail(what, f"{shown}: {exc}", url) from None

    def _left(self, started: float, url: str, what: str) -> float:
        left = self.deadline - (time.monotonic() - started)
        if left <= 0:
            raise self._fail(what, f"{safe_url(url)} timed out: not finished within {self.deadline:g} s "
                             "(limit `http_seconds`)", url, hint="try again later or raise "
                             "{--limit http_seconds=N|the limit http_seconds}")
        return min(self.timeout, left)

    def _read(self, response: requests.Response, url: str, what: str, started: float) -> bytes:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise self._too_big(url, what, f"is {int(declared) / 1e6:.1f} MB")
        chunks: list[bytes] = []
        size = 0
        raw = response.raw
        try:
            while True:
                self._left(started, url, what)
                chunk = raw.read1(_CHUNK, decode_content=True)  # returns as soon as some bytes arrive
                if not chunk:
                    break
                size += len(chunk)
                if size > self.max_bytes:
                    raise self._too_big(url, what, "is larger")
                chunks.append(chunk)
        except EndpointError:
            raise
        except Exception as exc:  # urllib3's ReadTimeoutError / ProtocolError, socket errors
            if isinstance(exc, OSError | requests.RequestException) or type(exc).__module__.startswith("urllib3"):
                raise self._fail(what, f"{safe_url(url)}: the answer broke off ({_reason(exc)})", url,
                                 hint="try again later, or raise {--timeout|timeout=}") from None
            raise
        return b"".join(chunks)

    def _too_big(self, url: str, what: str, size: str) -> EndpointError:
        return self._fail(what, f"{safe_url(url)}: the answer {size}, over the {self.max_bytes / 1e6:g} MB limit "
                          "(limit `http_mb`); reading stopped", url,
                          hint="raise {--limit http_mb=N|the limit http_mb}, or ask for less (a LIMIT in the query)")

    def _fail(self, what: str, detail: str, url: str, *, hint: str | None = None,
              status: int | None = None) -> EndpointError:
        detail = self.scrub(detail, url)
        return EndpointError(f"{what}: {detail}", hint=hint, status=status, detail=detail)

    def _switch_to_digest(self, response: requests.Response) -> bool:
        """We sent Basic and the server refused it, asking for Digest or for nothing at all
        (Virtuoso refuses right Basic credentials with a bare 401): try once more with Digest."""
        challenge = response.headers.get("WWW-Authenticate", "").strip().lower()
        if (challenge and not challenge.startswith("digest")) or not self.credentials.password:
            return False
        if isinstance(self.session.auth, requests.auth.HTTPDigestAuth):
            return False
        self.session.auth = self.credentials.auth("digest")
        return True

    def _http_error(self, response: Response, what: str, url: str, hints: Mapping[int, str]) -> EndpointError:
        body = _words_of(response)
        status = response.status
        hint = hints.get(status) or STATUS_HINTS.get(status)
        reason = requests.status_codes._codes.get(status, ("",))[0].replace("_", " ")
        detail = f"{safe_url(url)} answered HTTP {status} {reason}".rstrip() + (f": {body}" if body else "")
        return self._fail(what, detail, url, hint=hint, status=status)


# markup to drop from an error page: scripts and styles whole, comments, tags (an unclosed one to the end)
_TAG = re.compile(r"<(script|style)\b.*?(?:</\1\s*>|$)|<!--.*?(?:-->|$)|<[^>]*>", re.IGNORECASE | re.DOTALL)


def _words_of(response: Response, most: int = 300) -> str:
    """What an error answer says, for a message: an HTML page's words without its markup (a
    server's error page), any other body as it is, on one line, at most `most` characters."""
    text = response.text[:200_000]  # an error page, not a download: its words are near its start
    if response.content_type in ("text/html", "application/xhtml+xml") or text.lstrip()[:15].lower().startswith(
            ("<!doctype html", "<html")):
        text = html.unescape(_TAG.sub(" ", text))  # the markup dropped before the words are cut
    words = " ".join(text.split())
    return words if len(words) <= most else words[:most].rsplit(" ", 1)[0] + " …"


def _reason(exc: BaseException) -> str:
    text = str(exc)
    match = re.search(r"\[Errno -?\d+\] ([^'\")\]]+)", text)
    if match:
        return match.group(1).strip()
    if "RemoteDisconnected" in text or "Connection aborted" in text:
        return "the server closed the connection"
    if "too many" in text and "error responses" in text:
        status = re.search(r"too many (\d+) error", text)
        return f"HTTP {status.group(1)}" if status else "error responses"
    if "Read timed out" in text:
        return "no bytes within the timeout"
    return type(exc).__name__


__all__ = ["DEFAULT_BACKOFF", "DEFAULT_RETRIES", "DEFAULT_TIMEOUT", "ENV_PASSWORD", "ENV_TOKEN", "ENV_USER",
           "STATUS_HINTS", "Credentials", "HttpClient", "Response", "safe_url"]
