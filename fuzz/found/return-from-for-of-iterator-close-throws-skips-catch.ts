// Checks: a `return` out of a `for…of` loop without suspensions, inside a `try` whose `catch` suspends (here a `yield`), closes the iterator; when the iterator's `return()` throws, that exception replaces the return and the `catch` around the loop handles it. Natively the catch logs and yields (`A drain {value:0,done:false}`, `A s1 undefined`, `A s2 0`, `A drain {value:0,done:true}`); lowered, the exception escapes the generator (`A drain threw Error("I1.return")`): the catch is skipped. The same happens in an async function with an `await` in the catch (it rejects instead of returning). A `break` out of the same loop is handled correctly. Open. Found by `npm run fuzz -- --seed 303 --work-around case-test-parentheses` (program #2879, `--replay=1182752895`), 3000 programs.
// Variants (checked by hand, same cause): the iterator may be a generator whose `finally` throws; a `break L` to a label outside the `try` escapes the same way; and when the `try` has a `finally` that suspends instead of a catch, that `finally` is skipped altogether:
//   function* inner() { try { yield 1; } finally { throw new Error("close"); } }
//   function* a() { try { for (const x of inner()) return "R"; } catch (e) { yield "caught"; } }      // native yields "caught"; lowered throws
//   function* b() { try { for (const x of inner()) return "R"; } finally { yield "finally"; } }       // native yields "finally", then throws; lowered throws at once
//   function* d() { L: try { for (const x of inner()) break L; } catch (e) { yield "caught"; } }     // native yields "caught"; lowered throws
//   A plain `break` out of the loop (staying inside the try) is handled correctly.
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
function drive(t, it, steps) {
  for (const [op, v] of steps) {
    try {
      log(t, op, it[op](op === "throw" ? mine(v) : v));
    } catch (e) {
      log(t, op + " threw", e);
    }
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
function* f0(t, n) {
  let a = n,
    b = 0;
  try {
    {
      let g1 = 0;
      for (const x1 of iter("I1", 1, "returnThrows")) {
        if (g1++ === 1) break;
        return;
      }
    }
  } catch {
    log(t, "s1", yield b);
  }
  log(t, "s2", 0);
  return 0;
}

drive("A", f0("A", 0), []);
log("main", "sync end");
