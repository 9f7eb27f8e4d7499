/**
 * npm run fuzz -- [--runs N] [--seed S] [--concurrency C] [--stop-after K] [--shrink K] [--save DIR]
 * npm run fuzz -- --replay P        (one program, by the seed a report printed for it; shows it)
 * --features a,b (or all) switches on generator features that are off by default (program/features.ts:
 * this-callees, sloppy-names, shadowed-globals, parameter-defaults, loop-head-patterns); a replay needs
 * the same features as the run that printed its seed.
 * --work-around NAME steers around a lowering bug already found (fuzz/program/print.ts lists them),
 * so that an exploratory run finds the next one; CI never uses it.
 *
 * Draws N random programs (default 1000) from seed S (default: a fresh one, printed), runs each
 * natively and lowered, and prints every mismatch shrunk to a minimal program, then the totals and
 * the coverage table. `--save DIR` also writes each shrunk program to DIR/seed<S>-<n>.ts.
 * Exit code 0 when nothing differed, 1 when something did, 2 on bad arguments.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runCampaign } from "./campaign.js";
import { FEATURES, parseFeatures, type Feature } from "./program/features.js";
import { WORKAROUNDS, type Workaround } from "./program/print.js";
import { describeCampaign } from "./report.js";

function main(): Promise<number> | number {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        runs: { type: "string", default: "1000" },
        seed: { type: "string" },
        concurrency: { type: "string", default: "2" },
        "stop-after": { type: "string" },
        shrink: { type: "string", default: "3" },
        save: { type: "string" },
        replay: { type: "string" },
        "work-around": { type: "string", multiple: true },
        features: { type: "string", multiple: true },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    console.error(`fuzz: ${(error as Error).message}`);
    return 2;
  }
  if (values.help) {
    console.log("usage: npm run fuzz -- [--runs N] [--seed S] [--concurrency C] [--stop-after K] [--shrink K] [--save DIR] [--replay P] [--work-around NAME] [--features a,b|all]");
    return 0;
  }
  const runs = integer(values.runs, "--runs", 1);
  const seed = values.seed === undefined ? (Date.now() ^ (process.pid << 16)) | 0 : integer(values.seed, "--seed", -(2 ** 31));
  const concurrency = integer(values.concurrency, "--concurrency", 1);
  const stopAfter = values["stop-after"] === undefined ? undefined : integer(values["stop-after"], "--stop-after", 1);
  const maxShrunk = integer(values.shrink, "--shrink", 0);
  const replay = values.replay === undefined ? undefined : integer(values.replay, "--replay", -(2 ** 31));
  if ([runs, seed, concurrency, maxShrunk, stopAfter ?? 0, replay ?? 0].some(Number.isNaN)) return 2;
  const workarounds = new Set<Workaround>();
  for (const name of values["work-around"] ?? []) {
    if (!(WORKAROUNDS as readonly string[]).includes(name)) {
      console.error(`fuzz: --work-around wants one of ${WORKAROUNDS.join(", ")}, got ${JSON.stringify(name)}`);
      return 2;
    }
    workarounds.add(name as Workaround);
  }
  const features = parseFeatures(values.features ?? []);
  if ("unknown" in features) {
    console.error(`fuzz: --features wants names from ${FEATURES.join(", ")} (or all), got ${JSON.stringify(features.unknown)}`);
    return 2;
  }
  return run({ runs, seed: replay ?? seed, concurrency, stopAfter, maxShrunk, save: values.save, replay, workarounds, features });
}

interface Options {
  runs: number;
  seed: number;
  concurrency: number;
  stopAfter?: number;
  maxShrunk: number;
  save?: string;
  replay?: number;
  workarounds: Set<Workaround>;
  features: Set<Feature>;
}

async function run(options: Options): Promise<number> {
  const around =
    (options.workarounds.size === 0 ? "" : ` (working around: ${[...options.workarounds].join(", ")})`) +
    (options.features.size === 0 ? "" : ` (features: ${[...options.features].join(", ")})`);
  if (options.replay === undefined) console.log(`fuzz: ${options.runs} programs from seed ${options.seed}, ${options.concurrency} at a time${around}`);
  else console.log(`fuzz: the program of seed ${options.replay}`);
  let lastShown = 0;
  const report = await runCampaign({
    ...options,
    onProgram: (source) => {
      if (options.replay !== undefined) console.log(source);
    },
    onProgress: (done, mismatches) => {
      if (done - lastShown < 500 && done !== options.runs) return;
      lastShown = done;
      console.log(`  ${done} programs, ${mismatches} mismatches`);
    },
  });
  console.log(describeCampaign(report));
  if (options.save !== undefined) {
    mkdirSync(options.save, { recursive: true });
    report.mismatches.forEach((mismatch, i) => {
      if (mismatch.shrunk === undefined) return;
      const path = join(options.save!, `seed${options.seed}-${i + 1}.ts`);
      writeFileSync(path, mismatch.shrunk.fixture);
      console.log(`wrote ${path}`);
    });
  }
  return report.mismatches.length === 0 ? 0 : 1;
}

function integer(text: string, flag: string, min: number): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min) {
    console.error(`fuzz: ${flag} wants an integer >= ${min}, got ${JSON.stringify(text)}`);
    return Number.NaN;
  }
  return value;
}

process.exitCode = await main();
