#!/bin/sh
# Starts one quartet node in a container. Which node of the config it is comes from
# QUARTET_ID, or else from the host name's ordinal (a StatefulSet's pod quartet-2 is node 3).
set -eu
config=${QUARTET_CONFIG:-/etc/quartet/config.json}
if [ -z "${QUARTET_ID:-}" ]; then
  ordinal=${HOSTNAME##*-}
  case $ordinal in
    ''|*[!0-9]*) echo "error USAGE: set QUARTET_ID (1..N), or run as a pod named NAME-ORDINAL" >&2; exit 2 ;;
  esac
  QUARTET_ID=$((ordinal + 1))
fi
if [ -z "${QUARTET_SECRET:-}" ] && [ -z "${QUARTET_SECRET_FILE:-}" ]; then
  echo "error USAGE: give the cluster secret as QUARTET_SECRET or QUARTET_SECRET_FILE (the same for every node)" >&2
  exit 2
fi
set -- node --config "$config" --id "$QUARTET_ID" --listen 0.0.0.0 \
  --data-dir "/data/node-$QUARTET_ID" --http-port "${QUARTET_HTTP_PORT:-8080}" "$@"
if [ -n "${QUARTET_SECRET_FILE:-}" ]; then set -- "$@" --secret-file "$QUARTET_SECRET_FILE"; fi
exec node "${QUARTET_BIN:-/app/bin/quartet}" "$@"
