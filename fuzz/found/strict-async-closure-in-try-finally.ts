// Checks: in a class method (strict code), an async closure pushed inside a try whose finally awaits can be called from the finally: native logs `A s1 [[0]]` and `A result 0` (lowered rejected with ReferenceError: anonymous$Future is not defined). Found by `npm run fuzz -- --seed 3 --work-around switch-discriminant --work-around declaration-pattern-defaults` (program #4182, `--replay=606911978`).
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
class C0 {
  static async f0(t, n) {
    const cs = [];
    let a = n,
      b = a;
    try {
      cs.push(async () => {
        await null;
        return [b];
      });
    } finally {
      log(t, "s1", await Promise.all(cs.map((f) => f())));
    }
    return b;
  }
}

async function f1(t, n) {
  let a = n,
    b = a;
  log(t, "s2", 0);
  return b;
}

C0.f0("A", 0).then(
  (v) => log("A", "result", v),
  (e) => log("A", "error", e),
);
log("main", "sync end");
