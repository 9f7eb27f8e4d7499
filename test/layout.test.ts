/**
 * Layout claims, asserted exactly (Roslyn's CodeGenAsyncLocalsTests are the model): which locals
 * become fields, which stay locals of poll, and that a field is cleared as soon as it is dead
 * (Kotlin's varSpilling/cleanup tests: poll step by step and look).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { lower, type MachineInfo } from "../src/index.js";

function machines(source: string): MachineInfo[] {
  const r = lower(source, { fileName: "layout.ts", target: "ts" });
  expect(r.diagnostics).toEqual([]);
  return r.machines;
}

const fieldsOf = (source: string, name: string): string[] => machines(source).find((m) => m.name.endsWith(name))!.fields.map((f) => f.name);

describe("fields are exactly the locals live across a suspension", () => {
  it("DESIGN.md's total: sum and the iterator are saved; id and item are not", () => {
    const source = readFileSync(new URL("../fixtures/basics/example-total.ts", import.meta.url), "utf8");
    expect(fieldsOf(source, "total")).toEqual(["ids", "sum", "$iter1"]);
    expect(fieldsOf(source, "load")).toEqual(["id"]);
  });

  it("a local used only between two awaits is not a field", () => {
    const source = `async function f(n: number) {\n  await 0;\n  const t = n * 2;\n  console.log(t);\n  await 0;\n  return 1;\n}\n`;
    expect(fieldsOf(source, "f")).toEqual(["n"]);
  });

  it("an operand evaluated before an await is saved in a temporary named for its role", () => {
    const source = `let x = 1;\nexport function set(v: number) { x = v; }\nasync function f(g: () => Promise<number>) {\n  return x + (await g());\n}\n`;
    expect(fieldsOf(source, "f")).toEqual(["g", "$left1"]);
  });

  it("variables captured by closures live in an environment object, itself a field; the closure is a plain field", () => {
    const source = `async function f() {\n  let count = 0;\n  const bump = () => count++;\n  await 0;\n  bump();\n  return count;\n}\n`;
    expect(fieldsOf(source, "f")).toEqual(["bump", "$env1"]);
  });

  it("a try/finally with an await keeps its pending completion in a field", () => {
    const source = `async function f() {\n  try {\n    await 0;\n    return 1;\n  } finally {\n    await 0;\n  }\n}\n`;
    const m = machines(source)[0]!;
    expect(m.fields.map((f) => f.name)).toEqual([]);
    expect(m.tryTable).toEqual([{ states: [1, 2], catchState: undefined, finallyState: 3 }]);
    expect(lower(source, { fileName: "f.ts" }).code).toMatch(/\$completion1!: any;/);
  });

  it("states are numbered in source order and say what they are", () => {
    const source = readFileSync(new URL("../fixtures/basics/example-total.ts", import.meta.url), "utf8");
    const total = machines(source).find((m) => m.name.endsWith("total"))!;
    expect(total.states.map((s) => s.label)).toEqual([
      "start",
      "for-of: guard the iterator",
      "loop head: for (const id of ids)",
      "resume after await #1 `load(id)`",
      "after for (const id of ids)",
      "the loop threw: close the iterator, throw on",
      "leaving the loop: close the iterator unless it is done",
      "after the loop and its iterator",
    ]);
    expect(total.states.filter((s) => s.resume).map((s) => s.id)).toEqual([3]);
  });
});

describe("polling step by step", () => {
  type Runtime = { PENDING: unknown; DONE: number; takeAwaitOperand(): unknown; fulfilAwait(value: unknown): void };

  /** Lowers `source` and returns its machine classes, run against a hand-driven context. */
  function load(source: string, className: string) {
    const { code } = lower(source, { fileName: "steps.ts", target: "js", runtime: "inline", sourceType: "module" });
    return new Function(`${code}\nreturn { Machine: ${className}, $rt };`)() as {
      Machine: new (...args: unknown[]) => Record<string, unknown> & { poll(cx: unknown): unknown; $state: number };
      $rt: Runtime;
    };
  }

  /**
   * Drives a machine by hand, as the promise driver does: after a poll answers PENDING it takes
   * the operand the machine awaits (recorded in `handed`); `settle(v)` fulfils that await, so the
   * next poll resumes with `v`.
   */
  function handDriven($rt: Runtime) {
    const handed: unknown[] = [];
    const cx = { waker: { wake() {} } };
    return {
      handed,
      poll(m: { poll(cx: unknown): unknown }) {
        const result = m.poll(cx);
        if (result === $rt.PENDING) handed.push($rt.takeAwaitOperand());
        return result;
      },
      settle(value: unknown) {
        $rt.fulfilAwait(value);
      },
    };
  }

  it("clears each field at the first suspension after which it is dead", () => {
    const source = `async function f(a: number) {\n  const x = a * 2;\n  await "first";\n  const y = x + 1;\n  await "second";\n  return y;\n}\n`;
    const { Machine, $rt } = load(source, "f$Future");
    const m = new Machine(5);
    const { poll, settle, handed } = handDriven($rt);
    expect(Object.keys(m).filter((k) => !k.startsWith("$"))).toEqual(["a", "x", "y"]);

    expect(poll(m)).toBe($rt.PENDING);
    expect({ state: m.$state, a: m.a, x: m.x, y: m.y }).toEqual({ state: 1, a: undefined, x: 10, y: undefined });

    settle("first");
    expect(poll(m)).toBe($rt.PENDING);
    expect({ state: m.$state, a: m.a, x: m.x, y: m.y }).toEqual({ state: 2, a: undefined, x: undefined, y: 11 });

    settle("second");
    expect(poll(m)).toBe(11);
    expect(m.$state).toBe($rt.DONE);
    expect(handed).toEqual(["first", "second"]);
    expect(() => poll(m)).toThrow("`async function f` was polled after it completed");
  });

  it("a machine that throws is poisoned and says so when polled again", () => {
    const { Machine, $rt } = load(`async function g() {\n  await 0;\n  throw new Error("boom");\n}\n`, "g$Future");
    const m = new Machine();
    const { poll, settle } = handDriven($rt);
    expect(poll(m)).toBe($rt.PENDING);
    settle(0);
    expect(() => poll(m)).toThrow("boom");
    expect(() => poll(m)).toThrow("`async function g` was polled after it threw (the machine is poisoned)");
  });
});

describe("generators and async generators: resume(how, sent) says what the function around performs", () => {
  type Coroutine = Record<string, unknown> & { resume(how: number, sent?: unknown): number; $state: number; $out: unknown };
  function load(source: string, className: string) {
    const { code } = lower(source, { fileName: "steps.ts", target: "js", runtime: "inline", sourceType: "module" });
    return new Function(`${code}\nreturn { Machine: ${className}, $rt };`)() as {
      Machine: new (...args: unknown[]) => Coroutine;
      $rt: Record<string, number> & { returnTaken(level: number): unknown; DONE: number };
    };
  }
  const source = `async function* g(a: number) {\n  const x = a * 2;\n  const s = yield x;\n  const t = await s;\n  try {\n    return t + x;\n  } finally {\n    console.log("finally");\n  }\n}\n`;

  it("fields are the locals live across a yield, an await or a return", () => {
    expect(fieldsOf(source, "g")).toEqual(["a", "x"]);
    const m = machines(source)[0]!;
    expect(m.kind).toBe("async generator");
    expect(m.states.map((s) => s.label)).toEqual([
      "start",
      "resume after yield #1 `x`",
      "resume after await #1 `s`",
      "try",
      "after return `t + x`: leave through the finally blocks",
      "finally",
      "after try",
    ]);
  });

  it("each stop hands the operand over in $out; a taken return runs the finally blocks, then FINISHED", () => {
    const { Machine, $rt } = load(source, "g$AsyncGenerator");
    const m = new Machine(5);
    expect(m.resume($rt.NEXT!)).toBe($rt.YIELD);
    expect({ out: m.$out, a: m.a, x: m.x }).toEqual({ out: 10, a: undefined, x: 10 });
    expect(m.resume($rt.NEXT!, "sent")).toBe($rt.AWAIT);
    expect(m.$out).toBe("sent");
    expect(m.resume($rt.NEXT!, 1)).toBe($rt.RETURN_VALUE);
    expect({ out: m.$out, x: m.x }).toEqual({ out: 11, x: undefined });
    expect(m.resume($rt.RETURN!, $rt.returnTaken(2))).toBe($rt.FINISHED);
    expect(m.$state).toBe($rt.DONE);
    expect(() => m.resume($rt.NEXT!)).toThrow("`async function* g` was resumed after it completed");
  });

  it("a throw at the return (its awaited operand rejected) goes through the finally and poisons the machine", () => {
    const { Machine, $rt } = load(source, "g$AsyncGenerator");
    const m = new Machine(5);
    m.resume($rt.NEXT!);
    m.resume($rt.NEXT!, "sent");
    expect(m.resume($rt.NEXT!, 1)).toBe($rt.RETURN_VALUE);
    expect(() => m.resume($rt.THROW!, new Error("rejected"))).toThrow("rejected");
    expect(() => m.resume($rt.NEXT!)).toThrow("`async function* g` was resumed after it threw (the machine is poisoned)");
  });

  it("a generator's machine: yield* is handed over whole, as the engine performs it", () => {
    const { Machine, $rt } = load(`function* outer(xs: number[]) {\n  const r = yield* xs;\n  yield r;\n}\n`, "outer$Generator");
    const m = new Machine([1, 2]);
    expect(m.resume($rt.NEXT!)).toBe($rt.YIELD_STAR);
    expect(m.$out).toEqual([1, 2]);
    expect(m.resume($rt.NEXT!, "inner result")).toBe($rt.YIELD);
    expect(m.$out).toBe("inner result");
    expect(m.resume($rt.NEXT!)).toBe($rt.FINISHED);
  });
});

describe("the state graph (MachineInfo.edges)", () => {
  it("follows jumps, suspensions, the innermost handler and each route out of a finally", () => {
    const source = `async function total(ids) {\n  let sum = 0;\n  for (const id of ids) {\n    try {\n      sum += await load(id);\n    } catch (e) {\n      break;\n    } finally {\n      log();\n    }\n  }\n  return sum;\n}\n`;
    const [m] = lower(source, { fileName: "edges.ts" }).machines;
    const label = (id: number | "DONE") => (id === "DONE" ? "DONE" : m!.states[id]!.label);
    const edges = m!.edges.map((e) => `${label(e.from)} -${e.kind}-> ${label(e.to)}`);
    expect(edges).toContain("try -await-> resume after await #1 `load(id)`");
    // An exception in the try goes to its catch, not to the for-of guard around it.
    expect(edges).toContain("try -catch-> catch (e)");
    expect(edges).not.toContain("try -catch-> the loop threw: close the iterator, throw on");
    // break in the catch runs the finally first; the finally then goes on to where break goes.
    expect(edges).toContain("catch (e) -jump-> finally");
    expect(edges).toContain("finally -jump-> after for (const id of ids)");
    expect(edges).toContain("finally -jump-> after try");
    expect(edges).toContain("after the loop and its iterator -return-> DONE");
    // Every state but the last can be left, and every edge ends at a state or DONE.
    for (const e of m!.edges) expect(e.to === "DONE" || m!.states[e.to] !== undefined).toBe(true);
    expect(new Set(m!.edges.map((e) => e.from)).size).toBe(m!.states.length);
  });
});
