#!/usr/bin/env bash
# Install what the browser tests need when it is missing (tests/browser.py, tests/web_servers.py):
# Debian's headless-capable `chromium` (driven by Playwright from the test extras; Playwright
# never downloads a browser of its own here) and the three web servers a published site
# carries configurations for, `nginx-light`, `apache2` and `caddy` (each serving a published
# site on 127.0.0.1; the tests start and stop their own, with their own configuration).
# Debian's nginx and Apache packages may start a system service on port 80: it is stopped,
# the tests need none. Fonts: DejaVu, so screenshots have glyphs.
# Idempotent and quiet; needs root (or password-less sudo).
set -euo pipefail

packages=()
command -v chromium >/dev/null || [ -x /usr/bin/chromium ] || packages+=(chromium)
[ -x /usr/sbin/nginx ] && [ -f /etc/nginx/mime.types ] || packages+=(nginx-light)
[ -x /usr/sbin/apache2 ] && [ -f /usr/lib/apache2/modules/mod_rewrite.so ] && [ -f /etc/mime.types ] \
    || packages+=(apache2)
[ -x /usr/bin/caddy ] || packages+=(caddy)
[ -d /usr/share/fonts/truetype/dejavu ] || packages+=(fonts-dejavu-core)
if [ ${#packages[@]} -eq 0 ]; then
    exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        as_root=(sudo -n)
    else
        echo "install-browser: ${packages[*]} missing and this is not root: run as root" \
             "apt-get install --no-install-recommends ${packages[*]}" >&2
        exit 1
    fi
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
install() {
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        -o Dpkg::Use-Pty=0 "${packages[@]}" >>"$log" 2>&1
}
# a fresh machine may have no package lists, or old ones: update only when the install needs it
if ! install; then
    "${as_root[@]}" apt-get update -q >>"$log" 2>&1 || true
    if ! install; then
        cat "$log" >&2
        echo "install-browser: apt-get install ${packages[*]} failed" >&2
        exit 1
    fi
fi
# the packages' own services are not wanted (the tests run their own servers on free ports)
if [ -e /run/nginx.pid ] && kill -0 "$(cat /run/nginx.pid)" 2>/dev/null; then
    "${as_root[@]}" /usr/sbin/nginx -s stop >/dev/null 2>&1 || true
fi
if [ -e /run/apache2/apache2.pid ] && kill -0 "$(cat /run/apache2/apache2.pid)" 2>/dev/null; then
    "${as_root[@]}" kill "$(cat /run/apache2/apache2.pid)" >/dev/null 2>&1 || true
fi
for program in /usr/bin/chromium /usr/sbin/nginx /usr/sbin/apache2 /usr/bin/caddy; do
    if ! [ -x "$program" ]; then
        echo "install-browser: installed, but $program is still missing" >&2
        exit 1
    fi
done
echo "install-browser: $(/usr/bin/chromium --version 2>/dev/null | head -1), $(/usr/sbin/nginx -v 2>&1)," \
     "$(/usr/sbin/apache2 -v 2>/dev/null | head -1), Caddy $(/usr/bin/caddy version 2>/dev/null)"
