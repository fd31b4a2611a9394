#!/usr/bin/env bash
# Installs Debian's docker-registry (the CNCF distribution registry v2) and skopeo, so the release
# test (test-harness ReleaseImagesIT) pushes to a real registry on 127.0.0.1 instead of skipping.
# The test starts its own registry process; the package's service is not used. Needs root (or
# passwordless sudo) and Debian's mirror; does nothing when both are there.
set -euo pipefail
if command -v docker-registry >/dev/null && command -v skopeo >/dev/null; then
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "install-registry.sh: no apt-get; install docker-registry and skopeo yourself (the release test skips without them)" >&2
  exit 0
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
    echo "install-registry.sh: not root; the release test will skip" >&2
    exit 0
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q >/dev/null || true
$sudo apt-get install -y -q --no-install-recommends docker-registry skopeo >/dev/null
skopeo --version
