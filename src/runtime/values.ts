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
