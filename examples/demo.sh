#!/bin/sh
# A short KE story told with bti: a fresh database in a temporary folder,
# a unit, two referrals (one from the hospital, one application from a
# family), a second referral added to an open case, and what the KE sees.
# All people and nins are synthetic.
set -eu
BTI=${1:-bti}
case $BTI in /*) ;; *) BTI=$(pwd)/$BTI ;; esac
DEMO=$(mktemp -d /tmp/bti-demo.XXXXXX)
trap 'rm -rf "$DEMO"' EXIT
export BTI_DB="$DEMO/ke/bti.db" BTI_TODAY=2026-11-20
say() { printf '\n$ %s\n' "$*"; }
run() { say "bti $*"; "$BTI" --no-pager "$@" 2>&1; }

run init
run unit add "Hjembaserte tjenester"
run unit add "Familiesenteret"
# A PLO message from the hospital about a man who needs long-term services.
run referral add --name "Ola Prøvesen" --born 1958-03-14 --source plo \
    --requests coordinator --referrer "UNN, medisinsk avdeling" --date 2026-10-02
# An application from parents for their child; the nin is synthetic (month + 80).
printf '%s\n' 15891050094 > "$DEMO/nin"
run referral add --name "Emma Testesen" --nin "@$DEMO/nin" --source application \
    --requests coordinator,ip,child --date 2026-10-20
run person relative add 2 --name "Kari Testesen" --relation mother --may-consent
# The GP asks for an individual plan for Ola.  His case is open, so bti
# refuses a second case and says how to add the request to the open one.
run referral add --person 1 --source bti --requests ip --date 2026-11-03 || true
run referral add --case 1 --source bti --requests ip --date 2026-11-03
run referral list
run case list
run case show 2
run --csv case list
run audit verify
