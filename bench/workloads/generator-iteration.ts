// Generator iteration: 1e6 items through for-of, from a generator with a loop, a local that lives
// across each yield, and a value sent back by nothing (for-of sends undefined).
function* range(from: number, to: number): Generator<number> {
  let step = 0;
  for (let i = from; i < to; i++) {
    step++;
    yield i + (step & 1);
  }
}

export async function main(): Promise<number> {
  let sum = 0;
  for (const x of range(0, 1_000_000)) sum = (sum + x) % 1_000_000_007;
  return sum;
}
