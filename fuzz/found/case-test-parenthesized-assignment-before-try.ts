// Checks: `case (a = "x"):` followed by a `try` statement is valid JavaScript and runs natively; unawait refuses the file because TypeScript's parser reads `(a = "x"): try` as the start of an arrow function with a return type ("'=>' expected"). Open: a TypeScript parser limitation, refused with a diagnostic, never lowered wrongly. Found by `npm run fuzz -- --seed 20261130` (program #16494, `--replay=256542396`).
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
  return "{" + Object.keys(v).map((key) => {
    const d = Object.getOwnPropertyDescriptor(v, key);
    return key + ":" + ("value" in d ? show(d.value, depth + 1) : "get");
  }).join(",") + "}";
}
function log(who, what, ...values) {
  console.log([who, what, ...values.map((x) => show(x))].join(" "));
}
async function f0(t, n) {
  let a = n, b = a;
  try {
    try {
      if (b) {
        switch (b) {
          case (a = "x"):
            try {
            } catch (e1) {
            }
        }
      }
    } catch (e2) {
    }
  } catch (e3) {
  }
  return 0;
}

async function f1(t, n) {
  let a = n, b = 0;
  log(t, "s1", null);
  return null;
}

f0("A", 0).then((v) => log("A", "result", v), (e) => log("A", "error", e));
log("main", "sync end");
