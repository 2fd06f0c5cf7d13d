#!/bin/sh
# The semiannual report for the coordinators' gathering, from cron on
# 1 June and 1 December:
#
#     0 6 1 6,12 *  /usr/local/share/bti/examples/cron-semiannual.sh /srv/ke/reports
#
# Writes the report as JSON, in the Norwegian Excel dialect, as an xlsx
# workbook with charts and as the gathering's page (html, prints on A4)
# into a dated folder only its owner can enter, keeps the audit head beside it (send that
# off the host too), and exits non-zero on any failure so cron mails it.
# bti and its database are found as cron-env.sh says.
set -eu
umask 077
OUT=${1:?usage: cron-semiannual.sh DIRECTORY}
. "$(dirname "$0")/cron-env.sh"
DIR="$OUT/$(date +%Y-%m-%d)"
mkdir -p "$OUT"
mkdir -m 0700 "$DIR"
"$BTI" -q --no-pager --json report semiannual > "$DIR/semiannual.json"
"$BTI" -q --no-pager --excel report semiannual > "$DIR/semiannual.csv"
"$BTI" -q --no-pager --excel report coordinators > "$DIR/coordinators.csv"
"$BTI" -q -o "$DIR/semiannual.xlsx" --xlsx report semiannual
"$BTI" -q -o "$DIR/semiannual.html" --format html report semiannual
"$BTI" -q audit head > "$DIR/audit-head"
"$BTI" -q audit verify
