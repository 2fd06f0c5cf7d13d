# Sourced by the cron examples.  Cron runs them with PATH=/usr/bin:/bin, no
# BTI_DB and little else, so find bti and make sure it will find its
# database, or say exactly what to set.
#
# bti: $BTI, else the bti installed beside these examples ($PREFIX/bin/bti
# for $PREFIX/share/bti/examples), else bti on PATH.
here=$(dirname "$0")
if [ -z "${BTI:-}" ] && [ -x "$here/../../../bin/bti" ]; then
    BTI=$here/../../../bin/bti
elif [ -z "${BTI:-}" ] && command -v bti >/dev/null 2>&1; then
    BTI=bti
elif [ -z "${BTI:-}" ]; then
    echo "$0: bti not found: set BTI=/path/to/bti in the crontab" >&2
    exit 1
fi
# The database, as bti looks for it: BTI_DB, else db = PATH in
# /etc/bti.conf, else bti.db under $XDG_DATA_HOME or ~/.local/share.
if [ -z "${BTI_DB:-}" ] && ! grep -qs '^[[:space:]]*db[[:space:]]*=' /etc/bti.conf &&
    [ ! -e "${XDG_DATA_HOME:-${HOME:-/nonexistent}/.local/share}/bti/bti.db" ]; then
    echo "$0: no bti database: set 'db = /path/to/bti.db' in /etc/bti.conf," \
        "or BTI_DB=/path/to/bti.db in the crontab" >&2
    exit 1
fi
