/**
 * The promise driver: runs a machine so that the lowered function is indistinguishable from the
 * native `async` function it came from, tick for tick (promise mode, DESIGN.md §1).
 *
 * The driver is itself a native async function, on purpose: each time the machine suspends at an
 * `await`, the driver performs exactly the ECMAScript `Await` on the operand — PromiseResolve
 * (%Promise%, v) then PerformPromiseThen — so a native promise costs one tick, a thenable its
 * extra ticks, a patched `Promise.prototype.then` is not called for native promises, and the
 * `constructor` property is read as often as natively. Returning the machine's result from the
 * driver resolves the promise the way an async function's `return` does (thenables adopted), and a
 * throw from the machine — also before its first `await` — becomes the rejection. The call runs
 * synchronously up to the first suspension: the eager start of an async function.
 */
import { recycle, type AwaitOperand } from "./await.js";
import { noopWaker, type Context, type Waker } from "./context.js";
import type { Future } from "./future.js";
import { PENDING } from "./poll.js";

class PromiseDriverContext implements Context {
  readonly waker: Waker = noopWaker;
  /** The operand the machine suspended on in the poll that just returned. */
  awaiting: AwaitOperand<unknown> | null = null;

  awaitNative(op: AwaitOperand<unknown>): void {
    this.awaiting = op;
  }
}

/**
 * One context serves every promise-driven machine: a poll runs to completion before any other
 * code, and the driver takes `awaiting` right after the poll that set it.
 */
const shared = new PromiseDriverContext();

export async function promise<T>(machine: Future<T>): Promise<T> {
  let consumed: AwaitOperand<unknown> | null = null;
  for (;;) {
    const result = machine.poll(shared);
    // The poll that resumed after `consumed` has read its outcome: the operand can serve again.
    if (consumed !== null) recycle(consumed);
    if (result !== PENDING) return result as T;
    const op = shared.awaiting;
    if (op === null) throw new Error("a state machine returned PENDING without awaiting anything");
    shared.awaiting = null;
    consumed = op;
    try {
      op.fulfil(await op.operand);
    } catch (reason) {
      op.reject(reason);
    }
  }
}
