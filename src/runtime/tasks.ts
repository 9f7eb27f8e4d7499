/**
 * The entry points a future-mode program uses: `run` (block on a future), `spawn` (start a task on
 * the running executor) and `yieldNow` (let the other tasks run).
 *
 *   [source]   export async function main() { const h = spawn(async () => { ... }); await h; }
 *   [run]      await run(main(), { clock: "virtual" })
 */
import type { Context } from "./context.js";
import { ambientRuntime, currentRuntime, disposableByDrop, JoinHandle, Runtime, RUNTIME_OPTIONS, runningRuntime, type RuntimeOptions } from "./executor.js";
import { Thenable } from "./thenable.js";
import { intoFuture } from "./adapt.js";
import type { Future } from "./future.js";
import { PENDING, type Poll } from "./poll.js";
import { describeValue, isAwaitable, requireOptions } from "./checks.js";
import { fulfilledWith, NativeTypeError, NativeWeakMap, weakMapGet, weakMapSet } from "./intrinsics.js";

/**
 * The base of the runtime's futures (`sleep`, `join`, `select`, …): a future that is also a
 * thenable, so code that is not lowered (or lowered in promise mode) can `await` it too, and a
 * disposable (`using`), which drops it.
 */
export abstract class FutureBase<T> extends Thenable<T> implements Future<T> {
  abstract poll(cx: Context): Poll<T>;

  drop(): void {}

  protected $promise(): Promise<T> {
    return promiseOf(this);
  }
}

disposableByDrop(FutureBase);

/**
 * Runs `future` to completion on a new executor and settles with its result: Rust's `block_on`,
 * tokio's `#[tokio::main]`. Other tasks still running when it finishes are dropped. A lowered
 * async function's call is typed `Promise<T>` in the source a type checker sees, and is a future
 * at run time: both are accepted.
 */
export function run<T>(future: Future<T> | PromiseLike<T> | (() => Future<T> | PromiseLike<T>), options: RuntimeOptions = {}): Promise<T> {
  requireOptions(options, "run(future, options)", RUNTIME_OPTIONS);
  return new Runtime(options).blockOn(futureOf(future, "run"));
}

/**
 * `run`, reporting how long the run took on its executor's clock: on the virtual clock, the
 * virtual time its timers advanced (`{ value, elapsed: 3000 }` for two concurrent fetches of 3 s
 * and 1 s), in no time at all.
 */
export async function runTimed<T>(future: Future<T> | PromiseLike<T> | (() => Future<T> | PromiseLike<T>), options: RuntimeOptions = {}): Promise<{ value: T; elapsed: number }> {
  requireOptions(options, "runTimed(future, options)", RUNTIME_OPTIONS);
  const runtime = new Runtime(options);
  const value = await runtime.blockOn(futureOf(future, "runTimed"));
  return { value, elapsed: runtime.now() };
}

/**
 * Starts a task on the running executor. Takes a future or an async closure (TypeScript's
 * `async { }` block): `spawn(async () => { ... })`. The handle is a future of the task's result.
 */
export function spawn<T>(task: Future<T> | PromiseLike<T> | (() => Future<T> | PromiseLike<T>), name?: string): JoinHandle<T> {
  const runtime = currentRuntime("spawn()");
  if (name !== undefined && typeof name !== "string") throw new NativeTypeError(`spawn(future, name) takes a task name that is a string, not ${describeValue(name)}`);
  return runtime.spawn(futureOf(task, "spawn"), name);
}

/** A future that is pending once (after waking its task), so other tasks run first; tokio's `yield_now`. */
export function yieldNow(): FutureBase<void> {
  return new YieldNow();
}

class YieldNow extends FutureBase<void> {
  private yielded = false;

  poll(cx: Context): Poll<void> {
    if (this.yielded) return undefined;
    this.yielded = true;
    cx.waker.wake();
    return PENDING;
  }
}

/** A future, a promise (adapted), or a closure returning either (called once, now). */
function futureOf<T>(task: Future<T> | PromiseLike<T> | (() => Future<T> | PromiseLike<T>), what: string): Future<T> {
  const closure = typeof task === "function" && typeof (task as { poll?: unknown }).poll !== "function";
  const value = closure ? (task as () => Future<T> | PromiseLike<T>)() : task;
  if (!isAwaitable(value)) {
    throw new NativeTypeError(
      closure
        ? `${what}() was given a closure that returned ${describeValue(value)}; it takes a future, a promise, or an async closure`
        : `${what}() takes a future, a promise, or an async closure, not ${describeValue(value)}`,
    );
  }
  return intoFuture(value as Future<T> | PromiseLike<T>);
}

/** The executor of futures awaited by code that is not lowered (`then` on a future outside any task). */
let fallback: Runtime | null = null;

const promises = new NativeWeakMap<Future<unknown>, Promise<unknown>>();

/**
 * The promise of a future, for code that awaits it natively: the future runs as a task of the
 * running executor, or of a default one (real clock) outside any. One task per future, however
 * often `then` is called.
 */
export function promiseOf<T>(future: Future<T>): Promise<T> {
  let promise = weakMapGet(promises, future) as Promise<T> | undefined;
  if (promise === undefined) {
    const runtime = runningRuntime() ?? ambientRuntime() ?? (fallback ??= new Runtime());
    promise = fulfilledWith(runtime.spawn(future, "awaited future")) as Promise<T>;
    weakMapSet(promises, future, promise as Promise<unknown>);
  }
  return promise;
}

