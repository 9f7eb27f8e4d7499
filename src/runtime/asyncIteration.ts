/**
 * The steps of a lowered `for await`, one at a time, as the spec's ForIn/OfBodyEvaluation takes
 * them for an async iterator: the machine itself awaits each `next()` result and each `return()`
 * result, so every tick stays where the engine has it.
 *
 *   [source]   for await (const x of source) body
 *   [lowered]  const $iter1 = $rt.asyncIterate(source);
 *              try { for (;;) { const $next1 = await $rt.asyncNext($iter1);
 *                               const $value1 = $rt.asyncValue($iter1, $next1);
 *                               if ($value1 === $rt.ITERATION_DONE) break; const x = $value1; body } }
 *              catch ($caught1) { const $closing1 = $rt.asyncReturnAfterThrow($iter1);
 *                                 if ($closing1 !== $rt.ITERATION_DONE) try { await $closing1; } catch {}
 *                                 throw $caught1; }
 *              finally { const $closing2 = $rt.asyncReturn($iter1);
 *                        if ($closing2 !== $rt.ITERATION_DONE) { const $returned1 = await $closing2; $rt.returnResult($returned1); } }
 *
 * A sync iterable is wrapped as the spec's %AsyncFromSyncIteratorPrototype% does: each value
 * is resolved as a promise before the loop sees it.
 */
import { applyFunction, callFunction, fulfilledWith, isObject, methodOf, NativeString, NativeTypeError, rejectedWith, symbolAsyncIterator, symbolIterator } from "./intrinsics.js";
import { ITERATION_DONE, resultValue, type IteratorRecord } from "./iteration.js";

/** GetIterator(obj, async): its async iterator, or its sync iterator made async. */
export function asyncIterate(iterable: unknown): IteratorRecord {
  const method = methodOf(iterable, symbolAsyncIterator);
  if (method === undefined) {
    const syncMethod = methodOf(iterable, symbolIterator);
    if (syncMethod === undefined) throw new NativeTypeError(`${iterable === null || iterable === undefined ? NativeString(iterable) : typeof iterable} is not async iterable`);
    const iterator = callFunction(syncMethod, iterable);
    if (!isObject(iterator)) throw new NativeTypeError("Result of the Symbol.iterator method is not an object");
    const sync: IteratorRecord = { iterator: iterator as Iterator<unknown>, next: (iterator as { next: IteratorRecord["next"] }).next, done: false };
    const wrapped = new AsyncFromSyncIterator(sync);
    return { iterator: wrapped as unknown as Iterator<unknown>, next: AsyncFromSyncIterator.prototype.next as IteratorRecord["next"], done: false };
  }
  const iterator = callFunction(method, iterable);
  if (!isObject(iterator)) throw new NativeTypeError("Result of the Symbol.asyncIterator method is not an object");
  return { iterator: iterator as Iterator<unknown>, next: (iterator as { next: IteratorRecord["next"] }).next, done: false };
}

/** `next()`, not yet awaited. Until its result has given a value, the iterator counts as done (not closed). */
export function asyncNext(record: IteratorRecord): unknown {
  record.done = true;
  return callFunction(record.next, record.iterator);
}

/** The awaited result of `next()`: its value, or ITERATION_DONE. */
export function asyncValue(record: IteratorRecord, result: unknown): unknown {
  return resultValue(record, result);
}

/** AsyncIteratorClose on a normal exit: the result of `return()` to await, or ITERATION_DONE (nothing to await). */
export function asyncReturn(record: IteratorRecord): unknown {
  if (record.done) return ITERATION_DONE;
  record.done = true;
  const method = methodOf(record.iterator, "return");
  if (method === undefined) return ITERATION_DONE;
  return callFunction(method, record.iterator);
}

/** The awaited result of `return()` on a normal exit must be an object. */
export function returnResult(result: unknown): void {
  if (!isObject(result)) throw new NativeTypeError(`Iterator result ${NativeString(result)} is not an object`);
}

/** AsyncIteratorClose after a throw: `return()` is called and awaited, but the loop's error wins. */
export function asyncReturnAfterThrow(record: IteratorRecord): unknown {
  if (record.done) return ITERATION_DONE;
  record.done = true;
  try {
    const method = methodOf(record.iterator, "return");
    return method === undefined ? ITERATION_DONE : callFunction(method, record.iterator);
  } catch {
    return ITERATION_DONE; // dropped: the loop's exception is the one that propagates
  }
}

/** %AsyncFromSyncIteratorPrototype%: a sync iterator as an async one (only what `for await` calls). */
class AsyncFromSyncIterator {
  constructor(private readonly sync: IteratorRecord) {}

  next(...value: unknown[]): Promise<IteratorResult<unknown>> {
    let result: unknown;
    try {
      result = applyFunction(this.sync.next, this.sync.iterator, firstOf(value));
      if (!isObject(result)) throw new NativeTypeError(`Iterator result ${NativeString(result)} is not an object`);
    } catch (error) {
      return rejectedWith(error);
    }
    return continuation(result as IteratorResult<unknown>);
  }

  return(...value: unknown[]): Promise<IteratorResult<unknown>> {
    let result: unknown;
    try {
      const method = methodOf(this.sync.iterator, "return");
      if (method === undefined) return fulfilledWith({ value: value[0], done: true });
      result = applyFunction(method, this.sync.iterator, firstOf(value));
      if (!isObject(result)) throw new NativeTypeError(`Iterator result ${NativeString(result)} is not an object`);
    } catch (error) {
      return rejectedWith(error);
    }
    return continuation(result as IteratorResult<unknown>);
  }
}

/** The argument a `next(v)` or `return(v)` was given, if any, to pass on as the spec does (at most one). */
function firstOf(args: unknown[]): unknown[] {
  return args.length === 0 ? [] : [args[0]];
}

/**
 * AsyncFromSyncIteratorContinuation: the value resolved, then `{ value, done }`. (The spec now also
 * closes the sync iterator when the value rejects; the engine this is checked against, Node 20's
 * V8, does not, and neither does this — fixtures/loops/for-await-sync-iterables.)
 *
 * An engine `await` is the spec's PromiseResolve(%Promise%, value) and PerformPromiseThen: it
 * reads a promise's `constructor` once, as the spec does. (`then` on the resolved value would read
 * it a second time, for species: fixtures/promise-timing/for-await-sync-iterable-constructor-reads.)
 * Its reaction and the return that settles the result take the ticks `then` would.
 */
async function continuation(result: IteratorResult<unknown>): Promise<IteratorResult<unknown>> {
  const done = !!result.done;
  const value = result.value;
  return { value: await value, done };
}
