"""A real nginx (Debian's package) serving a published site on 127.0.0.1, for the tests.

    def test_x(nginx_site): nginx_site.url + "survey/es-eni-2007"

`nginx_factory(site)` starts nginx on a free port with its own prefix, configuration and
logs in a temporary folder: the site's own `server/nginx.conf` included in the server block,
Debian's mime.types, no daemon, no user switch. It is stopped after the test module. Missing
nginx skips on a developer's machine and fails in CI (`.ci/install-browser.sh` installs it).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

NGINX = os.environ.get("MIGRMETA_NGINX", "/usr/sbin/nginx")
MIME_TYPES = Path("/etc/nginx/mime.types")
CONFIG = """daemon off;
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


@dataclass
class Nginx:
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


def _missing() -> None:
    if os.environ.get("CI"):
        pytest.fail("nginx is missing in CI: .ci/install-browser.sh should have installed it")
    pytest.skip("nginx is missing (install with .ci/install-browser.sh)")


@pytest.fixture(scope="module")
def nginx_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[Path], Nginx]]:
    started: list[Nginx] = []

    def start(site: Path) -> Nginx:
        if not (Path(NGINX).is_file() or shutil.which("nginx")) or not MIME_TYPES.is_file():
            _missing()
        prefix = tmp_path_factory.mktemp("nginx")
        port = _free_port()
        config = prefix / "nginx.conf"
        config.write_text(CONFIG.format(prefix=prefix, port=port, site=site, mime=MIME_TYPES), encoding="utf-8")
        check = subprocess.run([NGINX, "-t", "-p", str(prefix), "-c", str(config)], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        process = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(config)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        server = Nginx(f"http://127.0.0.1:{port}/", process, prefix)
        started.append(server)
        for _ in range(100):  # up to ~10 s for the port to open
            if process.poll() is not None:
                raise AssertionError(f"nginx stopped: {server.log()}")
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    return server
            time.sleep(0.1)
        raise AssertionError(f"nginx did not open port {port}: {server.log()}")

    yield start
    for server in started:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()
