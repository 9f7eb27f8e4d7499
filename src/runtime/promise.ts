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
import { noopWaker, type Context, type Waker } from "./context.js";
import type { Future } from "./future.js";
import { PENDING, type Poll } from "./poll.js";
import { fulfilledWith, rejectedWith } from "./intrinsics.js";

const UNSETTLED = 0;
const FULFILLED = 1;
const REJECTED = 2;
type Settlement = typeof UNSETTLED | typeof FULFILLED | typeof REJECTED;

/**
 * One context serves every promise-driven machine. A poll runs to completion before any other
 * code, so what it carries is only ever in flight inside one synchronous step: the operand from
 * the `await` that suspends to the driver that takes it, and an outcome from the driver that
 * settled it to the poll that resumes.
 */
class PromiseDriverContext implements Context {
  readonly waker: Waker = noopWaker;
  private handed = false;
  private operand: unknown = undefined;
  private settlement: Settlement = UNSETTLED;
  private outcome: unknown = undefined;

  awaitNative(operand: unknown): Poll<unknown> {
    const settlement = this.settlement;
    if (settlement === UNSETTLED) {
      this.handed = true;
      this.operand = operand;
      return PENDING;
    }
    const outcome = this.outcome;
    this.settlement = UNSETTLED;
    this.outcome = undefined;
    if (settlement === REJECTED) throw outcome;
    return outcome;
  }

  /** The operand of the poll that just returned `PENDING`. */
  takeOperand(): unknown {
    if (!this.handed) throw new Error("a state machine returned PENDING without awaiting anything");
    const operand = this.operand;
    this.handed = false;
    this.operand = undefined;
    return operand;
  }

  settle(settlement: typeof FULFILLED | typeof REJECTED, outcome: unknown): void {
    this.settlement = settlement;
    this.outcome = outcome;
  }
}

const shared = new PromiseDriverContext();


export function promise<T>(machine: Future<T>): Promise<T> {
  let result: Poll<T>;
  try {
    result = machine.poll(shared);
  } catch (error) {
    return rejectedWith(error);
  }
  if (result !== PENDING) return settledWith(result as T);
  return drive(machine, shared.takeOperand());
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
 * register of a suspended async function in a heap object, one per waiting machine. Keeping the
 * outcome in `operand` instead of holding `shared.settle` across the await made that object small
 * enough to take the 10,000-task fan-out benchmark from 2.2x to 1.3x native (bench/README.md).
 */
async function drive<T>(machine: Future<T>, operand: unknown): Promise<T> {
  for (;;) {
    let settlement: typeof FULFILLED | typeof REJECTED = FULFILLED;
    try {
      operand = await operand;
    } catch (reason) {
      settlement = REJECTED;
      operand = reason;
    }
    shared.settle(settlement, operand);
    const result = machine.poll(shared);
    if (result !== PENDING) return result as T;
    operand = shared.takeOperand();
  }
}
