#!/usr/bin/env bash
# Installs Debian packages that some tests need, each package named by the command it provides:
#   build/install-debian.sh "<tests that need them>" <package>...
# e.g. `build/install-debian.sh "image tests" podman runc`. Those tests skip with one line when the
# commands are missing; this makes them run. Needs root (or passwordless sudo) and Debian's package
# mirror; does nothing when every command is already there.
set -euo pipefail
what="$1"
shift
missing=()
for package in "$@"; do
  command -v "$package" >/dev/null || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "install-debian.sh: no apt-get; install ${missing[*]} yourself ($what skip without them)" >&2
  exit 0
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
    echo "install-debian.sh: not root; $what will skip (missing: ${missing[*]})" >&2
    exit 0
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q >/dev/null || true
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
echo "install-debian.sh: installed ${missing[*]} for $what"
