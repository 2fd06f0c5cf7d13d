#!/bin/sh
# A half-year in the KE of a small municipality, told with bti on a fresh
# database in a temporary folder: referrals, consent, a KE meeting, decisions
# with their appeal deadlines, an appeal, coordinators appointed, a plan
# adopted, a gathering - and on 1 July the semiannual report for the
# coordinators' gathering and the morning's due list.
# Every person and nin here is synthetic (nins have month + 80).
#
# It prints its story (the lines starting with #) and every command as it
# can be pasted into a shell, in order, with what bti answered.
set -eu
BTI=${1:-bti}
case $BTI in /*) ;; *) BTI=$(pwd)/$BTI ;; esac
DEMO=$(mktemp -d /tmp/bti-demo.XXXXXX)
trap 'rm -rf "$DEMO"' EXIT
cd "$DEMO"
export BTI_DB="$DEMO/ke/bti.db"
# Print one argument as the shell reads it back: bare when it holds only
# safe characters, else in single quotes.
quote() {
    case $1 in
    *[!A-Za-z0-9_./:,@=+-]* | '') printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")" ;;
    *) printf '%s' "$1" ;;
    esac
}
# Print a command line as it can be pasted.
show() {
    printf '$'
    for arg; do printf ' '; quote "$arg"; done
    printf '\n'
}
# A line of the story.
say() { printf '# %s\n' "$*"; }
# The day the next steps happen on.
on() {
    BTI_TODAY=$1
    export BTI_TODAY
    printf '\n'
    show export "BTI_TODAY=$1"
}
# Show a command, then run it with what it prints.
run() {
    show bti "$@"
    "$BTI" --no-pager "$@" 2>&1
}
# Show a command, then run it without what it prints.
quiet() {
    show bti -q "$@"
    "$BTI" -q "$@" >/dev/null
}

show export "BTI_DB=$BTI_DB"

on 2026-01-05
run init
quiet unit add "Hjembaserte tjenester"
quiet unit add "Familiesenteret"
quiet unit add "BOAK"
quiet ke member add --name "Ingrid Leder" --role leder
quiet ke member add --name "Per Fysio" --role fysioterapeut
quiet coordinator add --name "Anne Koordinator" --unit "Hjembaserte tjenester" --email anne@example.org
quiet coordinator add --name "Jon Koordinator" --unit "Familiesenteret" --email jon@example.org
quiet coordinator add --name "Siri Koordinator" --unit "BOAK" --email siri@example.org
quiet ke handbook --note "Ny versjon av koordinatorhåndboka"

on 2026-01-12
say "A PLO message from the hospital: Ola needs long-term services at home."
run referral add --name "Ola Prøvesen" --born 1958-03-14 --source plo \
    --requests coordinator,ip --referrer "UNN, medisinsk avdeling"
run consent give 1 --scope exchange --by user --parties KE,fastlege,"Hjembaserte tjenester"
say "Parents apply for a barnekoordinator and an IP for their daughter;"
say "her nin is read from a file, so it stays out of the shell history."
echo '$ echo 15891050094 > nin'
echo 15891050094 > nin
run referral add --name "Emma Testesen" --nin @nin --source application \
    --requests child,ip
quiet person relative add 2 --name "Kari Testesen" --relation mor --may-consent
quiet consent give 2 --scope exchange --by guardian --relative 1 --parties all

on 2026-01-20
run ke meeting add --attendee "Ingrid Leder" --attendee "Per Fysio"
run ke review 1 --meeting 1 --note "Behov for koordinator og IP; hjemmebasert" --journal 2026-01-20
run ke review 2 --meeting 1 --note "Familien trenger barnekoordinator" --journal 2026-01-20

on 2026-01-26
run ke decide 1 --grant --unit "Hjembaserte tjenester" --notified 2026-01-26
run ke decide 2 --grant --unit "Familiesenteret" --covers child --notified 2026-01-26
run ke decide 2 --deny --covers ip --reason "Behovet dekkes av barnekoordinator nå" --notified 2026-01-26

on 2026-02-02
run coordinator assign 1 --coordinator "Anne Koordinator" --confirmed 2026-02-02
run coordinator register 1 --date 2026-02-02
run coordinator assign 2 --coordinator "Jon Koordinator" --child --user-preferred \
    --user-wish "Familien ønsket Jon, som de kjenner fra helsestasjonen" --confirmed 2026-02-02
run coordinator register 2 --child --date 2026-02-02

on 2026-02-10
say "The parents appeal the denial of an IP."
run ke appeal 2 --decision 3

on 2026-03-02
run ke appeal-forward 2 --decision 3
quiet consent give 1 --scope plan --by user --parties all
run plan start 1 --ref SamPro-1041
quiet plan goal 1 "Bo hjemme så lenge som mulig"
quiet plan goal 1 --kind resource "Nært forhold til datteren"
quiet plan goal 1 --kind need "Hjelp med medisiner morgen og kveld"
quiet group add 1 --name "Dr. Hansen" --role fastlege --org fastlege
quiet plan contribution 1 --by user "Tar medisinene selv når de er lagt fram"
quiet plan contribution 1 --by provider "Hjemmesykepleien legger fram medisiner"
quiet plan measure 1 --what "Medisinhjelp" --responsible "Hjembaserte tjenester" \
    --scope "2 besøk daglig" --how "Hjemmesykepleien kommer morgen og kveld"
quiet plan cooperation 1 --with NAV --what "Hjelpemidler"
run plan adopt 1 --period-end 2027-03-01
run group meeting 1 --no-minutes

on 2026-04-15
run referral add --name "Nils Eksempel" --born 1990-06-01 --source bti --requests coordinator
run ke reply 3 --date 2026-04-15
run gathering add --kind samling --date 2026-04-20 --title "Vårsamling for koordinatorer"
run gathering invite 1

on 2026-04-20
run gathering attend 1 --coordinator "Anne Koordinator" --coordinator "Jon Koordinator"

on 2026-05-20
run ke appeal-result 2 --decision 3 --upheld
run ke decide 3 --deny --reason "Ikke behov for langvarige, koordinerte tjenester" \
    --notified 2026-05-20

on 2026-07-01
say "The semiannual report for the coordinators' gathering, and the due list."
run report semiannual --period 2026H1
run due
run case list
run audit verify
