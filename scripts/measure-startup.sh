#!/usr/bin/env bash
# Measures cold start of `serve` on an existing database (time from exec
# until /readyz answers 200) and idle RSS after start-up. Usage:
#   scripts/measure-startup.sh [DATA_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-$(mktemp -d)}"
bin="$(mktemp -d)/sodamolek"
go build -o "$bin" ./cmd/sodamolek
addr=127.0.0.1:18181
# First start creates and seeds the database; it is not the one measured.
"$bin" migrate --data "$data" >/dev/null 2>&1
"$bin" demo --data "$data" >/dev/null 2>&1
for run in 1 2 3; do
  start=$(date +%s%N)
  "$bin" serve --data "$data" --addr "$addr" --log-level warn &
  pid=$!
  until curl -fs "http://$addr/readyz" >/dev/null 2>&1; do sleep 0.005; done
  ready=$(date +%s%N)
  sleep 2
  rss=$(awk '/VmRSS/{print $2}' /proc/$pid/status)
  kill -TERM $pid; wait $pid || true
  echo "run $run: ready in $(( (ready-start)/1000000 )) ms, idle RSS $(( rss/1024 )) MB"
done
