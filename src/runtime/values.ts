/** Small value conversions the lowering needs to keep the order in which the spec performs them. */
import { NativeReferenceError, NativeString, NativeTypeError, newSymbol, ownKeys } from "./intrinsics.js";

/**
 * ToPropertyKey, done where the spec does it: a computed key `{ [k()]: await v }` is converted
 * before the `await`, so a key saved across the suspension is saved already converted.
 */
export function propertyKey(value: unknown): string | symbol {
  if (typeof value === "symbol") return value;
  if ((typeof value !== "object" || value === null) && typeof value !== "function") return NativeString(value);
  // Let the engine run ToPrimitive(value, string) exactly as a computed key does.
  return ownKeys({ [value as unknown as PropertyKey]: 0 })[0]!;
}

/** The value of a machine's `let`/`const`/`class` binding before its declaration has run. */
declare const uninitialized: unique symbol;
export const UNINITIALIZED: typeof uninitialized = newSymbol("UNINITIALIZED") as typeof uninitialized;

/** Reads a binding that may still be in its temporal dead zone. */
export function tdz<T>(value: T | typeof UNINITIALIZED, name: string): T {
  if (value === UNINITIALIZED) throw new NativeReferenceError(`Cannot access '${name}' before initialization`);
  return value;
}

/** Strict-mode assignment to a read-only binding (a named function expression's own name). */
export function assignToConstant(_value: unknown, _name: string): never {
  throw new NativeTypeError("Assignment to constant variable.");
}

/** `x = value` where `x` is a `let` that may be in its dead zone: the value first, then the check. */
export function tdzWrite<T>(current: unknown, name: string, value: T): T {
  if (current === UNINITIALIZED) throw new NativeReferenceError(`Cannot access '${name}' before initialization`);
  return value;
}

/** A write to a `const` (its value already evaluated): a ReferenceError in its dead zone, else a TypeError. */
export function constWrite(current: unknown, name: string, _value: unknown): never {
  if (current === UNINITIALIZED) throw new NativeReferenceError(`Cannot access '${name}' before initialization`);
  throw new NativeTypeError("Assignment to constant variable.");
}

/** `k++` on a `const`: reads and converts the value as the update would, then refuses the write. */
export function constUpdate(current: unknown, name: string): never {
  let value = tdz(current, name) as number;
  value++;
  return constWrite(current, name, value);
}

/** A destructuring target that stores through a checked write: `[$rt.checkedTarget(...).value] = pair`. */
export function checkedTarget(read: () => unknown, write: (value: unknown) => void, name: string, constant: boolean): { value: unknown } {
  return {
    set value(value: unknown) {
      if (constant) constWrite(read(), name, value);
      write(tdzWrite(read(), name, value));
    },
  } as { value: unknown };
}
