/**
 * await-heavy loop: one async function that awaits 1,000,000 times in a plain `for` loop.
 * Every other await is on an already-resolved native promise, the rest on plain values
 * (numbers), so both paths of Await (PromiseResolve of a promise / of a non-promise) are hot.
 * Measures the per-await cost of a single long-lived machine: suspend, resume, and
 * the locals that stay live across the await (`sum`, `i`).
 */
const resolved: Promise<number>[] = [Promise.resolve(1), Promise.resolve(2), Promise.resolve(3)];

const AWAITS = 1_000_000;

export async function main(): Promise<number> {
  let sum = 0;
  for (let i = 0; i < AWAITS; i++) {
    let v: number;
    if ((i & 1) === 0) {
      v = await resolved[i % 3];
    } else {
      v = await (i & 7);
    }
    sum = (sum + v) | 0;
  }
  return sum;
}
