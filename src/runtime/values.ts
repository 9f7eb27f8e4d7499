/** Small value conversions the lowering needs to keep the order in which the spec performs them. */

/**
 * ToPropertyKey, done where the spec does it: a computed key `{ [k()]: await v }` is converted
 * before the `await`, so a key saved across the suspension is saved already converted.
 */
export function propertyKey(value: unknown): string | symbol {
  if (typeof value === "symbol") return value;
  if ((typeof value !== "object" || value === null) && typeof value !== "function") return String(value);
  // Let the engine run ToPrimitive(value, string) exactly as a computed key does.
  return Reflect.ownKeys({ [value as unknown as PropertyKey]: 0 })[0]!;
}

/** The value of a machine's `let`/`const`/`class` binding before its declaration has run. */
export const UNINITIALIZED: unique symbol = Symbol("UNINITIALIZED");

/** Reads a binding that may still be in its temporal dead zone. */
export function tdz<T>(value: T | typeof UNINITIALIZED, name: string): T {
  if (value === UNINITIALIZED) throw new ReferenceError(`Cannot access '${name}' before initialization`);
  return value;
}

/** Strict-mode assignment to a read-only binding (a named function expression's own name). */
export function assignToConstant(_value: unknown, name: string): never {
  throw new TypeError(`Assignment to constant variable '${name}'.`);
}
