/**
 * The awaitable adapter of promise mode: the hand-over between a state machine and the promise
 * driver (promise.ts), which performs the engine's own `await` on the machine's behalf.
 *
 *   [source]   const item = await load(id);
 *   [lowered]  $rt.awaitNatively(load(id)); this.$state = 2; return $rt.PENDING;
 *              case 2: item = $rt.awaited(); ...
 *
 * In promise mode every operand is a native value (promise, thenable or plain value), and the
 * spec's Await on it has to happen in an engine `await` to take the native number of ticks. So
 * the machine does not hold an awaitee: `awaitNatively(v)` leaves `v` here and the machine answers
 * `PENDING`. The driver takes the operand (`takeAwaitOperand`), awaits it, records how it
 * settled (`fulfilAwait` or `rejectAwait`) and polls the machine again; the resumed state starts
 * with `awaited()`, which answers the value or throws the rejection reason at the `await`.
 * (Future mode keeps the awaitee in the machine's `$awaitee` field and polls it: adapt.ts.)
 *
 * One slot is enough: nothing runs between `awaitNatively(v)` and the `PENDING` the driver sees
 * (the operand has been evaluated; only `$state` and dead fields are written in between), and
 * nothing runs between the driver's `fulfilAwait`/`rejectAwait` and the poll that consumes it.
 */
import { NativeError, newSymbol } from "./intrinsics.js";
/** What the slot holds when no operand is waiting for the driver. */
declare const nothingHanded: unique symbol;
const NOTHING_HANDED: typeof nothingHanded = newSymbol("nothing handed over") as typeof nothingHanded;

const UNSETTLED = 0;
const FULFILLED = 1;
const REJECTED = 2;

/** The operand of the `await` being suspended on, from `awaitNatively(v)` to `takeAwaitOperand()`. */
let operand: unknown = NOTHING_HANDED;
/** How the awaited operand settled, from the driver to the poll that resumes the machine. */
let settlement: typeof UNSETTLED | typeof FULFILLED | typeof REJECTED = UNSETTLED;
let outcome: unknown = undefined;

/** `await v` in a promise-mode machine, just before it answers `PENDING`: the driver awaits `v`. */
export function awaitNatively(value: unknown): void {
  operand = value;
}

/**
 * The first thing a promise-mode machine does when resumed after an `await`: the value the operand
 * fulfilled with, or its rejection reason thrown at the `await`.
 */
export function awaited(): unknown {
  const how = settlement;
  if (how === UNSETTLED) throw new NativeError("a promise-mode state machine was polled before the operand of its await settled (only the promise driver polls it)");
  const value = outcome;
  settlement = UNSETTLED;
  outcome = undefined;
  if (how === REJECTED) throw value;
  return value;
}

/** For the driver of a machine whose poll just answered `PENDING`: the operand it awaits. */
export function takeAwaitOperand(): unknown {
  const value = operand;
  if (value === NOTHING_HANDED) throw new NativeError("a state machine returned PENDING without awaiting anything");
  operand = NOTHING_HANDED;
  return value;
}

/** For the driver: the awaited operand fulfilled with `value`; the machine's `awaited()` answers it. */
export function fulfilAwait(value: unknown): void {
  settlement = FULFILLED;
  outcome = value;
}

/** For the driver: the awaited operand rejected; the machine's `awaited()` throws `reason`. */
export function rejectAwait(reason: unknown): void {
  settlement = REJECTED;
  outcome = reason;
}
