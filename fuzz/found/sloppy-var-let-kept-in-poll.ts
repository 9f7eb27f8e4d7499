// Checks: a sloppy-script `var let` that lives only within one state (not kept across the await) is declared inside poll as `let let;`, a SyntaxError in any mode (issue 13 item 2's `let`, but from the poll-local declaration, not from a class body; found by `npm run fuzz -- --seed 1302 --features sloppy-names`, 4 of 400 programs).
async function f() {
  var let = await 1;
  return let;
}
f().then((v) => console.log(v));
