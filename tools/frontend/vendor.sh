#!/usr/bin/env bash
# Refreshes the committed front-end files from the pinned npm packages.
# Run it only when changing a version in package.json; the build and the
# tests never need npm.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --ignore-scripts --no-audit --no-fund 2>/dev/null || npm install --ignore-scripts --no-audit --no-fund
out=../../internal/platform/web/static/vendor
rm -rf "$out"
mkdir -p "$out/leaflet/images" "$out/htmx" "$out/uplot"
cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css "$out/leaflet/"
cp node_modules/leaflet/dist/images/*.png "$out/leaflet/images/"
cp node_modules/leaflet/LICENSE "$out/leaflet/LICENSE.txt"
cp node_modules/htmx.org/dist/htmx.min.js "$out/htmx/"
cp node_modules/htmx.org/LICENSE "$out/htmx/LICENSE.txt"
cp node_modules/uplot/dist/uPlot.iife.min.js node_modules/uplot/dist/uPlot.min.css "$out/uplot/"
cp node_modules/uplot/LICENSE "$out/uplot/LICENSE.txt"
echo "vendored into $out"
