import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "dist/cli/unawait.js");
const exampleTotal = readFileSync(join(root, "fixtures/basics/example-total.ts"), "utf8");
const exampleTotalLog = "load a\nload c\nsync end\nload b\nload a\nload b\nfirst 3\nsecond 6\n";
let work: string;

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user would, in the scratch directory. */
function unawait(args: string[], input?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: work });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? "");
  });
}

/** Writes a file into the scratch directory and returns its name (relative to it). */
function file(name: string, text: string): string {
  writeFileSync(join(work, name), text);
  return name;
}

/** Builds dist/ when it is missing or older than a source file, so the tests never run stale code. */
function ensureBuilt(): void {
  const newestSource = ["cli", "src"]
    .flatMap((dir) => readdirSync(join(root, dir), { recursive: true, encoding: "utf8" }).map((entry) => join(root, dir, entry)))
    .filter((path) => path.endsWith(".ts"))
    .reduce((newest, path) => Math.max(newest, statSync(path).mtimeMs), 0);
  let built = 0;
  try {
    built = statSync(bin).mtimeMs;
  } catch {
    // not built yet
  }
  if (built >= newestSource) return;
  const tsc = spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", root], { encoding: "utf8" });
  if (tsc.status !== 0) throw new Error(`tsc -p . failed:\n${tsc.stdout}${tsc.stderr}`);
}

beforeAll(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), "unawait-cli-test-"));
}, 120_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe("unawait --help and --version", () => {
  it("--help documents every command and option and exits 0", async () => {
    const { code, stdout, stderr } = await unawait(["--help"]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    for (const word of ["unawait FILE", "lower FILE|-", "run FILE", "-- ARGS", "check FILE", "graph FILE", "--dot", "--js", "--runtime import|inline", "-o, --out OUT", "--function NAME", "--mode promise|future", "--clock real|virtual", "--trace", "--diff", "-h, --help", "--version", "Exit codes"]) {
      expect(stdout).toContain(word);
    }
  });

  it("-h is --help, even after a command", async () => {
    const help = await unawait(["--help"]);
    expect(await unawait(["-h"])).toEqual(help);
    expect(await unawait(["run", "x.ts", "-h"])).toEqual(help);
  });

  it("--version prints the package version", async () => {
    const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
    expect(await unawait(["--version"])).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
  });
});

describe("usage errors: one plain sentence, exit 2", () => {
  it.each([
    ["no arguments", [], "unawait: no input file given (see unawait --help)"],
    ["an unknown option", ["--fast", "a.ts"], "unawait: unknown option --fast (see unawait --help)"],
    ["a missing file", ["missing.ts"], "unawait: cannot read missing.ts: no such file or directory (see unawait --help)"],
    ["a directory", ["lower", "."], "unawait: cannot read .: it is a directory (see unawait --help)"],
    ["a bad --mode", ["--mode", "lazy", "a.ts"], "unawait: --mode must be promise or future, not 'lazy' (see unawait --help)"],
    ["a bad --runtime", ["lower", "a.ts", "--runtime=bundled"], "unawait: --runtime must be import or inline, not 'bundled' (see unawait --help)"],
    ["-o without a value", ["a.ts", "-o"], "unawait: option -o (--out) needs a value (see unawait --help)"],
    ["-o followed by an option", ["a.ts", "-o", "--js"], "unawait: option -o (--out) needs a value (see unawait --help)"],
    ["a value for a flag", ["a.ts", "--js=yes"], "unawait: option --js takes no value (see unawait --help)"],
    ["an option of another command", ["run", "a.ts", "--js"], "unawait: option --js does not apply to 'run' (see unawait --help)"],
    ["a second file", ["check", "a.ts", "b.ts"], "unawait: unexpected argument 'b.ts' (see unawait --help)"],
    ["program arguments without --", ["run", "a.ts", "x"], "unawait: unexpected argument 'x'; to pass arguments to the program, put them after -- (see unawait --help)"],
    ["a command without its FILE", ["check"], "unawait: 'check' needs a FILE (see unawait --help)"],
    ["check in future mode", ["check", "a.ts", "--mode", "future"], "unawait: 'check' compares with native, which only promise mode matches; run a future-mode program with 'unawait run FILE --mode future' (see unawait --help)"],
    ["run from stdin", ["run", "-"], "unawait: 'run' cannot read the program from stdin (the program gets the stdin); give a FILE (see unawait --help)"],
  ])("%s", async (_name, args, message) => {
    file("a.ts", "export {};\n");
    expect(await unawait(args)).toEqual({ code: 2, stdout: "", stderr: `${message}\n` });
  });
});

describe("unawait FILE and unawait lower", () => {
  it("prints the lowered TypeScript formatted with prettier", async () => {
    const name = file("plain.ts", "const   x:number=1\nconsole.log( x )\n");
    expect(await unawait([name])).toEqual({ code: 0, stdout: "const x: number = 1;\nconsole.log(x);\n", stderr: "" });
  });

  it("lower - reads the source from stdin", async () => {
    expect(await unawait(["lower", "-"], "let  y = 2\n")).toEqual({ code: 0, stdout: "let y = 2;\n", stderr: "" });
  });

  it("-o writes the output to a file (replacing it) and leaves no temporary file", async () => {
    mkdirSync(join(work, "out"), { recursive: true });
    const name = file("out/source.ts", "const   z = 3\n");
    file("out/lowered.ts", "old contents\n");
    expect(await unawait(["lower", name, "-o", "out/lowered.ts"])).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(readFileSync(join(work, "out/lowered.ts"), "utf8")).toBe("const z = 3;\n");
    expect(readdirSync(join(work, "out")).sort()).toEqual(["lowered.ts", "source.ts"]);
  });

  it("-o into a directory that does not exist is a usage error", async () => {
    const name = file("b.ts", "export {};\n");
    const { code, stderr } = await unawait([name, "-o", "no/such/dir/b.lowered.ts"]);
    expect(code).toBe(2);
    expect(stderr).toBe("unawait: cannot write no/such/dir/b.lowered.ts: no such file or directory (see unawait --help)\n");
  });

  it("--diff prints a unified diff from the source to the lowered code", async () => {
    const name = file("diffme.ts", "const   x = 1\n");
    const { code, stdout } = await unawait([name, "--diff"]);
    expect(code).toBe(0);
    expect(stdout).toBe("--- diffme.ts\n+++ diffme.lowered.ts\n@@ -1,1 +1,1 @@\n-const   x = 1\n+const x = 1;\n");
  });

  it("--diff with --js names the lowered side .js", async () => {
    const name = file("diffjs.ts", "export {};\n");
    const { stdout } = await unawait(["lower", name, "--js", "--diff"]);
    expect(stdout).toMatch(/^--- diffjs\.ts\n\+\+\+ diffjs\.lowered\.js\n/);
  });
});

describe("unawait run", () => {
  it("passes arguments after --, stdin and stdout through, and exits with the program's exit code", async () => {
    const name = file(
      "echo.ts",
      `const args: string[] = process.argv.slice(2);\nprocess.stdin.on("data", (d) => console.log(args.join(" "), "|", String(d).trim()));\nprocess.exitCode = 7;\n`,
    );
    expect(await unawait(["run", name, "--", "a", "--mode", "b"], "from stdin\n")).toEqual({ code: 7, stdout: "a --mode b | from stdin\n", stderr: "" });
  });

  it("runs the DESIGN.md example", async () => {
    const name = file("total.ts", exampleTotal);
    expect(await unawait(["run", name, "--mode", "promise"])).toEqual({ code: 0, stdout: exampleTotalLog, stderr: "" });
  });

  it("lets an uncaught error print Node's report to stderr and exit 1", async () => {
    const name = file("crash.ts", `async function main() { throw new RangeError("out of range"); }\nmain();\n`);
    const { code, stdout, stderr } = await unawait(["run", name]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain("RangeError: out of range");
    expect(stderr).not.toContain("internal error");
  });
});

describe("unawait check", () => {
  it("reports same output for the DESIGN.md example and exits 0", async () => {
    const name = file("total.ts", exampleTotal);
    expect(await unawait(["check", name])).toEqual({ code: 0, stdout: "same output\n", stderr: "" });
  });

  it("shows differing output as a diff and exits 1", async () => {
    const name = file("random.ts", `console.log("same line");\nconsole.log(Math.random());\n`);
    const { code, stdout } = await unawait(["check", name]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^stdout differs:\n--- native\n\+\+\+ lowered\n@@ -1,2 \+1,2 @@\n same line\n-0\.\d+\n\+0\.\d+\n$/);
  });
});

describe("unawait graph", () => {
  it("prints the state graph as Mermaid: every state, suspensions thick, exceptions dotted, returns to DONE", async () => {
    const name = file("total.ts", exampleTotal);
    const { code, stdout, stderr } = await unawait(["graph", name, "--function", "total"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const lines = stdout.split("\n");
    expect(lines[0]).toBe("flowchart TD");
    expect(lines).toContain('  s3["3 · resume after await #35;1 `load(id)` · line 13 · live: sum, $iter1"]');
    expect(lines).toContain("  s2 ==>|await| s3");
    expect(lines).toContain("  s3 --> s2");
    expect(lines).toContain("  s2 -.->|catch| s5");
    expect(lines).toContain("  s7 -->|return| DONE");
    expect(lines.filter((l) => /^  s\d+\[/.test(l))).toHaveLength(8);
  });

  it("--dot prints Graphviz DOT, one digraph per machine", async () => {
    const name = file("two.ts", `async function a() { await 1; }\nfunction* b() { yield 1; }\n`);
    const { code, stdout } = await unawait(["graph", name, "--dot"]);
    expect(code).toBe(0);
    expect(stdout.match(/^digraph /gm)).toHaveLength(2);
    expect(stdout).toContain(`  s0 -> s1 [label="await", style=bold];`);
    expect(stdout).toContain(`  s0 -> s1 [label="yield", style=bold];`);
  });

  it("a file with nothing to draw says so and exits 1", async () => {
    const name = file("plain.ts", `console.log(1);\n`);
    const { code, stdout, stderr } = await unawait(["graph", name]);
    expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
    expect(stderr).toContain("no async function, generator or async generator to draw");
  });
});

describe("lowering through the CLI", () => {
  it("unawait FILE prints a state-machine class with a poll method for each async function", async () => {
    const name = file("total.ts", exampleTotal);
    const { code, stdout, stderr } = await unawait([name]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toMatch(/class total\$Future/);
    expect(stdout).toMatch(/class load\$Future/);
    expect(stdout).toContain("poll(");
    expect(stdout).not.toMatch(/async function total\s*\(/);
  });

  it("--phase prints each boundary of the pipeline", async () => {
    const name = file("total.ts", exampleTotal);
    const phases = await Promise.all(["normalize", "ir", "states", "layout"].map((p) => unawait([name, "--function", "total", "--phase", p])));
    for (const r of phases) expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    const [normalize, ir, states, layout] = phases.map((r) => r.stdout);
    expect(normalize).toMatch(/const item = await load\(id\);/);
    expect(normalize).toMatch(/\$rt\.iterate\(ids\)/);
    expect(ir).toMatch(/suspend\s+await\s+load\(id\) → L\d+/);
    expect(states).toMatch(/^state 3: resume after await #1 `load\(id\)` \(line \d+\) \[resume\]/m);
    expect(layout).toMatch(/^fields:  ids, sum, \$iter1$/m);
    expect(layout).toMatch(/^locals of poll:  \$value1, id, item, \$caught1$/m);
    expect((await unawait([name, "--phase", "bogus"])).code).toBe(2);
  });

  it("--function NAME lowers only that function", async () => {
    const name = file("total.ts", exampleTotal);
    const { stdout } = await unawait([name, "--function", "total"]);
    expect(stdout).toMatch(/class total\$Future/);
    expect(stdout).not.toMatch(/class load\$Future/);
  });

  it("lower --js --runtime inline -o writes a standalone script that runs like the original", async () => {
    const name = file("total.ts", exampleTotal);
    expect(await unawait(["lower", name, "--js", "--runtime", "inline", "-o", "total.cjs"])).toEqual({ code: 0, stdout: "", stderr: "" });
    const lowered = readFileSync(join(work, "total.cjs"), "utf8");
    expect(lowered).not.toMatch(/\bunawait\/runtime\b/);
    const run = spawnSync(process.execPath, ["total.cjs"], { cwd: work, encoding: "utf8" });
    expect(run.stdout).toBe(exampleTotalLog);
  });

  it("lower - --js --runtime inline keeps `await` as a plain name in a script (before `in` and `instanceof` too)", async () => {
    const script = [
      "var await = 2;",
      "console.log(await in { 2: 0 }, await instanceof Function, `${await} await in`, /await in/.source);",
      "function g() { return await; }",
      "async function f() { return (await 1) + g(); }",
      "f().then(console.log);",
      "",
    ].join("\n");
    const { code, stdout, stderr } = await unawait(["lower", "-", "--js", "--runtime", "inline"], script);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toMatch(/class f\$Future/);
    file("await-name.native.js", script);
    file("await-name.lowered.js", stdout);
    const native = spawnSync(process.execPath, ["await-name.native.js"], { cwd: work, encoding: "utf8" });
    const lowered = spawnSync(process.execPath, ["await-name.lowered.js"], { cwd: work, encoding: "utf8" });
    expect(native.stdout).toBe("true false 2 await in await in\n3\n");
    expect(lowered.stdout).toBe(native.stdout);
  });

  it("--diff shows the async function replaced by its machine", async () => {
    const name = file("total.ts", exampleTotal);
    const { stdout } = await unawait([name, "--diff"]);
    expect(stdout).toMatch(/^-async function total\(/m);
    expect(stdout).toMatch(/^\+class total\$Future/m);
  });

  it("an error diagnostic prints file:line:col with a code frame, exits 1, and writes nothing", async () => {
    const name = file("with.ts", `const o = { x: 1 };\nasync function f() {\n  with (o) { await x; }\n}\nf();\n`);
    file("with.lowered.ts", "untouched\n");
    const { code, stdout, stderr } = await unawait([name, "-o", "with.lowered.ts", "--strict"]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^with\.ts:3:3: error UA\d+: .+\n  2 \| async function f\(\) \{\n> 3 \|   with \(o\) \{ await x; \}\n    \|   \^~~~\n$/);
    expect(readFileSync(join(work, "with.lowered.ts"), "utf8")).toBe("untouched\n");
    expect(readdirSync(work).filter((entry) => entry.endsWith(".tmp"))).toEqual([]);
  });

  it("an early error the engine would report (invalid assignment target) is refused, not lowered", async () => {
    const name = file("early.js", "async function f() {\n  (await 1) = 2;\n}\n");
    const { code, stdout, stderr } = await unawait(["lower", name, "--js"]);
    expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
    expect(stderr).toMatch(/^early\.js:2:\d+: error UA1001: syntax error: Invalid left-hand side in assignment/);
  });

  it("a rest parameter with a trailing comma is refused as the engine refuses it", async () => {
    const name = file("rest.js", "async function f(...a,) {\n  await a;\n}\n");
    const { code, stdout } = await unawait(["lower", name, "--js"]);
    expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
  });

  it("a syntax error is a diagnostic, not a stack trace", async () => {
    const name = file("broken.ts", "async function f() {\n  await ;\n");
    const { code, stdout, stderr } = await unawait([name]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^broken\.ts:\d+:\d+: error UA\d+: /);
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it("check and run stop on error diagnostics", async () => {
    const name = file("with.ts", `const o = { x: 1 };\nasync function f() {\n  with (o) { await x; }\n}\nf();\n`);
    for (const command of ["check", "run"]) {
      const { code, stdout, stderr } = await unawait([command, name, "--strict"]);
      expect({ command, code, stdout }).toEqual({ command, code: 1, stdout: "" });
      expect(stderr).toMatch(/^with\.ts:3:3: error UA\d+: /);
    }
  });

});

describe("future mode", () => {
  it("--mode future prints different code from promise mode: the machine itself, awaits adapted by intoFuture", async () => {
    const name = file("total.ts", exampleTotal);
    const [promise, future] = await Promise.all([unawait([name]), unawait([name, "--mode", "future"])]);
    expect(future.code).toBe(0);
    expect(future.stdout).not.toBe(promise.stdout);
    expect(future.stdout).toContain("return new total$Future(");
    expect(future.stdout).toContain("$rt.intoFuture(");
    expect(future.stdout).not.toContain("$rt.promise(");
  });

  it("warnings print but do not fail: a future created and never awaited (future mode)", async () => {
    const name = file("dropped.ts", `async function work() { console.log("never runs"); }\nwork();\nconsole.log("done");\n`);
    const { code, stdout, stderr } = await unawait([name, "--mode", "future"]);
    expect(code).toBe(0);
    expect(stdout).not.toBe("");
    expect(stderr).toMatch(/^dropped\.ts:2:1: warning UA2002: the future of `work\(\)` is never awaited, and futures do nothing unless you await or poll them/);
  });

  it("void f() drops a future on purpose: no warning", async () => {
    const name = file("voided.ts", `async function work() {}\nvoid work();\n`);
    const { code, stderr } = await unawait([name, "--mode", "future"]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
  });

  it("run: the exported main is the root task; the virtual clock jumps over sleeps and reports the time", async () => {
    const name = file(
      "hello.ts",
      `import { sleep, now } from "unawait/runtime";\nexport async function main() {\n  console.log("hello...", now());\n  await sleep(1000);\n  console.log("world!", now());\n}\n`,
    );
    const started = Date.now();
    const { code, stdout, stderr } = await unawait(["run", name, "--mode", "future", "--clock", "virtual"]);
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: "hello... 0\nworld! 1000\n", stderr: "unawait: main finished after 1000 ms of virtual time\n" });
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it("run --trace prints every spawn, poll (states and lines), wake and completion on stderr", async () => {
    const name = file("traced.ts", `import { sleep } from "unawait/runtime";\nexport async function main() {\n  await sleep(5);\n}\n`);
    const { code, stderr } = await unawait(["run", name, "--mode", "future", "--clock", "virtual", "--trace"]);
    expect(code).toBe(0);
    expect(stderr.split("\n")).toEqual([
      "[    0 ms] task 1 (main): spawned",
      "[    0 ms] task 1 (main): polled, state 0 (line 2) -> 1 (line 3), pending",
      "[    5 ms] clock 0 -> 5 ms",
      "[    5 ms] task 1 (main): woken",
      "[    5 ms] task 1 (main): polled, state 1 (line 3) -> DONE, ready",
      "[    5 ms] task 1 (main): finished",
      "unawait: main finished after 5 ms of virtual time",
      "",
    ]);
  });

  it("run: a main that throws fails the program with its error (exit 1)", async () => {
    const name = file("fails.ts", `export async function main() {\n  throw new Error("boom in main");\n}\n`);
    const { code, stderr } = await unawait(["run", name, "--mode", "future"]);
    expect(code).toBe(1);
    expect(stderr).toContain("boom in main");
  });

  it("a bad --clock is a usage error", async () => {
    file("a.ts", "export {};\n");
    expect(await unawait(["run", "a.ts", "--clock", "fast"])).toEqual({ code: 2, stdout: "", stderr: "unawait: --clock must be real or virtual, not 'fast' (see unawait --help)\n" });
  });
});

describe("with and direct eval: left native in promise mode (issue 13 item 6)", () => {
  const source = `async function evil(code) {\n  await null;\n  return eval(code);\n}\nasync function fine() {\n  await null;\n  return 2;\n}\nPromise.all([evil("1"), fine()]).then((v) => console.log(v.join(" ")));\n`;

  it("warns with file:line:col, names the construct, the function and why, lowers the rest, and comments where the machine would be", async () => {
    const name = file("evil.js", source);
    const { code, stdout, stderr } = await unawait(["lower", name]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/^evil\.js:3:10: warning UA1003: async function `evil` \(evil\.js:1\) is left native \(the engine's own, not lowered\): the direct `eval` at 3:10 could read or declare any of its locals, which no machine can keep\n/);
    expect(stdout).toContain("// unawait: async function `evil` (evil.js:1) is left native: the direct `eval` at 3:10 could read or declare any of its locals\nasync function evil(code) {");
    expect(stdout).toContain("class fine$Future");
    expect(stdout).not.toContain("class evil$Future");
    const ran = await unawait(["run", name]);
    expect({ code: ran.code, stdout: ran.stdout }).toEqual({ code: 0, stdout: "1 2\n" });
  });

  it("--strict makes it an error: exit 1, nothing printed or written", async () => {
    const name = file("evil-strict.js", source);
    file("evil-strict.out.js", "untouched\n");
    const { code, stdout, stderr } = await unawait(["lower", name, "--js", "--strict", "-o", "evil-strict.out.js"]);
    expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
    expect(stderr).toMatch(/^evil-strict\.js:3:10: error UA1003: async function `evil` \(evil-strict\.js:1\) cannot be lowered: the direct `eval` at 3:10 could read or declare any of its locals, which no machine can keep \(--strict: not left native\)\n/);
    expect(readFileSync(join(work, "evil-strict.out.js"), "utf8")).toBe("untouched\n");
  });

  it("in future mode it is an error: a native async function would return a promise, not a future", async () => {
    const name = file("with-future.js", `var o = { x: 1 };\nasync function f() {\n  with (o) { await x; }\n}\n`);
    const { code, stdout, stderr } = await unawait(["lower", name, "--mode", "future"]);
    expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
    expect(stderr).toMatch(/^with-future\.js:3:3: error UA1002: async function `f` \(with-future\.js:2\) cannot be lowered: the `with` at 3:3 decides at run time which names are its locals, which no machine can keep; in future mode it cannot stay native either/);
  });

  it("an eval in a plain closure inside an async function keeps the async function native", async () => {
    const name = file("closure-eval.js", `async function f() {\n  let x = 1;\n  const peek = () => eval("x");\n  await null;\n  x++;\n  return peek();\n}\nf().then(console.log);\n`);
    const { code, stdout, stderr } = await unawait(["lower", name, "--js", "--runtime", "inline"]);
    expect(code).toBe(0);
    expect(stderr).toContain("the direct `eval` at 3:22 (in a function inside it) could read or declare any of its locals");
    expect(stdout).not.toContain("f$Future");
  });
});

describe("reading stdin: language and goal (issue 13 item 7)", () => {
  it("valid JavaScript such as a < b > (c) is read as JavaScript, not as a TypeScript generic call; --lang ts says otherwise", async () => {
    const source = "var a = 1, b = 2, c = 3;\nconsole.log(a < b > (c));\n";
    const js = await unawait(["lower", "-", "--js"], source);
    expect(js).toEqual({ code: 0, stdout: source, stderr: "" });
    const ts = await unawait(["lower", "-", "--js", "--lang", "ts"], source);
    expect(ts.stdout).toContain("console.log(a(c));");
  });

  it("a text that needs TypeScript's syntax is read as TypeScript", async () => {
    const { code, stdout } = await unawait(["lower", "-", "--js"], "let x: number = 1;\nconsole.log(x as number);\n");
    expect({ code, stdout }).toEqual({ code: 0, stdout: "let x = 1;\nconsole.log(x);\n" });
  });

  it("a source that parses only as a module (a top-level await, no import or export) is read as a module", async () => {
    const source = "async function f() {\n  await null;\n  return 41;\n}\nconsole.log((await f()) + 1);\n";
    const imported = await unawait(["lower", "-", "--js"], source);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/^import \* as \$rt from "unawait\/runtime";\n/);
    expect(imported.stdout).not.toContain("export {}");
    const inline = await unawait(["lower", "-", "--js", "--runtime", "inline"], source);
    file("tla.mjs", inline.stdout);
    const ran = spawnSync(process.execPath, [join(work, "tla.mjs")], { encoding: "utf8" });
    expect({ status: ran.status, stdout: ran.stdout }).toEqual({ status: 0, stdout: "42\n" });
  });

  it("--module and --script say the goal; a text its goal refuses is a syntax error; both at once is a usage error", async () => {
    const script = await unawait(["lower", "-", "--script"], "const v = await 1;\n");
    expect(script.code).toBe(1);
    expect(script.stderr).toMatch(/^<stdin>:1:1: error UA1001: syntax error: /);
    const module = await unawait(["lower", "-", "--module", "--js"], "with (o) x;\n");
    expect(module.code).toBe(1);
    expect(module.stderr).toMatch(/^<stdin>:1:1: error UA1001: syntax error: .*\(read as a module: --module\)/);
    const asModule = await unawait(["lower", "-", "--module", "--js", "--runtime", "inline"], "async function f() { await null; }\nf();\n");
    expect(asModule.code).toBe(0);
    expect(asModule.stdout).toMatch(/^const \$rt = \(\(undefined\) => \{/);
    expect(await unawait(["lower", "-", "--module", "--script"], "x;\n")).toEqual({ code: 2, stdout: "", stderr: "unawait: --module and --script cannot both be given (see unawait --help)\n" });
    expect((await unawait(["lower", "-", "--lang", "c"], "x;\n")).stderr).toBe("unawait: --lang must be js or ts, not 'c' (see unawait --help)\n");
  });

  it("a file whose extension says nothing is read the same way", async () => {
    const name = file("program", "var a = 1, b = 2, c = 3;\nconsole.log(a < b > (c));\n");
    expect((await unawait(["lower", name, "--js"])).stdout).toContain("console.log(a < b > (c));");
  });
});

describe("a shebang stays first (issue 13 item 8)", () => {
  const source = "#!/usr/bin/env node\nasync function f() {\n  await null;\n  console.log('ran');\n}\nf();\n";

  it("for every target and runtime, and the program runs", async () => {
    const name = file("tool.js", source);
    for (const args of [[], ["--js"], ["--runtime", "inline"], ["--js", "--runtime", "inline"]]) {
      const { code, stdout, stderr } = await unawait(["lower", name, ...args]);
      expect({ args, code, stderr, first: stdout.split("\n")[0] }).toEqual({ args, code: 0, stderr: "", first: "#!/usr/bin/env node" });
    }
    const strict = file("tool-strict.js", `#!/usr/bin/env node\n"use strict";\n${source.split("\n").slice(1).join("\n")}`);
    const { stdout } = await unawait(["lower", strict, "--js"]);
    expect(stdout).toMatch(/^#!\/usr\/bin\/env node\n"use strict";\nconst \$rt = require\("unawait\/runtime"\);\n/);
    expect(await unawait(["run", name])).toEqual({ code: 0, stdout: "ran\n", stderr: "" });
  });
});

describe("the inline runtime adds no global binding to a script (issue 13 item 3)", () => {
  it("runs as a classic script beside another one: only the program's own declarations are global", async () => {
    const source = `"use strict";\nconsole.log(typeof early, early.name);\nearly().then((v) => console.log("early", v));\nasync function early() { await null; return [...gen()].join(); }\nfunction* gen() { yield 1; yield 2; }\nvar counter = 1;\n`;
    const name = file("page.js", source);
    const { code, stdout } = await unawait(["lower", name, "--js", "--runtime", "inline"]);
    expect(code).toBe(0);
    // Two copies load into one realm (the second redeclares nothing), then a third script looks around.
    const probe = (program: string): string => {
      const programFile = join(work, "page.program.js");
      writeFileSync(programFile, program);
      const script = [
        "const vm = require('node:vm');",
        "const context = vm.createContext({ console });",
        `const program = require('node:fs').readFileSync(${JSON.stringify(programFile)}, 'utf8');`,
        "vm.runInContext(program, context);",
        "vm.runInContext(program, context);",
        "vm.runInContext(`console.log(typeof $rt, typeof globalThis.$rt, typeof early$Future, typeof gen$Generator, typeof early, typeof gen, JSON.stringify(Object.getOwnPropertyDescriptor(globalThis, 'counter')))`, context);",
      ].join("\n");
      const ran = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
      return ran.stdout + ran.stderr;
    };
    const native = probe(source);
    expect(native).toContain("undefined undefined undefined undefined function function");
    expect(probe(stdout)).toBe(native);
  });

  it("a program's own $rt does not meet the runtime", async () => {
    const name = file("own-rt.js", `var $rt = "mine";\nasync function f() { await null; return $rt; }\nf().then(console.log);\n`);
    expect(await unawait(["run", name])).toEqual({ code: 0, stdout: "mine\n", stderr: "" });
  });
});

describe("the output always parses (issue 13)", () => {
  it("lowered JavaScript is parsed again in its input's goal; what does not parse is named with its line", async () => {
    const { outputParseProblem } = await import("../src/outputParses.js");
    const ts = (await import("typescript")).default;
    // A sloppy name in a class body (strict code) is what such a bug looks like.
    const broken = `function* g(x, arguments) {}\nclass g$Generator {\n  constructor(x, arguments) {}\n}\n`;
    expect(outputParseProblem(broken, "js", false, ts.ScriptKind.JS)).toMatchObject({ line: 3, message: expect.stringMatching(/arguments/) });
    expect(outputParseProblem("with (o) x;\n", "js", false, ts.ScriptKind.JS)).toBeUndefined();
    expect(outputParseProblem("with (o) x;\n", "js", true, ts.ScriptKind.JS)).toMatchObject({ line: 1 });
    expect(outputParseProblem("#!/usr/bin/env node\nawait 1;\n", "js", true, ts.ScriptKind.JS)).toBeUndefined();
    expect(outputParseProblem("let x: number = ;\n", "ts", false, ts.ScriptKind.TS)).toMatchObject({ line: 1 });
  });
});
