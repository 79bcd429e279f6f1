#!/usr/bin/env node
// Validates FHIR R4 resources (or Bundles) in JSON files with the fhir
// package (https://www.npmjs.com/package/fhir): new Fhir().validate(r).
// Usage: node validate.js [--warnings] file.json [...]. Prints every
// error (and every warning with --warnings; codes from terminologies the
// package does not ship, such as LOINC in Observation.code's example
// binding, only warn) and exits 1 when any file has an error, 2 on a
// usage or read error.
"use strict";
const fs = require("fs");
const { Fhir } = require("fhir");

const args = process.argv.slice(2);
const showWarnings = args.includes("--warnings");
const files = args.filter((a) => a !== "--warnings");
if (files.length === 0) {
  console.error("usage: node validate.js file.json [...]");
  process.exit(2);
}
const fhir = new Fhir();
let failed = false;
for (const file of files) {
  let resource;
  try {
    resource = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    console.error(`${file}: cannot read JSON: ${e.message}`);
    process.exit(2);
  }
  const result = fhir.validate(resource, { errorOnUnexpected: true });
  const messages = result.messages || [];
  for (const m of messages) {
    if (m.severity === "error" || (showWarnings && m.severity === "warning")) {
      console.log(`${file}: ${m.severity}: ${m.location}: ${m.message}`);
    }
  }
  const warnings = messages.filter((m) => m.severity === "warning").length;
  if (!result.valid) {
    failed = true;
    console.log(`${file}: INVALID (${messages.filter((m) => m.severity === "error").length} errors)`);
  } else {
    console.log(`${file}: valid ${resource.resourceType}${resource.entry ? " with " + resource.entry.length + " entries" : ""}, ${warnings} warnings`);
  }
}
process.exit(failed ? 1 : 0);
