/**
 * The checks at the runtime's entry points: each refuses a wrong argument with a TypeError (a
 * RangeError for a number out of range) whose message names the call that was meant and says
 * what it got (issue 13 item 9).
 *
 *   [source]   await select(fast(), slow());        // futures one by one, as Promise.race takes them
 *   [answers]  { index: 0, value }                   // the positional form (combinators.ts)
 *   [source]   await sleep(-5);
 *   [throws]   RangeError: sleep(ms) needs a duration of 0 ms or more, not the number -5
 */
import { isObject, jsonStringify, NativeRangeError, NativeString, NativeTypeError } from "./intrinsics.js";

/** What a value is, for a message: "a future", "a promise", "the number -5", "null", "an object". */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "number") return `the number ${NativeString(value)}`;
  if (typeof value === "string") return `the string ${jsonStringify(value)}`;
  if (typeof value === "bigint") return `the bigint ${NativeString(value)}n`;
  if (typeof value === "boolean" || typeof value === "symbol") return `${typeof value} ${NativeString(value)}`;
  if (typeof (value as { poll?: unknown }).poll === "function") return "a future";
  if (typeof (value as { then?: unknown }).then === "function") return "a promise";
  if (typeof value === "function") return "a function";
  return "an object";
}

/** Is `value` something `await` adapts into a future that waits: a future, a promise or a thenable? */
export function isAwaitable(value: unknown): boolean {
  if (!isObject(value)) return false;
  return typeof (value as { poll?: unknown }).poll === "function" || typeof (value as { then?: unknown }).then === "function";
}

/** `value` must be a future or a promise: `call` names the entry point, `what` the argument. */
export function requireAwaitable(value: unknown, call: string, what: string): void {
  if (!isAwaitable(value)) throw new NativeTypeError(`${call} takes ${what} a future or a promise, not ${describeValue(value)}`);
}

/** A duration in milliseconds: a number, not NaN, not negative (Infinity allowed: never). */
export function requireDuration(ms: unknown, call: string): void {
  if (typeof ms !== "number") throw new NativeTypeError(`${call} needs a duration in milliseconds (a number), not ${describeValue(ms)}`);
  if (ms !== ms || ms < 0) throw new NativeRangeError(`${call} needs a duration of 0 ms or more, not ${describeValue(ms)}`);
}

/** An options argument: undefined, or a plain object whose keys are all in `known`. */
export function requireOptions(options: unknown, call: string, known: readonly string[]): void {
  if (options === undefined) return;
  if (!isObject(options) || typeof options === "function" || isAwaitable(options)) {
    throw new NativeTypeError(`${call} takes an options object as its last argument, not ${describeValue(options)}`);
  }
  for (const key in options) {
    let found = false;
    for (let i = 0; i < known.length; i++) if (known[i] === key) found = true;
    if (!found) throw new NativeTypeError(`${call} has no option ${jsonStringify(key)} (it knows ${listed(known)})`);
  }
}

function listed(names: readonly string[]): string {
  let out = "";
  for (let i = 0; i < names.length; i++) out += (i === 0 ? "" : ", ") + names[i];
  return out === "" ? "none" : out;
}
