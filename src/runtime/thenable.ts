/**
 * What lets code that is not lowered `await` the runtime's futures and join handles: `then`,
 * `catch` and `finally`, as a promise has them, over the promise of the future's outcome (running
 * the future, for a future). One implementation for machines, the runtime's futures and handles.
 *
 *   [source]   const user = await fetchUser();   // in a file that is not lowered, or in promise mode
 *   [runs]     fetchUser().then(...)             // the future runs as a task of the executor
 *
 * The promises made here are marked internal: the runtime settles them itself, so awaiting one
 * is no reason for the virtual clock to wait (executor.ts `external`).
 */

import { callFunction, fulfilledWith, NativeWeakSet, promiseThen, rejectedWith, uncurryThis } from "./intrinsics.js";

const internalPromises = new NativeWeakSet<object>();
const weakSetAdd = uncurryThis(NativeWeakSet.prototype.add) as (set: WeakSet<object>, value: object) => WeakSet<object>;
const weakSetHas = uncurryThis(NativeWeakSet.prototype.has) as (set: WeakSet<object>, value: object) => boolean;

/** Marks a promise the runtime settles itself (see the header). */
export function internalPromise<P extends object>(promise: P): P {
  weakSetAdd(internalPromises, promise);
  return promise;
}

export function isInternalPromise(value: object): boolean {
  return weakSetHas(internalPromises, value);
}

export abstract class Thenable<T> implements PromiseLike<T> {
  /** The promise of the outcome (for a future: of running it as a task). */
  protected abstract $promise(): Promise<T>;

  then<R1 = T, R2 = never>(onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null, onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null): Promise<R1 | R2> {
    return internalPromise(promiseThen(this.$promise(), onFulfilled, onRejected));
  }

  /** As a promise's `catch`, for code that treats a future as a promise. */
  catch<R = never>(onRejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.then(undefined, onRejected);
  }

  /**
   * As a promise's `finally`: `onFinally` runs either way, then the outcome goes on (or the error
   * `onFinally` threw or rejected with). Written with the engine's `then`, which
   * `Promise.prototype.finally` would look up on the promise.
   */
  finally(onFinally?: (() => void) | null): Promise<T> {
    if (typeof onFinally !== "function") return this.then(onFinally, onFinally);
    const after = (): Promise<unknown> => fulfilledWith(callFunction(onFinally, undefined));
    return internalPromise(
      promiseThen(
        this.$promise(),
        (value) => promiseThen(after(), () => value),
        (reason) => promiseThen(after(), () => rejectedWith(reason)),
      ),
    );
  }
}
