/** Helpers for steps the lowering takes one at a time: calls with a saved `this`, destructuring. */
import { applyFunction, NativeObject, NativeString, NativeTypeError, ownDescriptor, ownKeys } from "./intrinsics.js";
import { ITERATION_DONE, step, type IteratorRecord } from "./iteration.js";

/** `receiver.method(...args)` after `method` was looked up before the arguments were evaluated. */
export function call(fn: unknown, receiver: unknown, ...args: unknown[]): unknown {
  return applyFunction(fn as (...a: unknown[]) => unknown, receiver, args);
}

/** The strings object of a tagged template site (the tag that returns it unchanged). */
export function templateObject(strings: TemplateStringsArray): TemplateStringsArray {
  return strings;
}

export function requireObjectCoercible(value: unknown): void {
  if (value === null || value === undefined) throw new NativeTypeError(`Cannot destructure '${NativeString(value)}' as it is ${NativeString(value)}.`);
}

/** `{ a, ...rest } = value`: the own enumerable properties not named before. */
export function objectRest(value: unknown, excluded: PropertyKey[]): Record<PropertyKey, unknown> {
  const out: Record<PropertyKey, unknown> = {};
  const source = NativeObject(value) as Record<PropertyKey, unknown>;
  const keys = ownKeys(source);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (isExcluded(key, excluded)) continue;
    const desc = ownDescriptor(source, key);
    if (desc?.enumerable) out[key] = source[key];
  }
  return out;
}

/** Is `key` one of the keys a rest pattern names before it (numbers compare as the strings they are as keys)? */
function isExcluded(key: string | symbol, excluded: PropertyKey[]): boolean {
  for (let i = 0; i < excluded.length; i++) {
    const k = excluded[i]!;
    if ((typeof k === "symbol" ? k : NativeString(k)) === key) return true;
  }
  return false;
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
    out[out.length] = value;
  }
  return out;
}

/** A rest parameter bound from the arguments of a function whose parameters are not simple. */
export function restParams(args: ArrayLike<unknown>, from: number): unknown[] {
  const out: unknown[] = [];
  for (let i = from; i < args.length; i++) out[out.length] = args[i];
  return out;
}
