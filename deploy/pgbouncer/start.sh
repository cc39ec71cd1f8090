#!/bin/sh
# PgBouncer's start in Compose: the password comes from the environment, never from a file
# in the repository or the image.
set -eu
: "${POSTGRES_USER:?set POSTGRES_USER}" "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}"
mkdir -p /tmp/pgbouncer
umask 077
# A double quote inside a field is written twice (PgBouncer's auth_file format).
quote() { printf '%s' "$1" | sed 's/"/""/g'; }
printf '"%s" "%s"\n' "$(quote "$POSTGRES_USER")" "$(quote "$POSTGRES_PASSWORD")" \
    > /tmp/pgbouncer/userlist.txt
exec pgbouncer /etc/wnh-pgbouncer/pgbouncer.ini
