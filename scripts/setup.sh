#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian machine: the Debian packages (Chromium for the
# renderer tests, wine + mingw-w64 for the credential-provider shim, wixl/msitools for the MSI) and the
# npm dependencies. Safe to run again.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
PACKAGES=(chromium wine64 wine wixl msitools g++-mingw-w64-x86-64 g++-mingw-w64-i686 xauth xvfb openssl)
missing=()
for p in "${PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
else
  echo "setup: Debian packages already present"
fi
# Electron's binary cannot be downloaded here; package.json's allowScripts keeps its postinstall off,
# and the variable covers older npm versions that ignore allowScripts.
ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci
