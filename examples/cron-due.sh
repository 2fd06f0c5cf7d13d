#!/bin/sh
# The KE's morning list, from cron every weekday:
#
#     30 7 * * 1-5  /usr/local/share/bti/cron-due.sh ke@example.org
#
# Mails the due list only when something is due (`due --check` exits 7);
# any other failure exits non-zero so cron reports it.
set -u
TO=${1:?usage: cron-due.sh ADDRESS}
BTI=${BTI:-bti}
"$BTI" -q due --check
case $? in
0) exit 0 ;;
7) "$BTI" -q --no-pager due | mail -s "bti: due today" "$TO" ;;
*) exit 1 ;;
esac
