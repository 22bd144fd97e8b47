#!/usr/bin/env bash
# The browser tests drive Debian's chromium (Playwright with the system executable);
# a fresh machine does not have it, so install it once. Quiet unless something fails.
set -euo pipefail
BROWSER=/usr/bin/chromium
if [ -x "$BROWSER" ]; then
    exit 0
fi
cannot() {
    # The rest of the suite still runs; the browser tests skip, saying what is missing.
    echo "ensure-browser: $BROWSER is missing and $1; install the 'chromium' package to run the browser tests" >&2
    exit 0
}
command -v apt-get >/dev/null 2>&1 || cannot "this machine has no apt-get"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        cannot "we may not install packages (not root, no password-less sudo)"
    fi
fi
echo "ensure-browser: installing chromium (Debian package) for the browser tests" >&2
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core; } >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    exit 1
fi
rm -f "$log"
test -x "$BROWSER"
