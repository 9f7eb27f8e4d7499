/**
 * The base class of a lowered generator: a coroutine, in Rust's words — a machine resumed with a
 * sent value, answering "yielded v" or "complete with r" (`{ value, done }`).
 *
 * The generator function itself stays a native generator whose body delegates to its machine:
 *
 *   function* count(n) { return yield* new count$Generator(n); }
 *
 * so everything a program can see of the function and its generator objects — `name`, `length`,
 * `prototype`, the objects' prototype chain, `next`/`throw`/`return` before the start and after the
 * end, the "already running" TypeError — is the engine's own. `yield*` forwards `next(v)`,
 * `throw(e)` and `return(v)` to the machine, which is an iterator over its own states; the results
 * it returns pass through `yield*` unchanged.
 */
import { isObject, methodOf } from "./intrinsics.js";
import { DONE, POISONED, type Layout } from "./machine.js";

/** How a suspended generator is resumed: what the `yield` it stopped at evaluates to. */
export const NEXT = 0;
/** `throw(e)`: the `yield` throws `e`. */
export const THROW = 1;
/** `return(v)`: the `yield` acts as `return v` (running the `finally` blocks around it). */
export const RETURN = 2;
export type Resumption = typeof NEXT | typeof THROW | typeof RETURN;

export abstract class Coroutine<Y, R = unknown, N = unknown> implements Iterator<Y, R, N> {
  /** The state to run on the next resume: 0 = start, DONE, POISONED, or a resume point. */
  abstract $state: number;

  /** Runs from the current state to the next `yield` (done: false) or to the end (done: true). */
  abstract resume(how: Resumption, sent: unknown): IteratorResult<Y, R>;

  next(sent?: N): IteratorResult<Y, R> {
    return this.resume(NEXT, sent);
  }

  throw(error?: unknown): IteratorResult<Y, R> {
    return this.resume(THROW, error);
  }

  return(value?: R): IteratorResult<Y, R> {
    return this.resume(RETURN, value);
  }

  [Symbol.iterator](): this {
    return this;
  }

  /** `return value`: the machine is DONE. */
  $done<V extends R>(value: V): IteratorReturnResult<V> {
    this.$state = DONE;
    return { value, done: true };
  }

  /** An exception no try block of the body catches: the machine is poisoned; the error goes on. */
  $poison(error: unknown): unknown {
    if (this.$state >= 0) this.$state = POISONED;
    return error;
  }

  /** Throws the error for a resume after DONE or POISONED (the native generator around never does it). */
  $pollAfterEnd(): never {
    const name = (this.constructor as { $layout?: Layout }).$layout?.name ?? this.constructor.name;
    throw new Error(this.$state === POISONED ? `\`${name}\` was resumed after it threw (the machine is poisoned)` : `\`${name}\` was resumed after it completed`);
  }
}

/** The iterator a `yield*` forwards to, with its `next` method read once (GetIterator). */
export interface Delegation {
  iterator: Iterator<unknown>;
  next: (value?: unknown) => IteratorResult<unknown>;
  /** Set when a `return(v)` ended the delegation: the generator returns the last result's value. */
  returning: boolean;
}

/** `yield* iterable`: gets its iterator. */
export function delegate(iterable: unknown): Delegation {
  const method = iterable == null ? undefined : (iterable as { [Symbol.iterator]?: unknown })[Symbol.iterator];
  if (typeof method !== "function") throw new TypeError(`${typeof iterable === "object" ? "object" : String(iterable)} is not iterable`);
  const iterator = method.call(iterable) as Iterator<unknown>;
  if (!isObject(iterator)) throw new TypeError("Result of the Symbol.iterator method is not an object");
  return { iterator, next: iterator.next as Delegation["next"], returning: false };
}

/**
 * One step of a `yield*`: forwards how the generator was resumed to the inner iterator, as the spec's
 * yield* does, and returns the inner result (the machine yields it as it is while it is not done).
 * `throw(e)` on an iterator without `throw` closes it and throws a TypeError; `return(v)` on one
 * without `return` ends the delegation with a return of v.
 */
export function delegateStep(d: Delegation, how: Resumption, sent: unknown): IteratorResult<unknown> {
  const { iterator } = d;
  if (how === NEXT) return checked(d.next.call(iterator, sent));
  if (how === THROW) {
    const method = methodOf(iterator, "throw");
    if (method === undefined) {
      const close = methodOf(iterator, "return");
      if (close !== undefined && !isObject(close.call(iterator))) throw new TypeError("Iterator result is not an object");
      throw new TypeError("The iterator does not provide a 'throw' method");
    }
    return checked(method.call(iterator, sent));
  }
  const method = methodOf(iterator, "return");
  if (method === undefined) {
    d.returning = true;
    return { value: sent, done: true };
  }
  const result = checked(method.call(iterator, sent));
  if (result.done) d.returning = true;
  return result;
}

function checked(result: unknown): IteratorResult<unknown> {
  if (!isObject(result)) throw new TypeError(`Iterator result ${String(result)} is not an object`);
  return result as IteratorResult<unknown>;
}
