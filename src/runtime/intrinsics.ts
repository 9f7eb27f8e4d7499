/**
 * What the runtime takes from the engine once, when it loads: the native Promise and its functions
 * (so that a program that patches `Promise.prototype.then` later does not change how lowered code
 * settles or awaits), `Object`'s reflection functions, and the two small object checks the
 * protocol helpers share.
 */
export const NativePromise = Promise;
export const fulfilledWith: <T>(value: T) => Promise<Awaited<T>> = NativePromise.resolve.bind(NativePromise);
export const rejectedWith: (reason: unknown) => Promise<never> = NativePromise.reject.bind(NativePromise);
/** `Promise.prototype.then` as the engine defined it, to call on native promises. */
export const promiseThen = NativePromise.prototype.then as <T, R>(this: Promise<T>, onFulfilled: (value: T) => R, onRejected?: (reason: unknown) => R) => Promise<R>;
/** `Object`'s reflection functions as the engine defined them: a program may replace them. */
export const ownDescriptor = Object.getOwnPropertyDescriptor;
export const setPrototype = Object.setPrototypeOf;
export const defineOwn = Object.defineProperty;

export function isObject(value: unknown): value is object {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}

/** GetMethod: undefined and null mean "none"; anything else must be callable. */
export function methodOf(o: unknown, key: PropertyKey): ((...args: unknown[]) => unknown) | undefined {
  const method = (o as Record<PropertyKey, unknown>)[key];
  if (method === undefined || method === null) return undefined;
  if (typeof method !== "function") throw new TypeError(`The iterator's '${String(key)}' is not a function`);
  return method as (...args: unknown[]) => unknown;
}
