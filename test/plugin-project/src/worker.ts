/** Awaits in loops, try/catch/finally, an async arrow, async IIFEs racing each other. */
import { log, sleep, tick } from "./log.js";
import { CountingStore, Store } from "./store.js";

export class Failure extends Error {}

export async function work(name: string, store: Store<number>, keys: string[]): Promise<number> {
  let total = 0;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    try {
      const value = await store.get(key);
      if (value === undefined) throw new Failure(`${name}: no ${key}`);
      total += value;
      log(name, "read", key, value);
    } catch (e) {
      if (!(e instanceof Failure)) throw e;
      log(name, "caught", e.message);
      await sleep(2);
    } finally {
      log(name, "finally", i);
    }
  }
  return total;
}

export const retry = async <T>(name: string, attempts: number, fn: (attempt: number) => Promise<T>): Promise<T> => {
  let attempt = 0;
  while (true) {
    try {
      return await fn(attempt);
    } catch (e) {
      attempt++;
      log(name, "attempt failed", attempt, (e as Error).message);
      if (attempt >= attempts) throw e;
      await tick(`${name} backoff ${attempt}`);
    }
  }
};

export async function race(store: CountingStore): Promise<string[]> {
  const order: string[] = [];
  const a = (async () => {
    for (const k of ["a", "b"]) order.push(`x:${await store.get(k)}`);
  })();
  const b = (async () => {
    await tick("y0");
    order.push("y");
    await tick("y1");
    order.push("y2");
  })();
  await Promise.all([a, b]);
  return order;
}

export default async function summary(parts: Promise<number>[]): Promise<string> {
  let text = "";
  for (const part of parts) text += `[${await part}]`;
  return text;
}
