# Shared by scripts/test and scripts/gate: make .venv match the pinned requirements, with the
# gate (the root distribution) and the backend it judges (backend/) installed editable.
# The venv is rebuilt when it is missing or when requirements.txt, a pyproject.toml, the
# packaging sections of setup.cfg ([metadata], [options...]) or backend/setup.cfg changed
# since it was built (their hash is stamped inside it); tool settings in setup.cfg do not
# need a rebuild.
# The npm packages of package.json (the HTML report's viewer, the report schemas the tests check
# against) are installed into node_modules/ the same way, by package-lock.json's hash; Node.js and
# npm come from Debian's packages when the machine has none.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
STAMP="$VENV/.requirements-stamp"

find_python() {
    for candidate in "${PYTHON:-}" python3.11 python3; do
        if [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1 \
            && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
            echo "$candidate"
            return 0
        fi
    done
    echo "error: Python 3.11 is required (set PYTHON=/path/to/python3.11)" >&2
    return 1
}

packaging_sections() {
    awk '/^\[/ { keep = ($0 ~ /^\[(metadata|options)/) } keep' "$ROOT/setup.cfg"
}

requirements_hash() {
    { cat "$ROOT/requirements.txt" "$ROOT/pyproject.toml" "$ROOT/backend/pyproject.toml" "$ROOT/backend/setup.cfg"
      packaging_sections; } | sha256sum | cut -d' ' -f1
}

ensure_venv() {
    local wanted
    wanted="$(requirements_hash)"
    if [ -x "$VENV/bin/python" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$wanted" ]; then
        return 0
    fi
    local python
    python="$(find_python)"
    echo "setting up $VENV from requirements.txt ..." >&2
    "$python" -m venv --clear "$VENV"
    "$VENV/bin/python" -m pip install -qq --disable-pip-version-check -r "$ROOT/requirements.txt"
    "$VENV/bin/python" -m pip install -qq --disable-pip-version-check --no-deps --no-build-isolation \
        -e "$ROOT" -e "$ROOT/backend"
    echo "$wanted" > "$STAMP"
}

debian_install() {
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "installing Debian packages: $* ..." >&2
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >&2
}

ensure_npm_assets() {
    local wanted stamp="$ROOT/node_modules/.assets-stamp"
    wanted="$(sha256sum "$ROOT/package-lock.json" | cut -d' ' -f1)"
    if [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ]; then
        return 0
    fi
    command -v npm >/dev/null 2>&1 || debian_install nodejs npm
    echo "installing the pinned npm packages of package-lock.json into node_modules/ ..." >&2
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error >&2)
    echo "$wanted" > "$stamp"
}

ensure_venv
ensure_npm_assets
export PATH="$VENV/bin:$PATH"
cd "$ROOT"
