// A worker thread that lowers a program and runs it natively and lowered, each side in a fresh
// `node:vm` context, returning `RunResult`s that `compareRuns` understands. It is the fast path of
// the fuzzer: a fresh context costs under a millisecond where a fresh node process costs fifty.
// The fuzzer confirms every difference found here in fresh processes (`runNative`/`runLowered`,
// the repository's oracle) before it reports one, so the emulation below only has to be exact for
// the programs the fuzzer writes: plain-JavaScript scripts that use no timers, no I/O and nothing
// of Node but `console.log` and `queueMicrotask`.
//
// Plain JavaScript (not TypeScript) so that vitest and the compiled CLI can both start it as it is;
// the compiler comes from `dist/` (build first), whose directory is `workerData.dist`.
//
// Where it takes a shortcut from `compileNative`/`compileLowered` (each shortcut saves tens of ms):
// - the native side runs the source as it is: it is JavaScript already, so stripping types changes
//   nothing;
// - the lowered side is `lower(…, { target: "js", runtime: "import" })`: the same code as with
//   `runtime: "inline"` except the line `const $rt = require("unawait/runtime")`; its `require`
//   returns the inline runtime, evaluated afresh inside the program's own context (so its
//   `Promise` is the program's), compiled once.
//
// How a run imitates `node file.cjs`:
// - the code runs in the CommonJS wrapper, so top-level declarations are module-local as in Node;
// - the context shares our microtask queue (vm's default), so ticks interleave as in a process;
// - the run is over when the queue has drained: the programs have no timers, so one turn of the
//   event loop (two `setImmediate`s, to be safe) sees every microtask and every rejection check;
// - a synchronous throw, or a rejection that Node would report as unhandled, ends a process with
//   exit code 1 at that very point: from then on the run's output is dropped, as the process's
//   would never have been written, and the error is recorded as the process's recorder would
//   (`<origin>`, `Name: message` first line, or `util.inspect` of a non-error).
import { parentPort, workerData } from "node:worker_threads";
import { inspect, format } from "node:util";
import vm from "node:vm";
import { join } from "node:path";

const { lower } = await import(join(workerData.dist, "src", "index.js"));
const { LoweringError } = await import(join(workerData.dist, "src", "exec", "index.js"));
const { inlineRuntime } = await import(join(workerData.dist, "src", "emit", "inlineRuntime.js"));

/** The inline runtime as one expression (`(() => { ...; return { PENDING, ... }; })()`). */
const runtimeScript = new vm.Script(inlineRuntime().trim().replace(/^const \$rt = /, "").replace(/;$/, ""), { filename: "unawait-runtime.js" });

/** The run that owns the microtasks now running (runs never overlap). */
let active = null;

process.on("unhandledRejection", (reason) => {
  if (active !== null) die(active, "unhandledRejection", reason);
});
// A callback given to `queueMicrotask` that throws.
process.on("uncaughtException", (error) => {
  if (active !== null) die(active, "uncaughtException", error);
});

function die(run, origin, error) {
  if (run.dead) return;
  run.dead = true;
  run.uncaughtError = { origin, summary: summarize(error).split(/\r?\n/)[0] };
}

/** What the process's uncaught-error recorder writes (src/exec/uncaught-error.ts). */
function summarize(value) {
  try {
    if (value instanceof Error || (typeof value === "object" && value !== null && typeof value.name === "string" && typeof value.message === "string")) {
      const name = value.name;
      const message = value.message;
      return name === "" ? message : message === "" ? name : name + ": " + message;
    }
    return inspect(value);
  } catch {
    return "(an error that could not be inspected)";
  }
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

/** Runs one script (`code`) the way `node file.cjs` would, and returns a `RunResult`. */
async function runInContext(code, fileName, withRuntime) {
  const run = { lines: [], dead: false, uncaughtError: null };
  const console = { log: (...args) => { if (!run.dead) run.lines.push(format(...args)); } };
  const context = vm.createContext({ console, queueMicrotask });
  const runtime = withRuntime ? runtimeScript.runInContext(context) : undefined;
  const require = (id) => {
    if (id === "unawait/runtime" && runtime !== undefined) return runtime;
    throw new Error(`the sandbox cannot require ${id}`);
  };
  active = run;
  try {
    const wrapper = vm.runInContext(`(function (exports, require, module, __filename, __dirname) {${code}\n})`, context, { filename: fileName });
    const module = { exports: {} };
    wrapper.call(module.exports, module.exports, require, module, fileName, ".");
  } catch (error) {
    die(run, "uncaughtException", error);
  }
  await turn();
  await turn();
  active = null;
  const stdout = run.lines.length === 0 ? "" : run.lines.join("\n") + "\n";
  return { stdout, stderr: "", exitCode: run.dead ? 1 : 0, signal: null, timedOut: false, uncaughtError: run.uncaughtError };
}

/**
 * One job: `{ id, source, fileName, inlineRuntime }` in (`inlineRuntime`: lowered with the runtime
 * pasted in, as `compileLowered` does, for programs that shadow the globals it reads);
 * `{ id, native, lowered }` out, where `lowered` is a `RunResult`, or `{ refused: message }` when lowering reported errors, or `{ crashed: stack }`
 * when the compiler threw.
 */
async function runJob({ id, source, fileName, inlineRuntime }) {
  let lowered;
  try {
    const result = lower(source, { fileName, target: "js", runtime: inlineRuntime ? "inline" : "import" });
    const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === "error");
    if (errors.length > 0) lowered = { refused: new LoweringError(errors, source).message };
    else lowered = result.code;
  } catch (error) {
    lowered = { crashed: String(error?.stack ?? error) };
  }
  const native = await runInContext(source, fileName, false);
  if (typeof lowered !== "string") return { id, native, lowered };
  return { id, native, lowered: await runInContext(lowered, fileName, !inlineRuntime) };
}

// Jobs run one at a time, in order: two runs must never share the microtask queue.
let queue = Promise.resolve();
parentPort.on("message", (job) => {
  queue = queue.then(() => runJob(job)).then(
    (reply) => parentPort.postMessage(reply),
    (error) => parentPort.postMessage({ id: job.id, failed: String(error?.stack ?? error) }),
  );
});
