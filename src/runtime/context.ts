/**
 * `Context` and `Waker`: what a future is given when polled, and how it asks to be polled again.
 *
 * A future that returns `PENDING` must have arranged for `cx.waker.wake()` to be called when it can
 * make progress. In promise mode the driver (see promise.ts) waits for native operands itself:
 * an `await` hands its operand over (await.ts) instead of wiring a waker, and the driver's context carries a waker that does nothing.
 */

export interface Waker {
  /** Ask for the task to be polled again. Every wake guarantees a later poll. */
  wake(): void;
}

export interface Context {
  readonly waker: Waker;
}

/** A waker that does nothing: for contexts whose driver resumes by itself. */
export const noopWaker: Waker = { wake() {} };
