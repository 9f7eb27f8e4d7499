// Checks: a declaration's array pattern whose default suspends and whose rest element is itself a pattern (`...[y2]`, `...{ length }`) is lowered: today the compiler crashes with "Debug Failure. Unhandled SyntaxKind: ArrayBindingPattern" (ObjectBindingPattern for `...{ … }`), in loop heads and plain declarations alike, in async functions and generators (NEW, not in issue 13; found by `npm run fuzz -- --seed 1305 --features loop-head-patterns`, `--replay=-1505760165`, shrunk by hand).
async function f() {
  const [y1 = await null, ...[y2]] = [1, 2];
  return [y1, y2];
}
f().then((v) => console.log("result", v));
