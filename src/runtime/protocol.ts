/** Helpers for steps the lowering takes one at a time: calls with a saved `this`, destructuring. */
import { ITERATION_DONE, step, type IteratorRecord } from "./iteration.js";

const apply = Reflect.apply;

/** `receiver.method(...args)` after `method` was looked up before the arguments were evaluated. */
export function call(fn: unknown, receiver: unknown, ...args: unknown[]): unknown {
  return apply(fn as (...a: unknown[]) => unknown, receiver, args);
}

/** The strings object of a tagged template site (the tag that returns it unchanged). */
export function templateObject(strings: TemplateStringsArray): TemplateStringsArray {
  return strings;
}

export function requireObjectCoercible(value: unknown): void {
  if (value === null || value === undefined) throw new TypeError(`Cannot destructure '${String(value)}' as it is ${String(value)}.`);
}

/** `{ a, ...rest } = value`: the own enumerable properties not named before. */
export function objectRest(value: unknown, excluded: PropertyKey[]): Record<PropertyKey, unknown> {
  const out: Record<PropertyKey, unknown> = {};
  const source = Object(value) as Record<PropertyKey, unknown>;
  const skip = new Set(excluded.map((k) => (typeof k === "symbol" ? k : String(k))));
  for (const key of Reflect.ownKeys(source)) {
    if (skip.has(key)) continue;
    const desc = Object.getOwnPropertyDescriptor(source, key);
    if (desc?.enumerable) out[key] = source[key];
  }
  return out;
}

/** One element of an array pattern: the next value, or undefined once the iterator is done. */
export function stepOrUndefined(record: IteratorRecord): unknown {
  if (record.done) return undefined;
  const value = step(record);
  if (value === ITERATION_DONE) {
    record.done = true;
    return undefined;
  }
  return value;
}

/** `[a, ...rest] = value`: the remaining values. */
export function restOfIterator(record: IteratorRecord): unknown[] {
  const out: unknown[] = [];
  while (!record.done) {
    const value = step(record);
    if (value === ITERATION_DONE) {
      record.done = true;
      break;
    }
    out.push(value);
  }
  return out;
}

/** A rest parameter bound from the arguments of a function whose parameters are not simple. */
export function restParams(args: ArrayLike<unknown>, from: number): unknown[] {
  const out: unknown[] = [];
  for (let i = from; i < args.length; i++) out.push(args[i]);
  return out;
}
