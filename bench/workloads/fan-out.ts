/**
 * fan-out: 10,000 concurrent calls of a small async function, collected with Promise.all,
 * repeated 10 times. Each call awaits three times (a plain value, a resolved promise, and
 * a call of another async function that itself awaits once), so 10,000 machines are
 * suspended at the same time and resumed in interleaved order by the microtask queue.
 * Measures throughput with many live machines: allocation, field layout and GC pressure.
 */
const WIDTH = 10_000;
const ROUNDS = 10;

async function lookup(id: number): Promise<number> {
  const base = await id;
  return (base * 31) % 1009;
}

async function task(id: number, shared: Promise<number>): Promise<number> {
  const offset = await shared;
  const scaled = (await (id * 3)) + offset;
  const looked = await lookup(id);
  return (scaled ^ looked) & 0xffff;
}

export async function main(): Promise<number> {
  let checksum = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const shared = Promise.resolve(round);
    const pending: Promise<number>[] = [];
    for (let id = 0; id < WIDTH; id++) pending.push(task(id, shared));
    const results = await Promise.all(pending);
    for (const r of results) checksum = (checksum + r) | 0;
  }
  return checksum;
}
