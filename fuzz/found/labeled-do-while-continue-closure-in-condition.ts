// Checks: `continue L1` from an inner loop to a labelled do-while whose condition awaits a call of an async arrow lowers (natively: logs `A s1 0` and the result); lowering crashed with "internal: continue to a non-loop label L1". Found by `npm run fuzz -- --seed 4 --work-around switch-discriminant --work-around declaration-pattern-defaults --work-around class-methods` (program #6715, `--replay=-1978192768`).
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
  let a = n,
    b = 0;
  {
    let g1 = 0;
    L1: do {
      {
        let g2 = 0;
        while (g2++ < 0) {
          continue L1;
        }
      }
    } while (
      g1++ < 0 &&
      (await (async (p1) => {
        return 0;
      })(0))
    );
  }
  log(t, "s1", 0);
  return b;
}

f0("A", 0).then(
  (v) => log("A", "result", v),
  (e) => log("A", "error", e),
);
log("main", "sync end");
