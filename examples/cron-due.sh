#!/bin/sh
# The KE's morning list, from cron every weekday; cron mails what the job
# prints to MAILTO (no mail command needed):
#
#     MAILTO=ke@example.org
#     30 7 * * 1-5  /usr/local/share/bti/examples/cron-due.sh
#
# Prints the due list only when something is due (`due --check` exits 7),
# so cron sends mail only then; any other failure exits non-zero and cron
# mails its message.  bti and its database are found as cron-env.sh says.
set -u
. "$(dirname "$0")/cron-env.sh"
"$BTI" -q due --check
case $? in
0) exit 0 ;;
7) exec "$BTI" -q --no-pager due ;;
*) exit 1 ;;
esac
