/**
 * The TypeScript output type-checks (DESIGN.md §2): lowered modules compile under `strict` against
 * the runtime's own types, with the fields typed as the locals were.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { expect, it } from "vitest";
import { lower } from "../src/index.js";

const runtime = fileURLToPath(new URL("../src/runtime/index.ts", import.meta.url));

function typeErrors(files: Record<string, string>): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
    paths: { "unawait/runtime": [runtime] },
  };
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  host.readFile = (name) => files[name] ?? read(name);
  const exists = host.fileExists.bind(host);
  host.fileExists = (name) => name in files || exists(name);
  const program = ts.createProgram(Object.keys(files), options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ""}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
}

const sources: Record<string, string> = {
  "total.ts": `${readFileSync(new URL("../fixtures/basics/example-total.ts", import.meta.url), "utf8")}\nexport {};\n`,
  "finally.ts": `export async function read(open: () => Promise<{ close(): void; text(): Promise<string> }>): Promise<string> {
  const file = await open();
  try {
    for (let i = 0; i < 3; i++) {
      const t = await file.text();
      if (t.length > 0) return t;
    }
    return "";
  } finally {
    file.close();
  }
}
`,
  "closures.ts": `export async function counters(n: number): Promise<Array<() => number>> {
  const out: Array<() => number> = [];
  for (let i = 0; i < n; i++) {
    let count = i;
    out.push(() => ++count);
    await null;
  }
  return out;
}
export class Store {
  #items = new Map<string, number>();
  async add(key: string, value: Promise<number>): Promise<number> {
    const v = (this.#items.get(key) ?? 0) + (await value);
    this.#items.set(key, v);
    return v;
  }
}
`,
  "generators.ts": `export function* pairs<T>(xs: T[]): Generator<[T, T], void, unknown> {
  for (let i = 0; i + 1 < xs.length; i += 2) yield [xs[i]!, xs[i + 1]!];
}
export async function* lines(chunks: AsyncIterable<string>): AsyncGenerator<string, number, undefined> {
  let count = 0;
  try {
    for await (const chunk of chunks) {
      for (const line of chunk.split("\\n")) {
        count++;
        yield line;
      }
    }
    if (count === 0) return 0;
  } finally {
    await Promise.resolve();
  }
  yield* pairs(["a", "b"]).next().value ?? [];
  return count;
}
`,
  // A saved callee is called as \`(0, this.cb)()\` (fixture hygiene/this-saved-callee).
  "callees.ts": `export async function callees(cb: () => number, maybe: (() => number) | undefined, tag: (s: TemplateStringsArray) => string): Promise<string> {
  let captured = cb;
  const viaClosure = () => captured();
  await null;
  return [cb(), (cb)(), maybe?.(), viaClosure(), tag\`t\`, (cb as () => number)()].join();
}
`,
};

it("lowered modules type-check under strict", () => {
  const lowered: Record<string, string> = {};
  for (const [name, source] of Object.entries(sources)) {
    const r = lower(source, { fileName: name, target: "ts" });
    expect(r.diagnostics).toEqual([]);
    expect(r.machines.length).toBeGreaterThan(0);
    lowered[`/virtual/${name}`] = r.code;
  }
  expect(typeErrors(lowered)).toEqual([]);
});

// Scripts (no import/export) reach the runtime through `require`; their `$rt` is typed as the module.
const scripts: Record<string, string> = {
  "total-script.ts": readFileSync(new URL("../fixtures/basics/example-total.ts", import.meta.url), "utf8"),
  "super-script.ts": `class Base {
  greet(name: string): string {
    return "hello " + name;
  }
}
class Child extends Base {
  override greet(name: string): string {
    return "child " + name;
  }
  async twice(name: string): Promise<string> {
    const first = super.greet(name);
    await null;
    return first + " / " + super.greet(name);
  }
}
new Child().twice("x").then((v) => console.log(v));
`,
  "async-generator-script.ts": `async function* countdown(from: number): AsyncGenerator<number, string> {
  try {
    for (let i = from; i > 0; i--) yield await Promise.resolve(i);
  } finally {
    console.log("closed");
  }
  return "liftoff";
}
(async () => {
  for await (const n of countdown(3)) console.log(n);
})();
`,
};

it.each(Object.keys(scripts))("lowered script %s type-checks under strict", (name) => {
  // Scripts share one global scope: each is checked in a program of its own, as it would be built.
  const r = lower(scripts[name]!, { fileName: name, target: "ts" });
  expect(r.diagnostics).toEqual([]);
  expect(r.code).toContain('require("unawait/runtime")');
  expect(typeErrors({ "/virtual/node-require.d.ts": "declare const require: (id: string) => any;\n", [`/virtual/${name}`]: r.code })).toEqual([]);
});

// Future mode: the wrapper returns the machine (`Promise<T>` annotations become `$rt.StateMachine<T>`),
// awaits adapt with `$rt.intoFuture`, and the program imports the runtime's own vocabulary.
const futureSources: Record<string, string> = {
  "fetches.ts": readFileSync(new URL("../fixtures/seeds/join-fetches-3s-not-4s.ts", import.meta.url), "utf8"),
  "drop.ts": readFileSync(new URL("../fixtures/future/drop-runs-finally-blocks.ts", import.meta.url), "utf8"),
  "generic.ts": `import { join } from "unawait/runtime";
export async function both<T>(a: () => Promise<T>, b: () => Promise<T>): Promise<T[]> {
  const [x, y] = await join(a(), b());
  return [x, y];
}
export async function user(): Promise<number> {
  const values = await both(async () => 1, async () => 2);
  return values.length;
}
`,
};

it("lowered future-mode modules type-check under strict", () => {
  const lowered: Record<string, string> = {};
  for (const [name, source] of Object.entries(futureSources)) {
    const r = lower(source, { fileName: name, target: "ts", mode: "future" });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(r.code).toContain("$rt.intoFuture(");
    lowered[`/virtual/${name}`] = r.code;
  }
  expect(typeErrors(lowered)).toEqual([]);
});
