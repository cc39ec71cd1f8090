#!/bin/sh
# PgBouncer's start in Compose: the password comes from the environment, never from a file
# in the repository or the image.
set -eu
: "${POSTGRES_USER:?set POSTGRES_USER}" "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}"
mkdir -p /tmp/pgbouncer
umask 077
printf '"%s" "%s"\n' "$POSTGRES_USER" "$POSTGRES_PASSWORD" > /tmp/pgbouncer/userlist.txt
exec pgbouncer /etc/wnh-pgbouncer/pgbouncer.ini
