# Sourced by scripts/test: Debian's Chromium for the browser tests, installed when missing
# and this machine allows it (root with apt-get). Nothing is downloaded at test time.
ensure_chromium() {
    if [ -n "${LEDGER_CHROMIUM:-}" ] || command -v chromium >/dev/null 2>&1; then
        return 0
    fi
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "installing Debian's chromium for the browser tests" >&2
        export DEBIAN_FRONTEND=noninteractive
        if apt-get install -y -q chromium >/dev/null 2>&1 \
            || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null 2>&1; }; then
            return 0
        fi
    fi
    echo "!!! no Chromium and no way to install it here: the browser tests will say so" >&2
}
