/**
 * `Context` and `Waker`: what a future is given when polled, and how it asks to be polled again.
 *
 * A future that returns `PENDING` must have arranged for `cx.waker.wake()` to be called when it can
 * make progress. In promise mode the driver (see promise.ts) waits for native operands itself:
 * an `await` hands its operand to `cx.awaitNative` instead of wiring a waker.
 */
import type { Poll } from "./poll.js";

export interface Waker {
  /** Ask for the task to be polled again. Every wake guarantees a later poll. */
  wake(): void;
}

export interface Context {
  readonly waker: Waker;
  /**
   * `await operand` on a native value (promise, thenable or plain value), with the ECMAScript
   * `Await` semantics. Called when the machine reaches the `await`: the context takes the operand
   * and answers `PENDING`; its driver waits for the operand and polls again. Called by that next
   * poll: answers the value, or throws the rejection reason.
   */
  awaitNative(operand: unknown): Poll<unknown>;
}

/** A waker that does nothing: for contexts whose driver resumes by itself. */
export const noopWaker: Waker = { wake() {} };
