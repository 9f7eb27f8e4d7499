/**
 * The awaitable adapter of promise mode: what `await v` turns its operand into inside a state
 * machine, and the hand-over between that machine and the promise driver (promise.ts).
 *
 *   [source]   const item = await load(id);
 *   [lowered]  this.$awaitee = $rt.awaitable(load(id)); this.$state = 2;
 *              case 2: const r = this.$awaitee.poll(cx); if (r === $rt.PENDING) return r; ...
 *
 * In promise mode the operand is a native value (promise, thenable or plain value) and the
 * driver performs the spec's Await on it. So the adapter allocates nothing: `awaitable(v)` keeps
 * `v` here for the driver and returns `NATIVE_AWAIT`, one shared awaitee. The machine polls it
 * at once (the `case` it falls into starts with that poll); nothing is settled yet, so the poll
 * answers `PENDING` and the machine returns it. The driver takes the operand
 * (`takeAwaitOperand`), awaits it natively, records how it settled (`fulfilAwait` or
 * `rejectAwait`) and polls the machine again; the same poll, the first thing the resumed state
 * does, now answers the value (or throws the rejection reason at the `await`).
 *
 * One slot is enough: nothing runs between `awaitable(v)` and the poll that suspends (the operand
 * has been evaluated; only `$state` and dead fields are written in between), and nothing runs
 * between the driver's `fulfilAwait`/`rejectAwait` and the poll that consumes it.
 */
import type { Context } from "./context.js";
import type { Future } from "./future.js";
import { PENDING, type Poll } from "./poll.js";

/** What the slot holds when no operand is waiting for the driver. */
const NOTHING_HANDED: unique symbol = Symbol("nothing handed over");

const UNSETTLED = 0;
const FULFILLED = 1;
const REJECTED = 2;

/** The operand of the `await` being suspended on, from `awaitable(v)` to `takeAwaitOperand()`. */
let operand: unknown = NOTHING_HANDED;
/** How the awaited operand settled, from the driver to the poll that resumes the machine. */
let settlement: typeof UNSETTLED | typeof FULFILLED | typeof REJECTED = UNSETTLED;
let outcome: unknown = undefined;

/** The awaitee of a machine suspended at an `await` of a native value (promise mode). */
export const NATIVE_AWAIT: Future<unknown> = Object.freeze({
  poll(_cx: Context): Poll<unknown> {
    const how = settlement;
    if (how === UNSETTLED) return PENDING;
    const value = outcome;
    settlement = UNSETTLED;
    outcome = undefined;
    if (how === REJECTED) throw value;
    return value;
  },
  toString: () => "NATIVE_AWAIT",
});

/** `await v` in promise mode: the driver performs the spec's Await on `v`. */
export function awaitable<T>(value: T | PromiseLike<T>): Future<T> {
  operand = value;
  return NATIVE_AWAIT as Future<T>;
}

/** For the driver of a machine whose poll just answered `PENDING`: the operand it awaits. */
export function takeAwaitOperand(): unknown {
  const value = operand;
  if (value === NOTHING_HANDED) throw new Error("a state machine returned PENDING without awaiting anything");
  operand = NOTHING_HANDED;
  return value;
}

/** For the driver: the awaited operand fulfilled with `value`; the next poll of `NATIVE_AWAIT` answers it. */
export function fulfilAwait(value: unknown): void {
  settlement = FULFILLED;
  outcome = value;
}

/** For the driver: the awaited operand rejected; the next poll of `NATIVE_AWAIT` throws `reason`. */
export function rejectAwait(reason: unknown): void {
  settlement = REJECTED;
  outcome = reason;
}
