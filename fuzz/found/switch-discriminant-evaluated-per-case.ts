// Checks: a switch whose clauses await evaluates its discriminant once, before the case tests: native logs `call c1` once, then `A s2 null` and the result (lowered evaluated `pick("c1")` again for each case test). Found by `npm run fuzz -- --seed 1` (program #718, `--replay=147765965`).
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
function pick(label, ...args) {
  log("call", label, ...args);
  return args.length === 0 ? label : args[args.length - 1];
}
async function f0(t, n) {
  let a = n,
    b = null;
  switch (pick("c1")) {
    case 0:
      log(t, "s1", await b);
    case 0:
  }
  log(t, "s2", null);
  return null;
}

f0("A", 0).then(
  (v) => log("A", "result", v),
  (e) => log("A", "error", e),
);
log("main", "sync end");
