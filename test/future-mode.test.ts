/**
 * Future-mode programs, run the way a reader would run them — `unawait run FILE --mode future
 * --clock virtual` — against the output kept next to each (`<name>.stdout`, and `<name>.stderr`
 * with the warnings and the virtual time). Every program runs twice: a run on the virtual clock
 * does the same thing every time.
 *
 * - fixtures/seeds/: every example of ../shared/seeds (issue 5 item 8), printing what its text says.
 * - fixtures/future/: Rust's model beyond the seeds: drop running finally blocks, poisoning, ready
 *   awaits without a tick, laziness, channels, intervals and timeouts.
 */
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { root } from "./support/fixtures.js";

const run = promisify(execFile);
const bin = join(root, "dist/cli/unawait.js");
const programs = (topic: string): string[] => readdirSync(join(root, "fixtures", topic)).filter((f) => f.endsWith(".ts")).sort();
const seeds = programs("seeds");

async function runProgram(path: string): Promise<{ stdout: string; stderr: string }> {
  const { stdout, stderr } = await run(process.execPath, [bin, "run", path, "--mode", "future", "--clock", "virtual"], { cwd: root });
  return { stdout, stderr };
}

/** Runs `fixtures/<topic>/<file>` twice and compares both runs with the kept output. */
async function checkProgram(topic: string, file: string): Promise<void> {
  const base = join(root, "fixtures", topic, file.slice(0, -3));
  const expected = { stdout: readFileSync(`${base}.stdout`, "utf8"), stderr: readFileSync(`${base}.stderr`, "utf8") };
  const first = await runProgram(`fixtures/${topic}/${file}`);
  const second = await runProgram(`fixtures/${topic}/${file}`);
  expect(first).toEqual(expected);
  expect(second).toEqual(first);
}

describe.concurrent("the seeds' examples print what their texts say, in future mode on the virtual clock", () => {
  it("there is one for every example with code in the four seed texts", () => {
    expect(seeds.length).toBeGreaterThanOrEqual(15);
  });

  for (const file of seeds) it(file, () => checkProgram("seeds", file));
});

describe.concurrent("future mode beyond the seeds: drop, poisoning, ready awaits, laziness, channels, time", () => {
  for (const file of programs("future")) it(file, () => checkProgram("future", file));
});

/**
 * Programs whose every future is awaited as soon as it is made print the same in both modes: an
 * async generator as a Stream against the engine's own async generator, lowered `using` against
 * itself in promise mode. (Node 20 has no native `using` to compare with.)
 */
const SAME_IN_PROMISE_MODE = ["async-generators-are-streams.ts", "stream-return-runs-finally.ts", "stream-throw-and-delegation.ts", "using-declarations.ts"];

describe.concurrent("future mode agrees with promise mode where laziness cannot show", () => {
  for (const file of SAME_IN_PROMISE_MODE) {
    it(file, async () => {
      const { stdout } = await run(process.execPath, [bin, "run", `fixtures/future/${file}`, "--mode", "promise", "--clock", "virtual"], { cwd: root });
      expect(stdout).toBe(readFileSync(join(root, "fixtures/future", file.replace(/\.ts$/, ".stdout")), "utf8"));
    });
  }
});

describe("what the texts claim, asserted on the outputs", () => {
  const out = (name: string): string => readFileSync(join(root, "fixtures/seeds", `${name}.stdout`), "utf8");
  const err = (name: string): string => readFileSync(join(root, "fixtures/seeds", `${name}.stderr`), "utf8");

  it("the sleep comes between hello... and world!", () => {
    expect(out("say-hello-sleep")).toBe("hello... (0 ms)\nworld! (1000 ms)\n");
  });

  it("two tasks interleave under join: both start before either finishes, after 1 s in all", () => {
    expect(out("join-two-tasks")).toBe("task 1 started\ntask 2 started\ntask 1 finished\ntask 2 finished\nboth done at 1000 ms\n");
  });

  it("two concurrent fetches take about 3 s, not 4 s", () => {
    expect(out("join-fetches-3s-not-4s")).toContain("Total execution time is 3s, not 4s.");
    expect(err("join-fetches-3s-not-4s")).toBe("unawait: main finished after 3000 ms of virtual time\n");
  });

  it("a future that is never awaited never runs, and the call is warned about", () => {
    expect(out("no-await-pitfall")).toBe("Starting program.\nFinished program.\n");
    expect(err("no-await-pitfall")).toMatch(/no-await-pitfall\.ts:14:3: warning UA2002: the future of `myTask\(\)` is never awaited/);
    expect(out("hello-never-polled")).toBe("");
  });

  it("select returns with the first branch and drops the other", () => {
    expect(out("select-first-wins")).toContain("task completed first");
    expect(err("select-first-wins")).toBe("unawait: main finished after 1500 ms of virtual time\n");
  });
});
