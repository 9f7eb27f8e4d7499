/**
 * The iteration protocol steps that a lowered `for…of` / `for…in` performs one at a time, so that
 * a loop whose body awaits can be split into states. Each helper is one step of the spec's
 * ForIn/OfBodyEvaluation and keeps its rules:
 * - errors from `next()`, from reading `done` or `value` mark the iterator done: it is not closed;
 * - leaving the body by `break`, `return`, `throw` or an outer `continue` closes it (`return()`),
 *   and after a throw, an error from `return()` is dropped in favour of the first one.
 */

import { callFunction, isObject, jsonStringify, NativeObject, NativeString, NativeTypeError, newSymbol, symbolIterator } from "./intrinsics.js";

/** The spec's Iterator Record. `done` is true once the loop must not close it any more. */
export interface IteratorRecord {
  iterator: Iterator<unknown>;
  next: (...args: unknown[]) => unknown;
  done: boolean;
}

/** Returned by `step` when the iterator is exhausted. */
declare const iterationDone: unique symbol;
export const ITERATION_DONE: typeof iterationDone = newSymbol("ITERATION_DONE") as typeof iterationDone;

/** GetIterator(iterable, sync). */
export function iterate(iterable: unknown): IteratorRecord {
  const method = (iterable as { [symbolIterator]?: unknown } | null | undefined)?.[symbolIterator];
  if (typeof method !== "function") throw new NativeTypeError(`${describe(iterable)} is not iterable`);
  const iterator: unknown = callFunction(method, iterable);
  if (!isObject(iterator)) throw new NativeTypeError("Result of the Symbol.iterator method is not an object");
  const next = (iterator as { next: unknown }).next as IteratorRecord["next"];
  return { iterator: iterator as Iterator<unknown>, next, done: false };
}

/** One step: the next value, or ITERATION_DONE. */
export function step(record: IteratorRecord): unknown {
  record.done = true; // stays true if anything below throws: such an iterator is not closed
  return resultValue(record, callFunction(record.next, record.iterator));
}

/** What a `next()` result gives the loop: its value, or ITERATION_DONE (checked, `done` then `value` read once). */
export function resultValue(record: IteratorRecord, result: unknown): unknown {
  if (!isObject(result)) throw new NativeTypeError(`Iterator result ${NativeString(result)} is not an object`);
  if ((result as IteratorResult<unknown>).done) return ITERATION_DONE;
  const value = (result as IteratorResult<unknown>).value;
  record.done = false;
  return value;
}

/** IteratorClose for a normal exit of the body (`break`, `return`, outer `continue`). */
export function closeIterator(record: IteratorRecord): void {
  if (record.done) return;
  record.done = true;
  const method = (record.iterator as { return?: unknown }).return;
  if (method === undefined || method === null) return;
  if (typeof method !== "function") throw new NativeTypeError("The iterator's 'return' is not a function");
  const result: unknown = callFunction(method, record.iterator);
  if (!isObject(result)) throw new NativeTypeError("The iterator's 'return' did not return an object");
}

/** IteratorClose after the body threw: the original error wins over any error from `return()`. */
export function closeIteratorAfterThrow(record: IteratorRecord): void {
  if (record.done) return;
  record.done = true;
  try {
    const method = (record.iterator as { return?: unknown }).return;
    if (method !== undefined && method !== null) callFunction(method, record.iterator);
  } catch {
    // dropped: the body's exception is the one that propagates
  }
}

/** The keys a `for…in` visits, collected up front as engines do; a key deleted before its turn is skipped. */
export interface ForInRecord {
  object: object;
  keys: string[];
  index: number;
}

export function forInKeys(value: unknown): ForInRecord {
  const keys: string[] = [];
  if (value !== null && value !== undefined) {
    for (const key in value as object) keys[keys.length] = key;
  }
  return { object: NativeObject(value ?? {}) as object, keys, index: 0 };
}

/** The next key still present on the object, or ITERATION_DONE. */
export function nextKey(record: ForInRecord): string | typeof ITERATION_DONE {
  while (record.index < record.keys.length) {
    const key = record.keys[record.index++]!;
    if (key in record.object) return key;
  }
  return ITERATION_DONE;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "function") return value.name ? `function ${value.name}` : "function";
  if (typeof value === "object") return "object";
  return typeof value === "string" ? jsonStringify(value) : NativeString(value);
}
