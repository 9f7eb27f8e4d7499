/**
 * Everything the runtime takes from the engine, taken once, when it loads. No other runtime module
 * names a global or calls a built-in method through a property a program can replace: the user's
 * names and globals cannot change how the runtime works (issue 13 item 3).
 *
 * Two ways a program could reach the runtime's machinery, and why this file exists:
 * - **Its names.** The inline runtime (`--runtime inline`) is a function nested in the user's own
 *   file, so every free name in it resolves through the user's scope first: a sloppy script that
 *   starts `var Symbol = polyfill;` (or `var Promise = require("bluebird");`) is, run as CommonJS,
 *   a module function whose `Symbol` is `undefined` while the runtime loads, and the polyfill later.
 *   So the intrinsics are reached from syntax (`({}).constructor` is %Object% whatever `Object`
 *   means in scope) or from the global object, which is found without trusting the name
 *   `globalThis` either (fixtures/hygiene/runtime-shadowed-symbol, runtime-shadowed-promise).
 * - **Its prototypes.** A program may replace `Promise.prototype.then`, `Function.prototype.call`,
 *   `Array.prototype.push` or `Array.prototype[Symbol.iterator]` after the runtime loaded. Native
 *   async functions and generators never call those; neither does the runtime: it calls the
 *   functions saved here (`callFunction(fn, receiver, ...args)`, `promiseThen`), and walks its own
 *   arrays with index loops, never `for…of` or spread (fixtures/hygiene/runtime-patched-array-iterator,
 *   fixtures/promise-timing/patched-call-apply-bind-not-used).
 *
 * `undefined` is the one name left: the runtime says it as TypeScript does. (A top-level
 * `var undefined` in a CommonJS script would reach the inline runtime; see emit/inlineRuntime.ts.)
 */

// ---------------------------------------------------------------------------------------------
// From syntax: what an object, a function, an array, a string and an async function are made of.

/** %Object%, from an object literal. */
export const NativeObject = {}.constructor as ObjectConstructor;
export const ownDescriptor = NativeObject.getOwnPropertyDescriptor;
export const setPrototype = NativeObject.setPrototypeOf;
export const getPrototype = NativeObject.getPrototypeOf;
export const defineOwn = NativeObject.defineProperty;
export const freeze = NativeObject.freeze;
export const ownKeysOf = NativeObject.keys;
export const ownSymbolsOf = NativeObject.getOwnPropertySymbols;
export const isPrototypeOf = NativeObject.prototype.isPrototypeOf;

/** %Function.prototype%, from a function expression, and its `call`, `apply` and `bind`. */
const FunctionPrototype = getPrototype(function () {}) as typeof Function.prototype;
const functionCall = FunctionPrototype.call;
const functionBind = FunctionPrototype.bind;

/**
 * `method` as a function of its receiver: `uncurryThis(Array.prototype.splice)(array, 0, 1)` is
 * `array.splice(0, 1)` with the engine's own `splice`, whatever `array.splice` or
 * `Function.prototype.call` have become since. A bound function calls its target directly.
 */
export function uncurryThis<A extends unknown[], R>(method: (...args: A) => R): (receiver: unknown, ...args: A) => R {
  return functionBind.call(functionCall, method) as (receiver: unknown, ...args: A) => R;
}

/** `fn.call(receiver, ...args)`, through the engine's own `call`: a program may replace `Function.prototype.call`. */
export const callFunction = uncurryThis(functionCall) as (fn: unknown, receiver: unknown, ...args: unknown[]) => unknown;

/** `String(value)`, %String% from a string literal. */
export const NativeString = "".constructor as StringConstructor;

/** %Array.prototype%'s methods the runtime calls, as functions of the array. */
const ArrayPrototype = getPrototype([]) as unknown[];
export const arraySplice = uncurryThis(ArrayPrototype.splice) as (array: unknown[], start: number, deleteCount: number) => unknown[];
export const arrayIndexOf = uncurryThis(ArrayPrototype.indexOf) as (array: readonly unknown[], value: unknown) => number;

/** %Promise%, from the promise an async function returns: `var Promise = Bluebird` does not reach it. */
export const NativePromise = (async () => {})().constructor as PromiseConstructor;
/** `Promise.resolve(value)` (PromiseResolve(%Promise%, value)) and `Promise.reject(reason)`, bound to %Promise%. */
export const fulfilledWith = functionBind.call(NativePromise.resolve, NativePromise) as <T>(value: T) => Promise<Awaited<T>>;
export const rejectedWith = functionBind.call(NativePromise.reject, NativePromise) as (reason: unknown) => Promise<never>;
/** `promise.then(onFulfilled, onRejected)` with the engine's `then`, for native promises (a program may patch `Promise.prototype.then`). */
export const promiseThen = uncurryThis(NativePromise.prototype.then) as <T, R1, R2 = never>(promise: Promise<T>, onFulfilled: ((value: T) => R1 | PromiseLike<R1>) | null | undefined, onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null) => Promise<R1 | R2>;

/** A new native promise and the functions that settle it (`Promise.withResolvers`). */
export function newPromise<T>(executor: (resolve: (value: T | PromiseLike<T>) => void, reject: (reason: unknown) => void) => void): Promise<T> {
  return new NativePromise<T>(executor);
}

/**
 * A promise an engine `await` takes as it is (PromiseResolve): one of %Promise%'s, its
 * `constructor` read once and %Promise%. Its `then` is not read; `promiseThen` settles it (and
 * rejects, as natively, for an object that only inherits from Promise.prototype).
 */
export function isNativePromise(value: unknown): value is Promise<unknown> {
  return isObject(value) && callFunction(isPrototypeOf, NativePromise.prototype, value) === true && (value as { constructor?: unknown }).constructor === NativePromise;
}

// ---------------------------------------------------------------------------------------------
// From the global object: found from syntax too, and checked.

/**
 * The global object. The name `globalThis` can be shadowed (`var globalThis` in a CommonJS
 * script), so the object it names is used only when its `Object` is the engine's %Object%;
 * otherwise a sloppy function made by %Function% answers its `this`.
 */
const global: typeof globalThis = (() => {
  const named: unknown = typeof globalThis === "object" ? globalThis : undefined;
  if (isObject(named) && (named as { Object?: unknown }).Object === NativeObject) return named as typeof globalThis;
  const NativeFunction = FunctionPrototype.constructor as FunctionConstructor;
  return NativeFunction("return this")() as typeof globalThis;
})();

/** %Symbol% (the one the engine's own syntax uses) and the well-known symbols the runtime speaks. */
const NativeSymbol = getPrototype(NativeObject(ownSymbolsOf(ArrayPrototype)[0])).constructor as SymbolConstructor;
export const symbolIterator: typeof Symbol.iterator = NativeSymbol.iterator;
export const symbolAsyncIterator: typeof Symbol.asyncIterator = NativeSymbol.asyncIterator;
/**
 * `Symbol.dispose` and `Symbol.asyncDispose` of the engine, or where it has none, the registered
 * symbols TypeScript's own `using` helpers and the common polyfills agree on.
 */
export const symbolDispose: symbol = (NativeSymbol as { dispose?: symbol }).dispose ?? NativeSymbol.for("Symbol.dispose");
export const symbolAsyncDispose: symbol = (NativeSymbol as { asyncDispose?: symbol }).asyncDispose ?? NativeSymbol.for("Symbol.asyncDispose");
/** A new unique symbol (`Symbol(description)`). */
export function newSymbol(description: string): symbol {
  return NativeSymbol(description);
}

export const NativeError: ErrorConstructor = global.Error;
export const NativeTypeError: TypeErrorConstructor = global.TypeError;
export const NativeRangeError: RangeErrorConstructor = global.RangeError;
export const NativeReferenceError: ReferenceErrorConstructor = global.ReferenceError;
/** The engine's SuppressedError, where it has one (using.ts makes one of the same shape otherwise). */
export const NativeSuppressedError = (global as { SuppressedError?: new (error: unknown, suppressed: unknown, message?: string) => Error }).SuppressedError;

const NativeReflect = global.Reflect;
export const applyFunction = NativeReflect.apply;
export const ownKeys = NativeReflect.ownKeys;

/**
 * The collections the executor, the channels and the streams keep, with their methods as functions
 * of the collection, and their contents read out into the runtime's own arrays (a `for…of` over a
 * Set would call %SetIteratorPrototype%.next, which a program can replace).
 */
export const NativeMap = global.Map;
export const NativeSet = global.Set;
export const NativeWeakMap = global.WeakMap;
export const NativeWeakSet = global.WeakSet;
const MapPrototype = NativeMap.prototype;
const SetPrototype = NativeSet.prototype;
export const mapGet = uncurryThis(MapPrototype.get) as <K, V>(map: Map<K, V>, key: K) => V | undefined;
export const mapSet = uncurryThis(MapPrototype.set) as <K, V>(map: Map<K, V>, key: K, value: V) => Map<K, V>;
export const mapDelete = uncurryThis(MapPrototype.delete) as <K>(map: Map<K, unknown>, key: K) => boolean;
export const mapClear = uncurryThis(MapPrototype.clear) as (map: Map<unknown, unknown>) => void;
export const setAdd = uncurryThis(SetPrototype.add) as <T>(set: Set<T>, value: T) => Set<T>;
export const setDelete = uncurryThis(SetPrototype.delete) as <T>(set: Set<T>, value: T) => boolean;
export const setHas = uncurryThis(SetPrototype.has) as <T>(set: Set<T>, value: T) => boolean;
export const setClear = uncurryThis(SetPrototype.clear) as (set: Set<unknown>) => void;
export const setSize = uncurryThis(ownDescriptor(SetPrototype, "size")!.get!) as (set: Set<unknown>) => number;
export const weakMapGet = uncurryThis(NativeWeakMap.prototype.get) as <K extends object, V>(map: WeakMap<K, V>, key: K) => V | undefined;
export const weakMapSet = uncurryThis(NativeWeakMap.prototype.set) as <K extends object, V>(map: WeakMap<K, V>, key: K, value: V) => WeakMap<K, V>;
const setValuesOf = uncurryThis(SetPrototype.values) as <T>(set: Set<T>) => Iterator<T>;
const mapValuesOf = uncurryThis(MapPrototype.values) as <V>(map: Map<unknown, V>) => Iterator<V>;
const setIteratorNext = uncurryThis(getPrototype(setValuesOf(new NativeSet())).next) as <T>(iterator: Iterator<T>) => IteratorResult<T>;
const mapIteratorNext = uncurryThis(getPrototype(mapValuesOf(new NativeMap())).next) as <T>(iterator: Iterator<T>) => IteratorResult<T>;

/** The values of a Set, in insertion order, in an array of the runtime's own. */
export function setValues<T>(set: Set<T>): T[] {
  const out: T[] = [];
  const iterator = setValuesOf(set);
  for (let r = setIteratorNext(iterator); !r.done; r = setIteratorNext(iterator)) out[out.length] = r.value;
  return out;
}

/** The values of a Map, in insertion order, in an array of the runtime's own. */
export function mapValues<V>(map: Map<unknown, V>): V[] {
  const out: V[] = [];
  const iterator = mapValuesOf(map);
  for (let r = mapIteratorNext(iterator); !r.done; r = mapIteratorNext(iterator)) out[out.length] = r.value;
  return out;
}

/** The first value of a Set (insertion order), or undefined when it is empty. */
export function firstInSet<T>(set: Set<T>): T | undefined {
  const r = setIteratorNext(setValuesOf(set));
  return r.done ? undefined : r.value;
}

export const mathFloor = global.Math.floor;
export const mathMax = global.Math.max;
export const mathRound = global.Math.round;
export const mathImul = global.Math.imul;
export const mathRandom = global.Math.random;
export const numberIsInteger = global.Number.isInteger;
export const jsonStringify = global.JSON.stringify;

/** The host's scheduling functions, called without a receiver as their specs allow. */
export const queueMicrotaskFn: (callback: () => void) => void = global.queueMicrotask;
export const setTimeoutFn: (callback: () => void, ms: number) => unknown = global.setTimeout;
export const clearTimeoutFn: (handle: unknown) => void = global.clearTimeout as (handle: unknown) => void;
/** `setImmediate` where the host has it (Node), else undefined. */
export const setImmediateFn = (global as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
/** Milliseconds of a monotonic clock: `performance.now()` bound to its object, else `Date.now`. */
export const monotonicNow: () => number =
  typeof global.performance?.now === "function" ? (functionBind.call(global.performance.now, global.performance) as () => number) : global.Date.now;
/** The environment variable `name` of the host process when it loaded (Node), else undefined. */
export function hostEnvironment(name: string): string | undefined {
  const value = hostEnv?.[name];
  return typeof value === "string" ? value : undefined;
}
const hostEnv = (global as { process?: { env?: Record<string, string | undefined> } }).process?.env;
/** The console, for the runtime's one report of its own (a detached task that threw). */
export const hostConsole: Console = global.console;

// ---------------------------------------------------------------------------------------------
// Small checks the protocol helpers share.

export function isObject(value: unknown): value is object {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}

/** GetMethod: undefined and null mean "none"; anything else must be callable. */
export function methodOf(o: unknown, key: PropertyKey): ((...args: unknown[]) => unknown) | undefined {
  const method = (o as Record<PropertyKey, unknown>)[key];
  if (method === undefined || method === null) return undefined;
  if (typeof method !== "function") throw new NativeTypeError(`The iterator's '${NativeString(key)}' is not a function`);
  return method as (...args: unknown[]) => unknown;
}
