/**
 * Differential fuzzing on a fixed seed (fuzz/README.md): random programs of async functions,
 * generators and async generators must print the same natively and lowered. A failure prints each
 * mismatch shrunk to a minimal program, ready to become a fixture. Needs `npm run build` (the sandbox
 * workers load the compiler from dist/), as `npm test` does first. The budget fits CI: one sandbox
 * worker (the fixture tests use the other core), ~50 s. Programs with generators are about 1.4 times
 * as costly as the async-only ones were, so the budget went from 1500 programs to 1100.
 *
 * A second budget draws the sloppy scripts of issue 13 (every generator feature on: callees that
 * observe `this`, sloppy-only names, shadowed and patched globals, parameter defaults, pattern-rich
 * loop heads): ~27 programs/s on an idle machine, so 800 of them take ~30 s.
 */
import { expect, it } from "vitest";
import { runCampaign } from "../fuzz/campaign.js";
import { describeMismatch, summaryLine } from "../fuzz/report.js";
import { FEATURES } from "../fuzz/program/features.js";

const SEED = 20261201;
const RUNS = 1100;

it(`fuzz: ${RUNS} random programs (seed ${SEED}) print the same natively and lowered`, { timeout: 240_000 }, async () => {
  const report = await runCampaign({ runs: RUNS, seed: SEED, concurrency: 1, stopAfter: 1, maxShrunk: 1 });
  const mismatches = report.mismatches.map((mismatch, i) => describeMismatch(mismatch, i + 1)).join("\n\n");
  expect(report.mismatches.length, `${summaryLine(report)}\n\n${mismatches}`).toBe(0);
  expect(report.runs).toBe(RUNS);
});

const FEATURE_SEED = 20261208;
const FEATURE_RUNS = 800;

it(`fuzz: ${FEATURE_RUNS} sloppy scripts with every generator feature (seed ${FEATURE_SEED}) print the same natively and lowered`, { timeout: 240_000 }, async () => {
  const report = await runCampaign({ runs: FEATURE_RUNS, seed: FEATURE_SEED, concurrency: 1, stopAfter: 1, maxShrunk: 1, features: new Set(FEATURES) });
  const mismatches = report.mismatches.map((mismatch, i) => describeMismatch(mismatch, i + 1)).join("\n\n");
  expect(report.mismatches.length, `${summaryLine(report)}\n\n${mismatches}`).toBe(0);
  expect(report.runs).toBe(FEATURE_RUNS);
});
