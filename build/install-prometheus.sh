#!/usr/bin/env bash
# Installs Debian's prometheus package (the server and promtool), so that the observability tests
# run against a real Prometheus instead of skipping: adapters/fargate PrometheusScrapeTest starts
# its own server on 127.0.0.1 and scrapes the service; adapters/gke MonitoringFilesTest runs
# `promtool check rules` and `promtool test rules`. The package's own service is not used. Needs
# root (or passwordless sudo) and Debian's mirror; does nothing when both binaries are there.
set -euo pipefail
if command -v prometheus >/dev/null && command -v promtool >/dev/null; then
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "install-prometheus.sh: no apt-get; install prometheus yourself (the Prometheus tests skip without it)" >&2
  exit 0
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo -n"; else
    echo "install-prometheus.sh: not root; the Prometheus tests will skip" >&2
    exit 0
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q >/dev/null || true
$sudo apt-get install -y -q --no-install-recommends prometheus >/dev/null
# Debian starts the packaged service where an init system runs; the tests need none of it.
if command -v systemctl >/dev/null && systemctl is-active --quiet prometheus 2>/dev/null; then
  $sudo systemctl disable --now prometheus >/dev/null 2>&1 || true
fi
prometheus --version | head -n 1
