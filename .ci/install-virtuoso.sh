#!/usr/bin/env bash
# Install Virtuoso Open Source 7 for the tests (tests/virtuoso_server.py) when it is missing.
#
# Debian 12's `virtuoso-opensource-7-bin` has what the tests run: the server `virtuoso-t` and
# its SQL client `isql-vt`. It is what the metapackage `virtuoso-opensource` depends on, without
# the parts a test does not need: no debconf question (the dba password), no init script, no
# system service on ports 8890/1111, no database under /var/lib. The tests start their own
# throwaway server on 127.0.0.1. Idempotent and quiet; needs root (or password-less sudo).
set -euo pipefail

if command -v virtuoso-t >/dev/null && command -v isql-vt >/dev/null; then
    exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        as_root=(sudo -n)
    else
        echo "install-virtuoso: virtuoso-t is missing and this is not root: run as root" \
             "apt-get install --no-install-recommends virtuoso-opensource-7-bin" >&2
        exit 1
    fi
fi

export DEBIAN_FRONTEND=noninteractive
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
install() {
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        -o Dpkg::Use-Pty=0 virtuoso-opensource-7-bin >>"$log" 2>&1
}
# a fresh machine may have no package lists, or old ones: update only when the install needs it
if ! install; then
    "${as_root[@]}" apt-get update -q >>"$log" 2>&1 || true
    if ! install; then
        cat "$log" >&2
        echo "install-virtuoso: apt-get install virtuoso-opensource-7-bin failed" >&2
        exit 1
    fi
fi

if ! command -v virtuoso-t >/dev/null || ! command -v isql-vt >/dev/null; then
    echo "install-virtuoso: installed, but virtuoso-t or isql-vt is still not on PATH" >&2
    exit 1
fi
echo "install-virtuoso: $(virtuoso-t +help 2>&1 | sed -n 2p || true)"
