#!/usr/bin/env bash
# Installs podman and runc (Debian packages) so the image tests run instead of skipping. Needs root
# (or passwordless sudo) and Debian's package mirror; does nothing when podman is already there.
set -euo pipefail
if command -v podman >/dev/null && command -v runc >/dev/null; then
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "install-podman.sh: no apt-get; install podman and runc yourself (image tests skip without them)" >&2
  exit 0
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
    echo "install-podman.sh: not root; image tests will skip" >&2
    exit 0
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q >/dev/null || true
$sudo apt-get install -y -q --no-install-recommends podman runc >/dev/null
podman --version
