#!/usr/bin/env bash
# Install the Debian packages the reports and tests need, when missing and possible.
# Fonts with Vietnamese glyphs; Chromium, which prints the PDFs and runs the browser tests.
# fonts-dejavu-core also gives JupyterLab its code font (DejaVu Sans Mono: tone marks on their letters).
set -u
packages=(fonts-dejavu-core chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if command -v apt-get >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo="sudo -n"
  if [ "$(id -u)" -eq 0 ] || [ -n "$sudo" ]; then
    echo "setup: installing Debian packages with apt-get: ${missing[*]}"
    if $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/tmp/cchc-apt.log 2>&1 \
       || { $sudo apt-get update -q >/dev/null 2>&1 && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/tmp/cchc-apt.log 2>&1; }; then
      exit 0
    fi
    echo "apt-get failed, see /tmp/cchc-apt.log" >&2
  fi
fi
echo "Missing Debian packages: ${missing[*]}" >&2
echo "Install them with: sudo apt-get install ${missing[*]}" >&2
echo "(the PDFs need chromium and the fonts; so do the browser tests.)" >&2
exit 1
