#!/usr/bin/env bash
# The setup both README commands start with. Idempotent: each step runs only when needed.
# Needs Debian 12, Python 3.11 and root (or sudo) for the system packages.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
SYSTEM_PACKAGES=(
  fonts-noto-cjk        # Chinese glyphs in PDFs (WeasyPrint) and in the browser
  libharfbuzz-subset0   # fast font subsetting in WeasyPrint (without it a CJK PDF takes 10 s+)
  poppler-utils         # pdftotext / pdffonts / pdftoppm: tests and looking at PDFs
  chromium              # browser tests, driven by Playwright through executable_path
  gettext               # makemessages / compilemessages for developers
  postgresql-client     # pg_dump / pg_restore: manage.py backup and restore on PostgreSQL
)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
for pkg in "${SYSTEM_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi
# Reinstall only when the pinned list changed since the last install.
if ! cmp -s requirements.lock .venv/.installed-requirements.lock; then
  echo "setup: installing Python packages from requirements.lock"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q --require-hashes -r requirements.lock
  cp requirements.lock .venv/.installed-requirements.lock
fi

mkdir -p var
# A developer's checkout runs manage.py in debug; a server sets DEBUG, SECRET_KEY... in its environment.
[ -f .env ] || printf 'DEBUG=true\n' > .env
