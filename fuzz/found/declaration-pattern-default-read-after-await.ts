// Checks: a default in a declaration's destructuring pattern reads a local that was assigned before an await: `const { d1 = b } = { d1: await f1(...) }` with f1 resolving to undefined gives d1 = b = null natively (lowered: undefined, because b was not kept across the await). Found by `npm run fuzz -- --seed 2 --work-around switch-discriminant` (program #1243, `--replay=1398949795`).
let fuel = 40;
function spent() {
  return --fuel < 0;
}
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
async function f0(t, n) {
  if (spent()) return "spent";
  let a = n,
    b = null;
  {
    const { d1 = b, d2 = 0 } = { d1: await f1(t + "/f1", 0) };
    log(t, "s1", d1, d2);
  }
  log(t, "s2", a);
  return 0;
}

async function f1(t, n) {
  if (spent()) return "spent";
  let a = n,
    b = a;
  return;
  log(t, "s3", null);
  return b;
}

async function f2(t, n) {
  if (spent()) return "spent";
  let a = n,
    b = a;
  log(t, "s4", b);
  return b;
}

f0("A", 0).then(
  (v) => log("A", "result", v),
  (e) => log("A", "error", e),
);
log("main", "sync end");
