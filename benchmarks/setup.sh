#!/usr/bin/env bash
# Create the benchmark environments (run from anywhere; needs network for pip only):
#   benchmarks/.venv        sealguard from this checkout + the peer scanners (requirements.txt)
#   benchmarks/.noise-venv  popular packages whose site-packages are scanned by noise.py and
#                           bench_scan.py (noise-requirements.txt); skip with --no-noise
# Re-run after changing scanner/ or rules/: sealguard is re-installed from the checkout.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
py="${PYTHON:-python3}"
with_noise=1
for arg in "$@"; do
  case "$arg" in
    --no-noise) with_noise=0 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done

if [ ! -x .venv/bin/python ]; then
  "$py" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
# sealguard itself, from this checkout (relative path), not editable: measured as users install it
.venv/bin/python -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps ..
.venv/bin/python -m pip install --quiet --disable-pip-version-check ..

if [ "$with_noise" = 1 ]; then
  if [ ! -x .noise-venv/bin/python ]; then
    "$py" -m venv .noise-venv
  fi
  .noise-venv/bin/python -m pip install --quiet --disable-pip-version-check -r noise-requirements.txt
fi

echo "tools:"
.venv/bin/sealguard --version
.venv/bin/detect-secrets --version | sed 's/^/detect-secrets /'
.venv/bin/gitleaks version | sed 's/^/gitleaks /'
.venv/bin/kingfisher --version
