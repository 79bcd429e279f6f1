#!/usr/bin/env bash
# The test command (README, CI): vet, then the whole suite on SQLite, then
# again on PostgreSQL when SODAMOLEK_TEST_DB names a server, e.g.
#   SODAMOLEK_TEST_DB='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' scripts/test.sh
# Extra arguments go to "go test" (e.g. -run TestName).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== go vet"
go vet ./...

if command -v staticcheck >/dev/null 2>&1 || [ -x "$(go env GOPATH)/bin/staticcheck" ]; then
  echo "== staticcheck"
  "$(command -v staticcheck || echo "$(go env GOPATH)/bin/staticcheck")" ./...
fi

unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

pg_url="${SODAMOLEK_TEST_DB:-}"

echo "== tests on SQLite"
SODAMOLEK_TEST_DB= go test -count=1 -p 2 -timeout 20m "$@" ./...

if [ -n "$pg_url" ]; then
  echo "== tests on PostgreSQL"
  SODAMOLEK_TEST_DB="$pg_url" go test -count=1 -p 2 -timeout 20m "$@" ./...
else
  echo "== PostgreSQL not configured (set SODAMOLEK_TEST_DB): SQLite only"
fi
