#!/usr/bin/env node
// Developer loop: runs every fixture (or those matching an argument) natively and lowered and
// prints a one-line verdict per fixture, then the totals. The test suite does the same with
// snapshots; this is the quick way to see what changed. Needs `npm run build` first.
import { readFileSync } from "node:fs";
import { readdirSync } from "node:fs";
import { runNative, runLowered, compareRuns, describeComparison, mapWithConcurrency, LoweringError } from "../dist/src/exec/index.js";

const filter = process.argv[2] ?? "";
const files = readdirSync("fixtures", { recursive: true }).map((f) => `fixtures/${f}`).filter((f) => f.endsWith(".ts")).filter((f) => !f.includes("__lowered__") && !f.startsWith("fixtures/seeds/") && !f.startsWith("fixtures/future/") && f.includes(filter)).sort();
let pass = 0;
const failures = [];
await mapWithConcurrency(files, async (file) => {
  const source = readFileSync(file, "utf8");
  try {
    const [a, b] = await Promise.all([runNative(source, file), runLowered(source, file)]);
    const c = compareRuns(a, b);
    if (c.same) pass++;
    else failures.push([file, describeComparison(c)]);
  } catch (e) {
    failures.push([file, e instanceof LoweringError ? e.message : `internal: ${e.stack}`]);
  }
}, 2);
for (const [file, why] of failures.sort()) console.log(`FAIL ${file}\n${why.split("\n").slice(0, 12).map((l) => "   " + l).join("\n")}`);
console.log(`${pass} passed, ${failures.length} failed`);
