# Sourced by the scripts: one virtual environment for the project, reinstalled when
# pyproject.toml changes.
VENV="${LEDGER_VENV:-.venv}"

ensure_venv() {
    local extras="${1:-}"
    local python="${PYTHON:-python3}"
    local spec="."
    [ -n "$extras" ] && spec=".[$extras]"
    if [ ! -x "$VENV/bin/python" ]; then
        echo "creating virtual environment in $VENV" >&2
        "$python" -m venv "$VENV"
    fi
    local stamp="$VENV/.installed-$extras"
    if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
        echo "installing the project ($spec) into $VENV" >&2
        "$VENV/bin/python" -m pip install --quiet --upgrade pip >&2
        "$VENV/bin/python" -m pip install --quiet -e "$spec" >&2
        touch "$stamp"
    fi
}
