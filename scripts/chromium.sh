#!/usr/bin/env bash
# Debian's Chromium for the browser tests (playwright-core drives it; Playwright's own
# browser download does not work here). Installs from Debian packages only when missing.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
if [[ -x "$CHROMIUM" ]]; then
  exit 0
fi
echo "[chromium] installing Debian's chromium package" >&2
SUDO=""
if [[ "$(id -u)" != 0 ]]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium >&2
[[ -x "$CHROMIUM" ]] || { echo "[chromium] $CHROMIUM still missing after apt-get" >&2; exit 1; }
