#!/usr/bin/env bash
# Debian's Chromium for the browser tests (playwright-core drives it; Playwright's own
# browser download does not work here), with a Japanese font so that the screenshots
# of the Japanese page are readable. Installs from Debian packages only what is missing.
set -euo pipefail

PACKAGES=(chromium fonts-ipafont-gothic)
missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi
echo "[chromium] installing Debian packages: ${missing[*]}" >&2
SUDO=""
if [[ "$(id -u)" != 0 ]]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${missing[@]}" >&2
[[ -x /usr/bin/chromium ]] || { echo "[chromium] /usr/bin/chromium still missing after apt-get" >&2; exit 1; }
