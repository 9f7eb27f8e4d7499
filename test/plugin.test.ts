/**
 * The ts-patch plugin (`unawait/transformer`), used as a user would: the project in
 * test/plugin-project (four files importing each other: async functions, async methods, awaits in
 * loops and try/finally, concurrent flows that log) is copied to a scratch directory, where
 * `node_modules/unawait` links to this package, and built twice with the same tsconfig: by `tspc`
 * (the plugin lowers every async function) and by plain `tsc` (the plugin entry is ignored). Both
 * builds must print the same, for ES module and CommonJS output. Then the other install path:
 * `ts-patch install` on a copy of typescript, and plain `tsc` from that copy.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import unawaitPlugin from "../src/transformer.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const project = join(root, "test/plugin-project");
const tspc = join(root, "node_modules/.bin/tspc");
const tsc = join(root, "node_modules/typescript/bin/tsc");
const tsPatch = join(root, "node_modules/ts-patch/bin/ts-patch.js");
const builtPlugin = join(root, "dist/src/transformer.cjs");
const scratch: string[] = [];

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Run {
  const r = spawnSync(process.execPath, args, { cwd, encoding: "utf8", env: { ...process.env, ...env } });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const show = (r: Run): string => `exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

/** Builds dist/ when it is missing or older than a source file: the plugin is loaded from dist/. */
function ensureBuilt(): void {
  const newestSource = ["cli", "src"]
    .flatMap((dir) => readdirSync(join(root, dir), { recursive: true, encoding: "utf8" }).map((entry) => join(root, dir, entry)))
    .filter((path) => /\.c?ts$/.test(path))
    .reduce((newest, path) => Math.max(newest, statSync(path).mtimeMs), 0);
  let built = 0;
  try {
    built = statSync(builtPlugin).mtimeMs;
  } catch {
    // not built yet
  }
  if (built >= newestSource) return;
  const r = run([tsc, "-p", root], root);
  if (r.status !== 0) throw new Error(`tsc -p . failed:\n${show(r)}`);
}

interface Variant {
  name: string;
  /** package.json "type" of the scratch project. */
  type: "module" | "commonjs";
  compilerOptions: Record<string, unknown>;
  /** How the emitted files reach the runtime. */
  link: RegExp;
}

const variants: Variant[] = [
  { name: "ES modules (module nodenext, type module)", type: "module", compilerOptions: {}, link: /^import \* as \$rt from "unawait\/runtime";$/m },
  { name: "CommonJS (module nodenext, type commonjs)", type: "commonjs", compilerOptions: {}, link: /^const \$rt = __importStar\(require\("unawait\/runtime"\)\);$/m },
  { name: "CommonJS (module commonjs)", type: "commonjs", compilerOptions: { module: "CommonJS", moduleResolution: undefined }, link: /^const \$rt = __importStar\(require\("unawait\/runtime"\)\);$/m },
];

/** A scratch copy of test/plugin-project, with `unawait` linked in and the variant's settings. */
function scratchProject(variant: Pick<Variant, "type" | "compilerOptions">, files?: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "unawait-plugin-test-"));
  scratch.push(dir);
  if (files) {
    mkdirSync(join(dir, "src"));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, "src", name), text);
  } else {
    cpSync(join(project, "src"), join(dir, "src"), { recursive: true });
  }
  const config = JSON.parse(readFileSync(join(project, "tsconfig.json"), "utf8")) as { compilerOptions: Record<string, unknown> };
  Object.assign(config.compilerOptions, variant.compilerOptions);
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(config, null, 2));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "plugin-test-project", private: true, type: variant.type }));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(root, join(dir, "node_modules/unawait"), "dir");
  return dir;
}

/** The emitted .js files of a build, by name. */
function emitted(dir: string): Map<string, string> {
  return new Map(readdirSync(dir).filter((name) => name.endsWith(".js")).sort().map((name) => [name, readFileSync(join(dir, name), "utf8")]));
}

/** What a file's syntax says about its async code (comments and strings, such as the legends, do not count). */
function census(js: string): { machines: number; asyncFunctions: number; awaits: number } {
  const sf = ts.createSourceFile("out.js", js, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const counts = { machines: 0, asyncFunctions: 0, awaits: 0 };
  const visit = (node: ts.Node): void => {
    if (ts.isHeritageClause(node) && node.token === ts.SyntaxKind.ExtendsKeyword && node.types.some((t) => t.expression.getText(sf) === "$rt.StateMachine")) counts.machines++;
    if (ts.isFunctionLike(node) && ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) counts.asyncFunctions++;
    if (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier)) counts.awaits++;
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return counts;
}

function expectLowered(out: Map<string, string>, link: RegExp): void {
  expect([...out.keys()]).toEqual(["log.js", "main.js", "store.js", "worker.js"]);
  for (const [name, js] of out) {
    const c = census(js);
    expect(c.machines, `${name}: state machines`).toBeGreaterThan(0);
    expect(c.asyncFunctions, `${name}: async functions left`).toBe(0);
    expect(c.awaits, `${name}: awaits left`).toBe(0);
    expect(js, `${name}: runtime link`).toMatch(link);
    expect(js.match(/unawait\/runtime/g), `${name}: one runtime link`).toHaveLength(1);
  }
}

function expectNative(out: Map<string, string>): void {
  expect([...out.keys()]).toEqual(["log.js", "main.js", "store.js", "worker.js"]);
  for (const [name, js] of out) {
    const c = census(js);
    expect(c.machines, `${name}: state machines`).toBe(0);
    expect(c.asyncFunctions, `${name}: async functions`).toBeGreaterThan(0);
    expect(js).not.toContain("unawait");
  }
  expect(out.get("store.js")).toMatch(/^\s*async get\(key\) \{$/m);
  expect(out.get("log.js")).toMatch(/^(export )?async function tick\(label\) \{$/m);
}

/** The project's output, natively: sanity of the program itself, so that "same as native" means something. */
function expectPlausibleTranscript(stdout: string): void {
  const lines = stdout.trimEnd().split("\n");
  expect(lines.slice(0, 2)).toEqual(["sync start", "sync end"]);
  expect(lines).toContain("w1 caught w1: no zz");
  expect(lines).toContain("totals 4 90 3");
  expect(lines).toContain("retry 14");
  expect(lines).toContain("interleave s1 s2 s3 e1 e2 e3");
  expect(lines).toContain("summary [1][2][3]");
  expect(lines.at(-1)).toBe("done");
}

beforeAll(() => {
  ensureBuilt();
}, 120_000);

afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe.each(variants)("tspc with the plugin, $name", (variant) => {
  let dir: string;
  let patched: Run;
  let native: Run;

  beforeAll(() => {
    dir = scratchProject(variant);
    const build = run([tspc, "-p", "."], dir);
    if (build.status !== 0) throw new Error(`tspc failed:\n${show(build)}`);
    const plain = run([tsc, "-p", ".", "--outDir", "native"], dir);
    if (plain.status !== 0) throw new Error(`tsc failed:\n${show(plain)}`);
    patched = run(["out/main.js"], dir);
    native = run(["native/main.js"], dir);
  }, 120_000);

  it("the lowered program prints exactly what the native one prints", () => {
    expect(native.status, show(native)).toBe(0);
    expect(native.stderr).toBe("");
    expectPlausibleTranscript(native.stdout);
    expect(patched.stderr).toBe("");
    expect(patched.status, show(patched)).toBe(0);
    expect(patched.stdout).toBe(native.stdout);
  });

  it("the plugin build is state machines, linked to unawait/runtime, with no async function left", () => {
    expectLowered(emitted(join(dir, "out")), variant.link);
  });

  it("the build without the plugin keeps native async", () => {
    expectNative(emitted(join(dir, "native")));
  });

  it("legends name the files relative to the project", () => {
    const log = readFileSync(join(dir, "out/log.js"), "utf8");
    expect(log).toContain("State machine for `async function tick` (src/log.ts:13)");
    expect(log).not.toContain(dir);
  });
});

describe("tspc: unawait's diagnostics are the compiler's", () => {
  it('with "strict": true, an async function unawait cannot lower fails the build, with file and position, and stays native', () => {
    const dir = scratchProject(
      { type: "module", compilerOptions: { plugins: [{ transform: "unawait/transformer", strict: true }] } },
      {
        "ok.ts": "export async function fine(): Promise<number> {\n  await null;\n  return 1;\n}\n",
        "bad.ts": [
          'import { fine } from "./ok.js";',
          "export async function sum(parts: Promise<number>[]): Promise<number> {",
          "  let total = await fine();",
          "  for (const part of parts) total += await part;",
          "  return total;",
          "}",
          "export async function evil(code: string): Promise<unknown> {",
          "  await null;",
          "  return eval(code);",
          "}",
          "export default class {",
          "  #n = 1;",
          "  async read(): Promise<number> {",
          "    await null;",
          "    return this.#n;",
          "  }",
          "}",
          "",
        ].join("\n"),
      },
    );
    const build = run([tspc, "-p", ".", "--pretty", "false"], dir);
    expect(build.status, show(build)).not.toBe(0);
    // tsc prints diagnostics on stdout.
    expect(build.stdout).toMatch(/^src\/bad\.ts\(9,10\): error TS91003: UA1003: async function `evil` \(src\/bad\.ts:7\) cannot be lowered: the direct `eval` at 9:10 could read or declare any of its locals/m);
    // The file with an error is emitted as written; the others are lowered.
    const out = emitted(join(dir, "out"));
    expect(census(out.get("bad.js")!)).toMatchObject({ machines: 0, asyncFunctions: 3 });
    expect(census(out.get("ok.js")!)).toMatchObject({ machines: 1, asyncFunctions: 0 });

    writeFileSync(join(dir, "src/bad.ts"), readFileSync(join(dir, "src/bad.ts"), "utf8").replace("return eval(code);", "return code;"));
    const again = run([tspc, "-p", ".", "--pretty", "false"], dir);
    expect(again.status, show(again)).not.toBe(0);
    expect(again.stdout).toMatch(/^src\/bad\.ts\(13,3\): error TS92001: UA2001: .*private names in an anonymous class/m);
    expect(again.stdout.trim().split("\n")).toHaveLength(1);
  });

  it("by default, a function with a direct eval is left native with a warning on stderr; the rest of its file is lowered and the build passes", () => {
    const dir = scratchProject(
      { type: "module", compilerOptions: {} },
      {
        "mixed.ts": [
          "export async function sum(parts: Promise<number>[]): Promise<number> {",
          "  let total = 0;",
          "  for (const part of parts) total += await part;",
          "  return total;",
          "}",
          "export async function evil(code: string): Promise<unknown> {",
          "  await null;",
          "  return eval(code);",
          "}",
          "",
        ].join("\n"),
      },
    );
    const build = run([tspc, "-p", ".", "--pretty", "false"], dir);
    expect(build.status, show(build)).toBe(0);
    expect(build.stderr).toMatch(/^src\/mixed\.ts\(8,10\): warning UA1003: async function `evil` \(src\/mixed\.ts:6\) is left native \(the engine's own, not lowered\): the direct `eval` at 8:10 could read or declare any of its locals/m);
    const out = emitted(join(dir, "out"));
    expect(census(out.get("mixed.js")!)).toMatchObject({ machines: 1, asyncFunctions: 1 });
    expect(out.get("mixed.js")).toContain("// unawait: async function `evil` (src/mixed.ts:6) is left native: the direct `eval` at 8:10");
  });
});

describe("tspc with the plugin in future mode", () => {
  it("builds a project whose futures run on unawait's executor, and warns about a future never awaited", () => {
    const dir = scratchProject(
      { type: "module", compilerOptions: { plugins: [{ transform: "unawait/transformer", mode: "future" }] } },
      {
        "fetch.ts": [
          'import { sleep, now } from "unawait/runtime";',
          "export async function fetchUser(): Promise<string> {",
          "  await sleep(3000);",
          "  console.log(`user at ${now()} ms`);",
          '  return "User";',
          "}",
          "export async function fetchProduct(): Promise<string> {",
          "  await sleep(1000);",
          "  console.log(`product at ${now()} ms`);",
          '  return "Product";',
          "}",
          "",
        ].join("\n"),
        "main.ts": [
          'import { join, runTimed } from "unawait/runtime";',
          'import { fetchProduct, fetchUser } from "./fetch.js";',
          "async function main(): Promise<string> {",
          "  fetchUser();",
          "  const [u, p] = await join(fetchUser(), fetchProduct());",
          "  return `${u} + ${p}`;",
          "}",
          'const { value, elapsed } = await runTimed(main(), { clock: "virtual" });',
          "console.log(value, `after ${elapsed} ms`);",
          "",
        ].join("\n"),
      },
    );
    const build = run([tspc, "-p", ".", "--pretty", "false"], dir);
    expect(build.status, show(build)).toBe(0);
    // Found through the type checker: fetchUser is an async function of another file.
    expect(build.stderr).toMatch(/^src\/main\.ts\(4,3\): warning UA2002: the future of `fetchUser\(\)` is never awaited/m);
    const out = emitted(join(dir, "out"));
    expect(out.get("fetch.js")).toContain("return new fetchUser$Future()");
    const program = run(["out/main.js"], dir);
    expect(program.stdout).toBe("product at 1000 ms\nuser at 3000 ms\nUser + Product after 3000 ms\n");
  });
});

describe("ts-patch install: plain tsc from a patched typescript", () => {
  it("applies the plugin just as tspc does", () => {
    const dir = scratchProject({ type: "module", compilerOptions: {} });
    // A copy of the repository's typescript, so that its own stays unpatched.
    const copy = join(dir, "node_modules/typescript");
    cpSync(join(root, "node_modules/typescript"), copy, { recursive: true, dereference: true });
    const env = { TSP_CACHE_DIR: join(dir, ".tsp-cache") };
    const install = run([tsPatch, "install", "--dir", copy, "--no-cache", "--no-color"], dir, env);
    expect(install.status, show(install)).toBe(0);
    const check = run([tsPatch, "check", "--dir", copy, "--no-color"], dir, env);
    expect(check.stdout).toMatch(/tsc\.js is patched/);

    const build = run([join(copy, "bin/tsc"), "-p", "."], dir);
    expect(build.status, show(build)).toBe(0);
    expectLowered(emitted(join(dir, "out")), variants[0]!.link);
    const plain = run([tsc, "-p", ".", "--outDir", "native"], dir);
    expect(plain.status, show(plain)).toBe(0);
    expectNative(emitted(join(dir, "native")));

    const lowered = run(["out/main.js"], dir);
    const native = run(["native/main.js"], dir);
    expect(lowered.status, show(lowered)).toBe(0);
    expectPlausibleTranscript(native.stdout);
    expect(lowered.stdout).toBe(native.stdout);
  }, 120_000);
});

describe("the plugin's factory, called directly", () => {
  const transform = (fileName: string, source: string, plugin: ts.TransformerFactory<ts.SourceFile>): string => {
    const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
    const result = ts.transform(sf, [plugin]);
    const text = ts.createPrinter().printFile(result.transformed[0]!);
    result.dispose();
    return text;
  };
  const evil = "export async function evil(code: string) {\n  await null;\n  return eval(code);\n}\n";

  it("imports the runtime after the directive prologue of a module, requires it in a script, and only where a machine was made", () => {
    const module = transform("m.ts", '"use strict";\nimport { x } from "./x.js";\nexport async function f() { await x; }\n', unawaitPlugin());
    expect(module).toMatch(/^"use strict";\nimport \* as \$rt from "unawait\/runtime";\nimport \{ x \} from "\.\/x\.js";\n/);
    const script = transform("s.ts", "async function f() { await 1; }\n", unawaitPlugin());
    expect(script).toMatch(/^const \$rt = require\("unawait\/runtime"\);\n/);
    const none = transform("n.ts", "export const asyncish = () => 1;\n", unawaitPlugin());
    expect(none).not.toContain("unawait/runtime");
  });

  it("hands diagnostics to ts-patch's addDiagnostic, as compiler diagnostics, and leaves the file as written", () => {
    const added: ts.Diagnostic[] = [];
    const out = transform("evil.ts", evil, unawaitPlugin(undefined, { strict: true }, { addDiagnostic: (d) => added.push(d) }));
    expect(out).toContain("async function evil");
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ category: ts.DiagnosticCategory.Error, code: 91003, source: "unawait", start: evil.indexOf("eval(") });
    expect(added[0]!.file?.fileName).toBe("evil.ts");
    expect(added[0]!.messageText).toMatch(/^UA1003: async function `evil` \(evil\.ts:1\) cannot be lowered: the direct `eval`/);
  });

  it("leaves a function with a direct eval native, with a warning on stderr and a comment where its machine would be; strict must be a boolean", () => {
    const added: ts.Diagnostic[] = [];
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      const out = transform("evil.ts", evil, unawaitPlugin(undefined, {}, { addDiagnostic: (d) => added.push(d) }));
      expect(out).toContain("// unawait: async function `evil` (evil.ts:1) is left native: the direct `eval` at 3:10 could read or declare any of its locals\nexport async function evil(");
      expect(added).toEqual([]);
      expect(write).toHaveBeenCalledWith(expect.stringMatching(/^evil\.ts\(3,10\): warning UA1003: async function `evil`/));
      transform("evil.ts", evil, unawaitPlugin(undefined, { strict: "yes" }, { addDiagnostic: (d) => added.push(d) }));
      expect(added[0]!.messageText).toMatch(/^UA0005: unawait\/transformer: "strict" in the plugin's options must be true or false/);
    } finally {
      write.mockRestore();
    }
  });

  it("without ts-patch's extras, prints to stderr and throws on an error", () => {
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      expect(() => transform("evil.ts", evil, unawaitPlugin(undefined, { strict: true }))).toThrow(/UA1003/);
      expect(write).toHaveBeenCalledWith(expect.stringMatching(/^evil\.ts:3:10 - error UA1003: async function `evil`/));
    } finally {
      write.mockRestore();
    }
  });

  it("lowers in future mode when its options ask, and warns on stderr about a future never awaited (a warning fails no build)", () => {
    const added: ts.Diagnostic[] = [];
    const written: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => written.push(String(chunk)) > 0) as typeof process.stderr.write;
    let out: string;
    try {
      out = transform("f.ts", "export async function f() { await 1; }\nf();\n", unawaitPlugin(undefined, { mode: "future" }, { addDiagnostic: (d) => added.push(d) }));
    } finally {
      process.stderr.write = write;
    }
    expect(out).toContain("return new f$Future()");
    expect(out).toContain("$rt.intoFuture(1)");
    expect(out).not.toContain("$rt.promise(");
    expect(added).toEqual([]);
    expect(written.join("")).toMatch(/^f\.ts\(2,1\): warning UA2002: the future of `f\(\)` is never awaited/);
  });

  it("a // @unawait-mode future pragma wins over the plugin's mode", () => {
    const out = transform("p.ts", "// @unawait-mode future\nexport async function p() { await 1; }\n", unawaitPlugin(undefined, {}, {}));
    expect(out).toContain("return new p$Future()");
  });

  it("refuses an unknown mode in the plugin's options, once", () => {
    const added: ts.Diagnostic[] = [];
    const plugin = unawaitPlugin(undefined, { mode: "lazy" as "future" }, { addDiagnostic: (d) => added.push(d) });
    expect(transform("a.ts", "export async function f() { await 1; }\n", plugin)).toContain("async function f");
    transform("b.ts", "export async function g() { await 1; }\n", plugin);
    expect(added.map((d) => [d.file, d.messageText])).toEqual([[undefined, expect.stringMatching(/^UA0005: unawait\/transformer: unknown mode "lazy"/)]]);
  });

  it("refuses to run inside a compiler of another TypeScript version, once, instead of emitting garbage", () => {
    const added: ts.Diagnostic[] = [];
    const other = { ...ts, version: "5.9.3", versionMajorMinor: "5.9" } as typeof ts;
    const plugin = unawaitPlugin(undefined, {}, { ts: other, addDiagnostic: (d) => added.push(d) });
    const out = transform("a.ts", "export async function f() { await 1; }\n", plugin);
    expect(out).toContain("async function f");
    expect(added).toHaveLength(1);
    expect(added[0]!.messageText).toMatch(/^UA0004: unawait\/transformer was built against TypeScript 6\.0 but this compiler is TypeScript 5\.9\.3/);
  });
});
