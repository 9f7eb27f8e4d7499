/**
 * The helpers a generated program starts with: those it uses and what they use, in this order.
 * They are part of the program (so the async `ticker` is lowered like the rest), and they keep its
 * output comparable:
 * - `log(who, what, ...values)` prints one line; values go through `show`, which prints an engine
 *   error by its name only — V8 quotes source text in some messages ("x is not iterable"), and the
 *   lowered source text differs by design; errors the program makes itself (`mine`) keep their message;
 * - `fuel` bounds the number of calls of the program's functions (they check `spent()` first when
 *   they call each other), so output stays small even when every call makes more calls;
 * - `drive`/`driveAsync` run a generator at the top level: the flow's steps, then `next()` until done
 *   (at most 12 times), every result and error logged; `collect` gathers an async iterable;
 * - `iter`/`aiter` are hand-written (async) iterators that log every call made on them;
 * - nothing reads a clock, a timer or a random number.
 */
import type { GlobalPatches } from "./ast.js";

export type Helper = "pv" | "fuel" | "g" | "spent" | "show" | "log" | "obs" | "pick" | "mine" | "box" | "thenable" | "ticker" | "collect" | "iter" | "aiter" | "drive" | "driveAsync";

const HELPERS: Record<Helper, { needs: Helper[]; code: string }> = {
  // Read by the closures of parameter defaults (feature \`parameter-defaults\`), which must see this
  // one and not a body's \`var pv\`.
  pv: { needs: [], code: `var pv = "outside";
` },
  fuel: { needs: [], code: `let fuel = 40;
` },
  g: { needs: [], code: `const g = { v: 0, w: "g" };
` },
  spent: { needs: ["fuel"], code: `function spent() {
  return --fuel < 0;
}
` },
  show: { needs: [], code: `function show(v, depth = 0) {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  if (typeof v !== "object" && typeof v !== "function") return String(v);
  if (v === null) return "null";
  if (typeof v === "function") return "fn";
  if (v instanceof Error) return v.mine ? "Error(" + v.message + ")" : v.name;
  if (v instanceof Promise) return "promise";
  if (depth > 2) return "...";
  if (Array.isArray(v)) return "[" + v.map((x) => show(x, depth + 1)).join(",") + "]";
  return "{" + Object.keys(v).map((key) => {
    const d = Object.getOwnPropertyDescriptor(v, key);
    return key + ":" + ("value" in d ? show(d.value, depth + 1) : "get");
  }).join(",") + "}";
}
` },
  log: { needs: ["show"], code: `function log(who, what, ...values) {
  console.log([who, what, ...values.map((x) => show(x))].join(" "));
}
` },
  obs: { needs: ["log"], code: `function obs(label, v) {
  log("obs", label, v);
  return v;
}
` },
  pick: { needs: ["log"], code: `function pick(label, ...args) {
  log("call", label, ...args);
  return args.length === 0 ? label : args[args.length - 1];
}
` },
  mine: { needs: ["show"], code: `function mine(v) {
  const e = new Error(show(v));
  e.mine = true;
  return e;
}
` },
  box: { needs: ["log", "show"], code: `function box(v) {
  return { v, m(...args) { log("m", show(this.v), ...args); return this.v; } };
}
` },
  thenable: { needs: ["log", "mine"], code: `function thenable(kind, v) {
  switch (kind) {
    case "ok": return { then(res) { log("then", kind, v); res(v); } };
    case "rejects": return { then(res, rej) { log("then", kind, v); rej(mine(v)); } };
    case "throws": return { then() { log("then", kind, v); throw mine(v); } };
    case "twice": return { then(res, rej) { log("then", kind, v); res(v); res("again"); rej(mine("late")); } };
    case "throwsAfterResolve": return { then(res) { log("then", kind, v); res(v); throw mine("ignored"); } };
    case "later": return { then(res) { log("then", kind, v); Promise.resolve().then(() => { log("then", "later resolves", v); res(v); }); } };
    case "nested": return { then(res) { log("then", kind, v); res(thenable("ok", v)); } };
    case "getter": return { get then() { log("get", "then", v); return (res) => res(v); } };
    case "thenNotCallable": return { then: v };
  }
}
` },
  ticker: { needs: ["log"], code: `async function ticker(t, ticks) {
  for (let i = 0; i < ticks; i++) {
    log(t, "tick", i);
    await null;
  }
}
` },
  collect: { needs: [], code: `async function collect(it) {
  const items = [];
  for await (const x of it) items.push(x);
  return items;
}
` },
  iter: { needs: ["log", "mine"], code: `function iter(label, n, kind) {
  let i = 0;
  const it = {
    [Symbol.iterator]() { log(label, "get iterator"); return this; },
    next(v) {
      log(label, "next", v);
      return i < n ? { value: label + "." + i++, done: false } : { value: label + ".end", done: true };
    },
  };
  if (kind !== "noReturn") it.return = (v) => {
    log(label, "return", v);
    if (kind === "returnThrows") throw mine(label + ".return");
    return { value: v, done: true };
  };
  if (kind !== "noThrow") it.throw = (e) => {
    log(label, "throw", e);
    if (kind === "throwResumes" && i < n) return { value: label + "." + i++, done: false };
    throw e;
  };
  return it;
}
` },
  aiter: { needs: ["iter", "log"], code: `function aiter(label, n, kind) {
  const it = iter(label, n, kind);
  const method = (m) => m && ((v) => {
    try { return Promise.resolve(m(v)); } catch (e) { return Promise.reject(e); }
  });
  return {
    [Symbol.asyncIterator]() { log(label, "get async iterator"); return this; },
    next: method(it.next), return: method(it.return), throw: method(it.throw),
  };
}
` },
  drive: { needs: ["log", "mine"], code: `function drive(t, it, steps) {
  for (const [op, v] of steps) {
    try { log(t, op, it[op](op === "throw" ? mine(v) : v)); } catch (e) { log(t, op + " threw", e); }
  }
  for (let i = 0; i < 12; i++) {
    try {
      const r = it.next();
      log(t, "drain", r);
      if (r.done) return;
    } catch (e) {
      log(t, "drain threw", e);
      return;
    }
  }
}
` },
  driveAsync: { needs: ["log", "mine"], code: `async function driveAsync(t, it, steps) {
  const queued = [];
  for (const [op, v, wait] of steps) {
    const p = it[op](op === "throw" ? mine(v) : v).then((r) => log(t, op, r), (e) => log(t, op + " rejected", e));
    if (wait) await p;
    else queued.push(p);
  }
  await Promise.all(queued);
  for (let i = 0; i < 12; i++) {
    try {
      const r = await it.next();
      log(t, "drain", r);
      if (r.done) return;
    } catch (e) {
      log(t, "drain rejected", e);
      return;
    }
  }
}
` },
};

/** The helpers in `used` and those they need, in declaration order. */
export function preludeFor(used: ReadonlySet<Helper>): string {
  const all = new Set<Helper>();
  const add = (helper: Helper): void => {
    if (all.has(helper)) return;
    all.add(helper);
    HELPERS[helper].needs.forEach(add);
  };
  used.forEach(add);
  return (Object.keys(HELPERS) as Helper[])
    .filter((helper) => all.has(helper))
    .map((helper) => HELPERS[helper].code)
    .join("");
}

/**
 * Feature `shadowed-globals`: what the script does to the globals first, before its helpers (which
 * keep working: the copies keep what they use, and the patches log through `console.log`, which
 * iterates no array of the program's and calls no `then`).
 */
export function globalPatches(globals: GlobalPatches): string {
  const parts: string[] = [];
  if (globals.symbol) {
    parts.push(`var Symbol = (function (RealSymbol) {
  const copy = function Symbol(description) { return RealSymbol(description); };
  for (const key of Object.getOwnPropertyNames(RealSymbol)) {
    if (key !== "dispose" && key !== "asyncDispose" && !(key in copy)) copy[key] = RealSymbol[key];
  }
  copy.prototype = RealSymbol.prototype;
  return copy;
})(globalThis.Symbol);
`);
  }
  if (globals.promise === "subclass") {
    parts.push(`var Promise = (function (RealPromise) {
  return class Promise extends RealPromise {};
})(globalThis.Promise);
`);
  }
  if (globals.promise === "wrapper") {
    parts.push(`var Promise = (function (RealPromise) {
  function Promise(executor) { console.log("Promise new"); return new RealPromise(executor); }
  Promise.prototype = RealPromise.prototype;
  for (const key of ["resolve", "reject", "all", "race", "allSettled", "any"]) {
    Promise[key] = function (v) { console.log("Promise." + key); return RealPromise[key](v); };
  }
  return Promise;
})(globalThis.Promise);
`);
  }
  if (globals.arrayIterator) {
    parts.push(`(function (values) {
  let inside = false;
  globalThis.Array.prototype[globalThis.Symbol.iterator] = function () {
    if (!inside) { inside = true; console.log("array iterator", this.length); inside = false; }
    return values.call(this);
  };
})(Array.prototype[globalThis.Symbol.iterator]);
`);
  }
  if (globals.promiseThen) {
    parts.push(`(function (then) {
  globalThis.Promise.prototype.then = function (onFulfilled, onRejected) {
    console.log("then called");
    return then.call(this, onFulfilled, onRejected);
  };
})(globalThis.Promise.prototype.then);
`);
  }
  return parts.join("");
}
