/**
 * What `await v` turns its operand into in future mode, and the way back from a future to a
 * promise.
 *
 *   [source]   const user = await fetchUser(id);
 *   [lowered]  this.$awaitee = $rt.intoFuture(fetchUser(id)); this.$state = 2;
 *              case 2: const r = this.$awaitee.poll(cx); if (r === $rt.PENDING) return r; ...
 *
 * - A future (anything with a `poll` method: a lowered machine, a `JoinHandle`, `sleep(…)`) is
 *   awaited as it is: polled at once, so a future that is already ready continues in the same
 *   `poll`, with no tick.
 * - A promise or other thenable is adapted: its first poll hands `then` two callbacks and registers
 *   the task's waker; when it settles the task is woken and the next poll answers the value or
 *   throws the reason.
 * - Anything else is ready at once (`await 5` is 5, without a tick).
 */
import type { Context, Waker } from "./context.js";
import { runningRuntime, type Runtime } from "./executor.js";
import { isInternalPromise } from "./thenable.js";
import type { Future } from "./future.js";
import { PENDING, type Poll } from "./poll.js";
import { callFunction, freeze, isNativePromise, promiseThen } from "./intrinsics.js";

/** The value of an `await` of a plain value, from `intoFuture` to the poll right after it. */
let readyOperand: unknown = undefined;

/** The awaitee of an `await` of a plain value: ready at once. */
export const READY: Future<unknown> = freeze({
  poll(_cx: Context): Poll<unknown> {
    const value = readyOperand;
    readyOperand = undefined;
    return value;
  },
  toString: () => "READY",
});

export function isFuture(value: unknown): value is Future<unknown> {
  return value !== null && (typeof value === "object" || typeof value === "function") && typeof (value as { poll?: unknown }).poll === "function";
}

/** `await value` in future mode. */
export function intoFuture<T>(value: T | PromiseLike<T> | Future<T>): Future<T> {
  if (value !== null && (typeof value === "object" || typeof value === "function")) {
    if (typeof (value as { poll?: unknown }).poll === "function") return value as Future<T>;
    // A native promise is awaited with the engine's `then`, as an engine `await` does: a patched
    // `Promise.prototype.then` is not called (fixtures/hygiene/runtime-patched-promise-then).
    if (isNativePromise(value)) return new ThenableFuture<T>(value as PromiseLike<T>, promiseThenMethod as PromiseLike<T>["then"]);
    const then = (value as { then?: unknown }).then;
    if (typeof then === "function") return new ThenableFuture<T>(value as PromiseLike<T>, then as PromiseLike<T>["then"]);
  }
  readyOperand = value;
  return READY as Future<T>;
}

/** `promiseThen` as a method, for `ThenableFuture`, which calls it with the promise as the receiver. */
function promiseThenMethod<T>(this: Promise<T>, onFulfilled: (value: T) => unknown, onRejected: (reason: unknown) => unknown): unknown {
  return promiseThen(this, onFulfilled, onRejected);
}

const THENABLE_WAITING = 0;
const THENABLE_STARTED = 1;
const THENABLE_FULFILLED = 2;
const THENABLE_REJECTED = 3;
const THENABLE_DROPPED = 4;

/** A promise or thenable, awaited by a future-mode machine. */
export class ThenableFuture<T> implements Future<T> {
  private state: typeof THENABLE_WAITING | typeof THENABLE_STARTED | typeof THENABLE_FULFILLED | typeof THENABLE_REJECTED | typeof THENABLE_DROPPED = THENABLE_WAITING;
  private outcome: unknown = undefined;
  private waker: Waker | null = null;
  private runtime: Runtime | null = null;

  constructor(
    private readonly thenable: PromiseLike<T>,
    private readonly then: PromiseLike<T>["then"],
  ) {}

  poll(cx: Context): Poll<T> {
    if (this.state === THENABLE_FULFILLED) return this.outcome as T;
    if (this.state === THENABLE_REJECTED) throw this.outcome;
    this.waker = cx.waker;
    if (this.state === THENABLE_WAITING) {
      this.state = THENABLE_STARTED;
      // A promise the runtime settles itself (`then` of a future) does not hold the virtual clock.
      this.runtime = isInternalPromise(this.thenable) ? null : runningRuntime();
      this.runtime?.externalStarted();
      try {
        callFunction(
          this.then,
          this.thenable,
          (value: unknown) => this.settle(THENABLE_FULFILLED, value),
          (reason: unknown) => this.settle(THENABLE_REJECTED, reason),
        );
      } catch (error) {
        this.settle(THENABLE_REJECTED, error);
        return this.poll(cx);
      }
    }
    return PENDING;
  }

  drop(): void {
    if (this.state === THENABLE_STARTED) this.stop(THENABLE_DROPPED);
    this.waker = null;
  }

  private settle(state: typeof THENABLE_FULFILLED | typeof THENABLE_REJECTED, outcome: unknown): void {
    if (this.state !== THENABLE_STARTED) return;
    this.outcome = outcome;
    const waker = this.waker;
    this.stop(state);
    waker?.wake();
  }

  private stop(state: typeof THENABLE_FULFILLED | typeof THENABLE_REJECTED | typeof THENABLE_DROPPED): void {
    this.state = state;
    this.waker = null;
    this.runtime?.externalSettled();
    this.runtime = null;
  }
}
