/**
 * The promise driver: runs a machine so that the lowered function is indistinguishable from the
 * native `async` function it came from, tick for tick (promise mode, DESIGN.md §1).
 *
 *   [source]   async function f(x) { … }
 *   [lowered]  function f(x) { return $rt.promise(new f$Future(x)); }
 *
 * The first poll runs synchronously inside the call: the eager start of an async function. If the
 * machine finishes in it, the call returns a promise already settled the way an async function's
 * early `return` or `throw` settles it, without starting a driver. Otherwise `drive` takes over:
 * a native async function, on purpose. Each time the machine suspends at an `await`, the driver
 * performs exactly the ECMAScript `Await` on the operand — PromiseResolve(%Promise%, v) then
 * PerformPromiseThen — so a native promise costs one tick, a thenable its extra ticks, a patched
 * `Promise.prototype.then` is not called for native promises, and the `constructor` property is
 * read as often as natively. Returning the machine's result from the driver resolves the promise
 * the way an async function's `return` does (thenables adopted), and a throw from the machine
 * becomes the rejection.
 */
import { noopWaker, type Context } from "./context.js";
import { fulfilAwait, rejectAwait, takeAwaitOperand } from "./await.js";
import type { Future } from "./future.js";
import { PENDING, type Poll } from "./poll.js";
import { fulfilledWith, rejectedWith } from "./intrinsics.js";

/** A promise-driven machine is never woken: its driver polls it again when the operand settles. */
const cx: Context = { waker: noopWaker };

export function promise<T>(machine: Future<T>): Promise<T> {
  let result: Poll<T>;
  try {
    result = machine.poll(cx);
  } catch (error) {
    return rejectedWith(error);
  }
  if (result !== PENDING) return settledWith(result as T);
  return drive(machine, takeAwaitOperand());
}

/**
 * The promise of an async function that returned `value` before its first `await`. A primitive
 * cannot be a thenable, so PromiseResolve of it is exactly the return; an object may be one, and
 * goes through an async function's own `return`.
 */
function settledWith<T>(value: T): Promise<T> {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return fulfilledWith(value);
  return returned(value);
}

async function returned<T>(value: T): Promise<T> {
  return value;
}

/**
 * The machine is suspended on `operand`: await it, resume the machine, until it finishes.
 *
 * Written so that as little as possible is live across the `await`: the engine saves every live
 * register of a suspended async function in a heap object, one per waiting machine. Only
 * `machine` is live here; the outcome goes straight to the awaitable adapter (await.ts). Keeping
 * that object small took the 10,000-task fan-out benchmark from 2.2x to 1.3x native
 * (bench/README.md).
 */
async function drive<T>(machine: Future<T>, operand: unknown): Promise<T> {
  for (;;) {
    try {
      fulfilAwait(await operand);
    } catch (reason) {
      rejectAwait(reason);
    }
    const result = machine.poll(cx);
    if (result !== PENDING) return result as T;
    operand = takeAwaitOperand();
  }
}
