"""Real web servers (Debian's packages) serving a published site on 127.0.0.1, for the tests.

    def test_x(web_server_factory): server = web_server_factory("apache", site); server.url + "survey/es-eni-2007"

`web_server_factory(kind, site)` starts nginx, Apache httpd or Caddy on a free port, with its
own configuration, pid file and logs in a temporary folder, the site's own configuration from
`server/` included as its comments tell a user to (nginx: `include` in the server block;
Apache: in the site folder's `<Directory>`; Caddy: `import` in the site block, before
`file_server`). Each is stopped after the test module. A missing server skips on a
developer's machine and fails in CI (`.ci/install-browser.sh` installs all three).

Apache will not serve as root: when the tests run as root, its workers run as `www-data`
and serve a copy of the site in a folder they may read (pytest's temporary folders are
private to their owner).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

KINDS = ("nginx", "apache", "caddy")
NGINX = os.environ.get("MIGRMETA_NGINX", "/usr/sbin/nginx")
APACHE = os.environ.get("MIGRMETA_APACHE", "/usr/sbin/apache2")
APACHE_MODULES = Path("/usr/lib/apache2/modules")
CADDY = os.environ.get("MIGRMETA_CADDY", "/usr/bin/caddy")
NGINX_MIME_TYPES = Path("/etc/nginx/mime.types")
MIME_TYPES = Path("/etc/mime.types")  # Debian's media-types package: Apache's list

NGINX_CONFIG = """daemon off;
master_process off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include {mime};
    default_type application/octet-stream;
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        root {site};
        include {site}/server/nginx.conf;
    }}
}}
"""

APACHE_CONFIG = """ServerRoot {prefix}
ServerName localhost
Listen 127.0.0.1:{port}
PidFile {prefix}/httpd.pid
ErrorLog {prefix}/error.log
LogLevel warn
{user}
LoadModule mpm_event_module {modules}/mod_mpm_event.so
LoadModule authz_core_module {modules}/mod_authz_core.so
LoadModule mime_module {modules}/mod_mime.so
LoadModule rewrite_module {modules}/mod_rewrite.so
LoadModule headers_module {modules}/mod_headers.so
TypesConfig {mime}
Mutex file:{prefix} default
DocumentRoot {site}
<Directory />
    AllowOverride None
    Require all denied
</Directory>
<Directory {site}>
    AllowOverride None
    Require all granted
    Include {site}/server/httpd.conf
</Directory>
"""

CADDY_CONFIG = """{{
    admin off
    auto_https off
    storage file_system {prefix}/storage
}}
http://127.0.0.1:{port} {{
    root * {site}
    import {site}/server/Caddyfile
    file_server
    log {{
        output file {prefix}/error.log
    }}
}}
"""


@dataclass
class WebServer:
    kind: str
    url: str
    process: subprocess.Popen[bytes]
    prefix: Path

    def log(self) -> str:
        path = self.prefix / "error.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _require(kind: str, *paths: Path | str) -> None:
    if all(Path(p).exists() for p in paths):
        return
    if os.environ.get("CI"):
        pytest.fail(f"{kind} is missing in CI: .ci/install-browser.sh should have installed it")
    pytest.skip(f"{kind} is missing (install with .ci/install-browser.sh)")


def _readable_copy(site: Path) -> Path:
    """The site in a folder Apache's workers (www-data) may read: the tests may run as root."""
    folder = Path(tempfile.mkdtemp(prefix="migrmeta-apache-"))
    folder.chmod(0o755)
    copy = folder / "site"
    shutil.copytree(site, copy)
    for path in (copy, *copy.rglob("*")):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return copy


def _configured(kind: str, prefix: Path, port: int, site: Path) -> list[str]:
    """Writes the server's configuration; the command that runs it in the foreground."""
    if kind == "nginx":
        _require("nginx", NGINX, NGINX_MIME_TYPES)
        config = prefix / "nginx.conf"
        config.write_text(NGINX_CONFIG.format(prefix=prefix, port=port, site=site, mime=NGINX_MIME_TYPES),
                          encoding="utf-8")
        check = subprocess.run([NGINX, "-t", "-p", str(prefix), "-c", str(config)], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        return [NGINX, "-p", str(prefix), "-c", str(config)]
    if kind == "apache":
        _require("Apache httpd", APACHE, APACHE_MODULES / "mod_rewrite.so", MIME_TYPES)
        user = "User www-data\nGroup www-data" if os.geteuid() == 0 else ""
        config = prefix / "httpd.conf"
        config.write_text(APACHE_CONFIG.format(prefix=prefix, port=port, site=site, mime=MIME_TYPES, user=user,
                                               modules=APACHE_MODULES), encoding="utf-8")
        check = subprocess.run([APACHE, "-t", "-f", str(config)], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        return [APACHE, "-f", str(config), "-DFOREGROUND"]
    assert kind == "caddy", kind
    _require("Caddy", CADDY)
    config = prefix / "Caddyfile"
    config.write_text(CADDY_CONFIG.format(prefix=prefix, port=port, site=site), encoding="utf-8")
    check = subprocess.run([CADDY, "validate", "--adapter", "caddyfile", "--config", str(config)],
                           capture_output=True, text=True, env=_caddy_env(prefix))
    assert check.returncode == 0, check.stderr + check.stdout
    return [CADDY, "run", "--adapter", "caddyfile", "--config", str(config)]


def _caddy_env(prefix: Path) -> dict[str, str]:
    """Caddy keeps its data and configuration under the test's folder, not the user's home."""
    return {**os.environ, "HOME": str(prefix), "XDG_DATA_HOME": str(prefix / "data"),
            "XDG_CONFIG_HOME": str(prefix / "config")}


@pytest.fixture(scope="module")
def web_server_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str, Path], WebServer]]:
    started: list[WebServer] = []
    copies: list[Path] = []

    def start(kind: str, site: Path) -> WebServer:
        prefix = tmp_path_factory.mktemp(kind)
        port = _free_port()
        if kind == "apache" and os.geteuid() == 0:
            site = _readable_copy(site)
            copies.append(site.parent)
        command = _configured(kind, prefix, port, site)
        with (prefix / "stderr.log").open("wb") as log:  # the server keeps its own copy of the file
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log,
                                       env=_caddy_env(prefix) if kind == "caddy" else None)
        server = WebServer(kind, f"http://127.0.0.1:{port}/", process, prefix)
        started.append(server)
        for _ in range(100):  # up to ~10 s for the port to open
            if process.poll() is not None:
                raise AssertionError(f"{kind} stopped: {server.log()}{(prefix / 'stderr.log').read_text()}")
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    return server
            time.sleep(0.1)
        raise AssertionError(f"{kind} did not open port {port}: {server.log()}")

    yield start
    for server in started:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()
    for folder in copies:
        shutil.rmtree(folder, ignore_errors=True)
