#!/usr/bin/env bash
# Install the Debian packages named on the command line that are missing (as root, with apt-get).
set -euo pipefail
missing=()
for pkg in "$@"; do
  case $pkg in
    gettext) command -v msgfmt >/dev/null || missing+=(gettext) ;;
    chromium) [ -x /usr/bin/chromium ] || missing+=(chromium) ;;
    fonts-noto-cjk) fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk) ;;
    *) dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg") ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "Missing system packages: ${missing[*]} (install them with your package manager)" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
