/**
 * The awaitable adapter: what `await v` turns its operand into inside a state machine.
 *
 *   [source]   const item = await load(id);
 *   [lowered]  this.$awaitee = $rt.awaitable(load(id)); this.$state = 2;
 *              case 2: const r = this.$awaitee.poll(cx); if (r === $rt.PENDING) return r; ...
 *
 * In promise mode the operand is a native value (promise, thenable or plain value) and the
 * driver performs the spec's Await on it. The adapter therefore needs no state of its own, and
 * allocates nothing: `awaitable(v)` hands `v` over and returns `NATIVE_AWAIT`; the machine polls
 * it at once (the `case` it falls into starts with that poll), and the poll passes the operand to
 * `cx.awaitNative`, which answers `PENDING`. When the driver has settled the operand it polls the
 * machine again; the same poll, the first thing the resumed state does, now receives the value
 * from `cx.awaitNative` (or throws the rejection reason at the `await`).
 *
 * The hand-over is safe because nothing runs between `awaitable(v)` and that poll: the operand
 * has already been evaluated, and only `$state` and dead fields are written in between.
 */
import type { Context } from "./context.js";
import type { Future } from "./future.js";
import type { Poll } from "./poll.js";

/** The operand of the `await` being suspended on, between `awaitable(v)` and the poll after it. */
let handedOver: unknown = undefined;

/** The awaitee of a machine suspended at an `await` of a native value (promise mode). */
export const NATIVE_AWAIT: Future<unknown> = Object.freeze({
  poll(cx: Context): Poll<unknown> {
    const operand = handedOver;
    handedOver = undefined;
    return cx.awaitNative(operand);
  },
  toString: () => "NATIVE_AWAIT",
});

/** `await v` in promise mode: the driver performs the spec's Await on `v`. */
export function awaitable<T>(operand: T | PromiseLike<T>): Future<T> {
  handedOver = operand;
  return NATIVE_AWAIT as Future<T>;
}
