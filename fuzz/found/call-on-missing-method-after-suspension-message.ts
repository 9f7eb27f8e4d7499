// Checks: a method call whose argument suspends (`it1.return(yield* …)`) on an iterator without `return`: the TypeError is the same, but its message is not ("it1.return is not a function" natively, "Function.prototype.apply was called on undefined" lowered); the program adds the caught error to a number, so the message reaches the output. Open: README known difference (engine messages). Found by `npm run fuzz -- --seed 20261203` (program #18697, `--replay=-169147936`), the first run without work-arounds, 24,000 programs.
function show(v, depth = 0) {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  if (typeof v !== "object" && typeof v !== "function") return String(v);
  if (v === null) return "null";
  if (typeof v === "function") return "fn";
  if (v instanceof Error) return v.mine ? "Error(" + v.message + ")" : v.name;
  if (v instanceof Promise) return "promise";
  if (depth > 2) return "...";
  if (Array.isArray(v)) return "[" + v.map((x) => show(x, depth + 1)).join(",") + "]";
  return (
    "{" +
    Object.keys(v)
      .map((key) => {
        const d = Object.getOwnPropertyDescriptor(v, key);
        return key + ":" + ("value" in d ? show(d.value, depth + 1) : "get");
      })
      .join(",") +
    "}"
  );
}
function log(who, what, ...values) {
  console.log([who, what, ...values.map((x) => show(x))].join(" "));
}
function mine(v) {
  const e = new Error(show(v));
  e.mine = true;
  return e;
}
function iter(label, n, kind) {
  let i = 0;
  const it = {
    [Symbol.iterator]() {
      log(label, "get iterator");
      return this;
    },
    next(v) {
      log(label, "next", v);
      return i < n ? { value: label + "." + i++, done: false } : { value: label + ".end", done: true };
    },
  };
  if (kind !== "noReturn")
    it.return = (v) => {
      log(label, "return", v);
      if (kind === "returnThrows") throw mine(label + ".return");
      return { value: v, done: true };
    };
  if (kind !== "noThrow")
    it.throw = (e) => {
      log(label, "throw", e);
      if (kind === "throwResumes" && i < n) return { value: label + "." + i++, done: false };
      throw e;
    };
  return it;
}
async function driveAsync(t, it, steps) {
  const queued = [];
  for (const [op, v, wait] of steps) {
    const p = it[op](op === "throw" ? mine(v) : v).then(
      (r) => log(t, op, r),
      (e) => log(t, op + " rejected", e),
    );
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
async function* f0(t, n) {
  let a = n,
    b = a;
  try {
    {
      const it1 = iter("I1", 0, "noReturn");
      log(t, "s1", it1.return(yield* iter("I2", 0, "full")));
      log(t, "s2", it1.next(b));
    }
  } catch (e1) {
    log(t, "s3", 0 + e1);
  }
  log(t, "s4", b);
  return b;
}

driveAsync("A", f0("A", 0), []).then(
  (v) => log("A", "result", v),
  (e) => log("A", "error", e),
);
log("main", "sync end");
