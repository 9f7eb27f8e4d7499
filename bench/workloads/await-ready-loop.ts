/**
 * await-ready loop: 1,000,000 awaits of values that are already there: half on plain numbers,
 * half on calls of an async function that returns without awaiting anything.
 * Natively every await takes a microtask tick (and each call makes a promise). In future mode an
 * await of a ready future continues in the same poll: no tick, no promise. Measures the cost of
 * an await when nothing has to wait — the case Rust's model makes free.
 */
async function value(i: number): Promise<number> {
  return i & 7;
}

export async function main(): Promise<number> {
  let sum = 0;
  for (let i = 0; i < 500_000; i++) {
    sum += await value(i);
    sum += await (i & 3);
  }
  return sum;
}
