#!/usr/bin/env bash
# `make bench-cost` counts instructions with valgrind's callgrind (Debian's package `valgrind`);
# a fresh machine does not have it, so install it once. Quiet unless something fails.
set -euo pipefail
command -v callgrind_control >/dev/null 2>&1 && exit 0
fail() { echo "ensure-valgrind: valgrind is missing and $1; install the 'valgrind' package to run make bench-cost" >&2; exit 1; }
command -v apt-get >/dev/null 2>&1 || fail "this machine has no apt-get"
as_root=()
if [ "$(id -u)" -ne 0 ]; then
    sudo -n true 2>/dev/null || fail "we may not install packages (not root, no password-less sudo)"
    as_root=(sudo -n)
fi
echo "ensure-valgrind: installing valgrind for make bench-cost" >&2
export DEBIAN_FRONTEND=noninteractive
out=$(mktemp)
trap 'rm -f "$out"' EXIT
{ "${as_root[@]}" apt-get update -qq && "${as_root[@]}" apt-get install -y -qq --no-install-recommends valgrind; } >"$out" 2>&1 \
    || { cat "$out" >&2; exit 1; }
command -v callgrind_control >/dev/null
