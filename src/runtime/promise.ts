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
import { fulfilledWith, rejectedWith, uncurryThis } from "./intrinsics.js";

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
  return driveMachine(machine, takeAwaitOperand()) as Promise<T>;
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
 * The machine (`this`) is suspended on `operand`: await it, resume the machine, until it finishes.
 *
 * Written for the size of what the engine keeps per waiting machine. A suspended async function
 * holds its parameters and its registers in a heap array, one slot per register the function
 * uses anywhere, so every temporary counts, not only what is live across the `await`:
 * - the machine comes in as the receiver (`driveMachine(machine, operand)`), a slot every
 *   function has anyway;
 * - `operand` is reused for the settled value and for the poll's answer;
 * - the outcome goes to the hand-over slot (await.ts) after the `await`, so no callee is held
 *   across it.
 * That is 8 slots against 10 with a `machine` parameter, `fulfilAwait(await operand)` and a
 * `result` local (`node --print-bytecode --print-bytecode-filter=drive`): 16 bytes less per
 * waiting call, which took the 10,000-call fan-out from 1.67x to 1.24x native
 * (`node bench/run.js --iterations 15`; bench/README.md, "Fan-out and the young generation").
 */
async function drive<T>(this: Future<T>, operand: unknown): Promise<T> {
  for (;;) {
    try {
      operand = await operand;
      fulfilAwait(operand);
    } catch (reason) {
      rejectAwait(reason);
    }
    operand = this.poll(cx);
    if (operand !== PENDING) return operand as T;
    operand = takeAwaitOperand();
  }
}

/** `drive` with the machine as its receiver, through the engine's own `call`: user code may patch `Function.prototype.call`. */
const driveMachine = uncurryThis(drive) as <T>(machine: Future<T>, operand: unknown) => Promise<T>;
