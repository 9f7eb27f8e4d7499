#!/usr/bin/env node
// unawait benchmark harness. See bench/README.md.
//
// For every workload in bench/workloads/*.ts (a module exporting `async function main():
// Promise<number>` that returns a checksum), the harness builds four variants of the same
// source, writes each as a standalone .mjs file under bench/.out/, and runs each in its own
// fresh `node` process, one after the other:
//
//   native     types stripped only (ts.transpileModule, target ES2022): the engine's own async
//   unawait    lower(source, { target: "js", runtime: "inline" }): the state machine + runtime
//   ts-es2015  ts.transpileModule, target ES2015: the generator-based `__awaiter` downlevel
//   ts-es5     ts.transpileModule, target ES5: `__awaiter` + the `__generator` state machine
//
// Inside the process, a driver appended to the program runs `main()` for the warm-up runs and
// then for the measured iterations (each timed with process.hrtime.bigint(), after a forced
// GC), checks the result is the same every time, and prints one JSON line. The harness checks
// that every variant's checksum equals native's and fails loudly if not.
//
// Usage: node bench/run.js [--quick] [--only <substring>] [--iterations N] [--warmup N]
//                          [--cpu-prof]      (also writes .cpuprofile files and a hot-function summary)

import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { dirname, join, basename } from "node:path";
import { fileURLToPath } from "node:url";
import os from "node:os";
import ts from "typescript";

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const outDir = join(here, ".out");

// ---------------------------------------------------------------------------------------------
// Options
const argv = process.argv.slice(2);
function flag(name) {
  const i = argv.indexOf(name);
  if (i < 0) return false;
  argv.splice(i, 1);
  return true;
}
function option(name) {
  const i = argv.indexOf(name);
  if (i < 0) return undefined;
  const value = argv[i + 1];
  if (value === undefined) die(`${name} needs a value`);
  argv.splice(i, 2);
  return value;
}
function die(message) {
  console.error(`bench: ${message}`);
  process.exit(2);
}
const quick = flag("--quick");
const cpuProf = flag("--cpu-prof");
const only = option("--only");
const iterations = Number(option("--iterations") ?? (quick ? 3 : 9));
const warmup = Number(option("--warmup") ?? (quick ? 1 : 2));
const timeoutMs = 60_000;
if (argv.length) die(`unknown arguments: ${argv.join(" ")}`);
if (!(iterations >= 1 && warmup >= 0)) die("--iterations must be >= 1 and --warmup >= 0");

const TARGET = "promise mode target: <= 1.5x native (ratio column 'unawait/native')";

// ---------------------------------------------------------------------------------------------
// Variants: each turns the workload's TypeScript source into a runnable ES module text.
const { lower } = await import(join(root, "dist/src/index.js")).catch((error) => {
  die(`cannot load dist/src/index.js (run \`npx tsc -p .\` first): ${error.message}`);
});

function tsDownlevel(target) {
  return (source, fileName) => {
    const compilerOptions = { target, module: ts.ModuleKind.ESNext, importHelpers: false };
    if (target === ts.ScriptTarget.ES5) {
      // TypeScript 6 deprecates target ES5 (and downlevelIteration); it still emits it when told
      // to. downlevelIteration keeps ES5's for-of an iterator loop, as in the other variants.
      Object.assign(compilerOptions, { ignoreDeprecations: "6.0", downlevelIteration: true });
    }
    const out = ts.transpileModule(source, { fileName, reportDiagnostics: true, compilerOptions });
    const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
    if (errors.length) throw new Error(errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")).join("\n"));
    return out.outputText;
  };
}

const variants = [
  { name: "native", build: tsDownlevel(ts.ScriptTarget.ES2022) },
  {
    name: "unawait",
    build(source, fileName) {
      const result = lower(source, { fileName, target: "js", runtime: "inline" });
      const errors = result.diagnostics.filter((d) => d.severity === "error");
      if (errors.length) {
        throw new Error(errors.map((d) => `${d.fileName}:${d.line}:${d.column} ${d.code} ${d.message}`).join("\n"));
      }
      return result.code;
    },
  },
  { name: "ts-es2015", build: tsDownlevel(ts.ScriptTarget.ES2015) },
  { name: "ts-es5", build: tsDownlevel(ts.ScriptTarget.ES5) },
  {
    // Future mode (Rust's lazy futures), only for the workloads whose every await is on a value
    // or future that is already there: there the model makes an await free. The others await
    // promises, which future mode adapts, and measure nothing of interest to it.
    name: "future",
    only: ["await-ready-loop.ts", "async-recursion.ts"],
    build(source, fileName) {
      const result = lower(source, { fileName, target: "js", runtime: "inline", mode: "future" });
      const errors = result.diagnostics.filter((d) => d.severity === "error");
      if (errors.length) {
        throw new Error(errors.map((d) => `${d.fileName}:${d.line}:${d.column} ${d.code} ${d.message}`).join("\n"));
      }
      return result.code;
    },
  },
];

// The in-process driver. Plain promise chaining, no async functions of its own, so nothing in
// it is lowered or downleveled and it costs the same in every variant.
function driver(workload, variant) {
  return `
;(function $benchDriver() {
  var warmup = ${warmup}, iterations = ${iterations}, run = 0, times = [], first;
  var gc = typeof globalThis.gc === "function" ? globalThis.gc : function () {};
  function fail(message) {
    process.stderr.write(message + "\\n");
    process.exitCode = 1;
  }
  function next() {
    if (run === warmup + iterations) {
      var sorted = times.slice().sort(function (a, b) { return a - b; });
      var mid = sorted.length >> 1;
      var median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
      process.stdout.write("BENCH " + JSON.stringify({
        workload: ${JSON.stringify(workload)}, variant: ${JSON.stringify(variant)},
        checksum: first, median: median, min: sorted[0], max: sorted[sorted.length - 1], times: times,
      }) + "\\n");
      return;
    }
    gc();
    var start = process.hrtime.bigint();
    main().then(function (result) {
      var ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (run === 0) first = result;
      else if (!Object.is(result, first)) return fail("run " + run + " returned " + String(result) + ", run 0 returned " + String(first));
      if (run >= warmup) times.push(ms);
      run++;
      next();
    }, function (error) {
      fail("main() rejected: " + (error && error.stack || error));
    });
  }
  next();
})();
`;
}

// ---------------------------------------------------------------------------------------------
// Run
const workloadDir = join(here, "workloads");
const workloads = readdirSync(workloadDir)
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
  .sort(byPreferredOrder)
  .filter((f) => !only || f.includes(only));
if (!workloads.length) die(`no workloads${only ? ` matching "${only}"` : ""} in ${workloadDir}`);

function byPreferredOrder(a, b) {
  const order = ["await-loop.ts", "await-ready-loop.ts", "async-recursion.ts", "fan-out.ts"];
  const ia = order.indexOf(a), ib = order.indexOf(b);
  return (ia < 0 ? order.length : ia) - (ib < 0 ? order.length : ib) || a.localeCompare(b);
}

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const profDir = join(outDir, "prof");

console.log(`unawait benchmark — node ${process.version}, ${os.cpus().length} CPU(s), ` +
  `${warmup} warm-up + ${iterations} measured iteration(s) per variant, median reported${quick ? " (--quick)" : ""}`);
console.log(TARGET);
const loadAtStart = os.loadavg()[0];
if (loadAtStart > os.cpus().length * 0.5) {
  console.log(`note: load average is ${loadAtStart.toFixed(2)} on ${os.cpus().length} CPU(s): other processes compete for the CPU, ` +
    "so absolute times are noisy; compare ratios, and rerun if a row is flagged noisy below");
}
console.log("");

const started = Date.now();
const results = []; // { workload, cells: Map<variant, {median, checksum} | {error}> }
const failures = [];

for (const file of workloads) {
  const workload = basename(file, ".ts");
  const fileName = join("bench/workloads", file);
  const source = readFileSync(join(workloadDir, file), "utf8");
  const cells = new Map();
  results.push({ workload, cells });

  for (const variant of variants) {
    if (variant.only && !variant.only.includes(file)) continue;
    const label = `${workload} / ${variant.name}`;
    let code;
    try {
      code = variant.build(source, fileName);
    } catch (error) {
      record(label, cells, variant.name, "BUILD FAILED", error.message);
      continue;
    }
    const outFile = join(outDir, `${workload}.${variant.name}.mjs`);
    writeFileSync(outFile, code + driver(workload, variant.name));

    const nodeArgs = ["--expose-gc"];
    if (cpuProf) nodeArgs.push("--cpu-prof", "--cpu-prof-dir", profDir, "--cpu-prof-name", `${workload}.${variant.name}.cpuprofile`);
    process.stdout.write(`  running ${label} ... `);
    const child = spawnSync(process.execPath, [...nodeArgs, outFile], {
      encoding: "utf8",
      timeout: timeoutMs,
      maxBuffer: 16 * 1024 * 1024,
    });
    const line = (child.stdout ?? "").split("\n").find((l) => l.startsWith("BENCH "));
    if (child.error || child.status !== 0 || !line) {
      const why = child.error ? child.error.message : child.signal ? `killed by ${child.signal}` : `exit code ${child.status}`;
      process.stdout.write("FAILED\n");
      record(label, cells, variant.name, "RUN FAILED", `${why}\n${child.stderr ?? ""}${child.stdout ?? ""}`.trim());
      continue;
    }
    const data = JSON.parse(line.slice("BENCH ".length));
    process.stdout.write(`${fmtMs(data.median)} ms\n`);
    cells.set(variant.name, data);
  }

  // A benchmark that computes something else is worthless: every variant must agree with native.
  const native = cells.get("native");
  for (const [name, data] of cells) {
    if (name === "native" || data.error || !native || native.error) continue;
    if (!Object.is(data.checksum, native.checksum)) {
      const message = `checksum mismatch: ${name} returned ${data.checksum}, native returned ${native.checksum}`;
      record(`${workload} / ${name}`, cells, name, "WRONG RESULT", message);
    }
  }
}

function record(label, cells, variant, short, detail) {
  cells.set(variant, { error: short });
  failures.push({ label, detail });
}

// ---------------------------------------------------------------------------------------------
// Report
function fmtMs(ms) {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}
function cellMs(data) {
  return !data ? "-" : data.error ? data.error : fmtMs(data.median);
}
function cellRatio(data, native) {
  if (!data || data.error || !native || native.error) return "-";
  return (data.median / native.median).toFixed(2) + "x";
}

const header = ["workload", "native ms", "unawait ms", "unawait/native", "ts-es2015 ms", "es2015/native", "ts-es5 ms", "es5/native", "checksum"];
const rows = results.map(({ workload, cells }) => {
  const native = cells.get("native");
  return [
    workload,
    cellMs(native),
    cellMs(cells.get("unawait")),
    cellRatio(cells.get("unawait"), native),
    cellMs(cells.get("ts-es2015")),
    cellRatio(cells.get("ts-es2015"), native),
    cellMs(cells.get("ts-es5")),
    cellRatio(cells.get("ts-es5"), native),
    native && !native.error ? String(native.checksum) : "-",
  ];
});
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const rightAligned = (i) => i > 0;
const fmtRow = (r) => "| " + r.map((c, i) => (rightAligned(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(" | ") + " |";
console.log("");
console.log(fmtRow(header));
console.log("|" + widths.map((w, i) => (rightAligned(i) ? "-".repeat(w + 1) + ":" : "-".repeat(w + 2))).join("|") + "|");
for (const r of rows) console.log(fmtRow(r));
console.log("");
console.log(TARGET);
const verdicts = results.map(({ workload, cells }) => {
  const n = cells.get("native"), u = cells.get("unawait");
  if (!n || n.error || !u || u.error) return `${workload}: n/a`;
  const ratio = u.median / n.median;
  return `${workload}: ${ratio.toFixed(2)}x ${ratio <= 1.5 ? "meets" : "MISSES"} the target`;
});
console.log(verdicts.join("; "));
const noisy = [];
for (const { workload, cells } of results) {
  for (const [name, d] of cells) {
    if (!d.error && (d.max - d.min) / d.median > 0.3) noisy.push(`${workload}/${name} (${fmtMs(d.min)}..${fmtMs(d.max)} ms)`);
  }
}
const futureRows = results.filter(({ cells }) => cells.has("future"));
if (futureRows.length) {
  console.log("");
  console.log("future mode (every await ready: no tick, no promise), same run:");
  console.log("| workload | native ms | future ms | native/future |");
  console.log("|----------|----------:|----------:|--------------:|");
  const speedups = [];
  for (const { workload, cells } of futureRows) {
    const n = cells.get("native"), fu = cells.get("future");
    const speedup = !n || n.error || fu.error ? "-" : (n.median / fu.median).toFixed(2) + "x";
    console.log(`| ${workload} | ${cellMs(n)} | ${cellMs(fu)} | ${speedup} |`);
    if (speedup !== "-") speedups.push(`${workload}: ${speedup} faster than native, ${n.median / fu.median >= 3 ? "meets" : "MISSES"} the target`);
  }
  console.log("future mode target: at least 3x faster than native ('native/future')");
  console.log(speedups.join("; "));
}
if (noisy.length) console.log(`noisy (max-min > 30% of median): ${noisy.join(", ")}`);
console.log(`all variants checked against native's checksum; programs in bench/.out/; total ${((Date.now() - started) / 1000).toFixed(1)} s`);

if (cpuProf) summarizeProfiles();

if (failures.length) {
  console.error("");
  console.error(`bench: ${failures.length} FAILURE(S):`);
  for (const f of failures) {
    console.error(`--- ${f.label}`);
    console.error(f.detail.split("\n").slice(0, 30).join("\n"));
  }
  process.exitCode = 1;
}

// ---------------------------------------------------------------------------------------------
// --cpu-prof: the functions with the most self time in each unawait/native profile.
function summarizeProfiles() {
  let files;
  try {
    files = readdirSync(profDir).filter((f) => f.endsWith(".cpuprofile")).sort();
  } catch {
    return;
  }
  console.log("");
  console.log(`CPU profiles in ${profDir} (open in Chrome DevTools); top self time per variant:`);
  for (const f of files) {
    const profile = JSON.parse(readFileSync(join(profDir, f), "utf8"));
    const self = new Map();
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const dt = profile.timeDeltas;
    for (let i = 0; i < profile.samples.length; i++) {
      const node = byId.get(profile.samples[i]);
      const cf = node.callFrame;
      const key = `${cf.functionName || "(anonymous)"} ${cf.url ? basename(cf.url) + ":" + (cf.lineNumber + 1) : ""}`.trim();
      self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0));
    }
    const total = [...self.values()].reduce((a, b) => a + b, 0);
    const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
    console.log(`  ${f}`);
    for (const [key, us] of top) console.log(`    ${((100 * us) / total).toFixed(1).padStart(5)}%  ${key}`);
  }
}
