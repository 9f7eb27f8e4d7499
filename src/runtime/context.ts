/**
 * `Context` and `Waker`: what a future is given when polled, and how it asks to be polled again.
 *
 * A future that returns `PENDING` must have arranged for `cx.waker.wake()` to be called when it can
 * make progress. In promise mode the driver (see promise.ts) waits for native operands itself:
 * an `await` operand registers with `cx.awaitNative(op)` instead of wiring a waker.
 */
import type { AwaitOperand } from "./await.js";

export interface Waker {
  /** Ask for the task to be polled again. Every wake guarantees a later poll. */
  wake(): void;
}

export interface Context {
  readonly waker: Waker;
  /**
   * Wait for a native value (promise, thenable or plain value) with the ECMAScript `Await`
   * semantics, then poll again. The driver decides how: the promise driver awaits it natively.
   */
  awaitNative(op: AwaitOperand<unknown>): void;
}

/** A waker that does nothing: for contexts whose driver resumes by itself. */
export const noopWaker: Waker = { wake() {} };
