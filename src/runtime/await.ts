/**
 * The awaitable adapter: what `await v` turns its operand into inside a state machine.
 *
 *   [source]   const item = await load(id);
 *   [lowered]  this.$awaitee = $rt.awaitable(load(id)); this.$state = 2;
 *              case 2: const r = this.$awaitee.poll(cx); if (r === $rt.PENDING) return r; ...
 *
 * The first poll hands the operand to the driver (`cx.awaitNative`); once the driver has settled
 * it, the next poll returns the value or throws the rejection reason at the `await`.
 */
import type { Context } from "./context.js";
import type { Future } from "./future.js";
import { PENDING, type Poll } from "./poll.js";

const UNSETTLED = 0;
const FULFILLED = 1;
const REJECTED = 2;
type Settlement = typeof UNSETTLED | typeof FULFILLED | typeof REJECTED;

export class AwaitOperand<T> implements Future<T> {
  private settlement: Settlement = UNSETTLED;
  private outcome: unknown = undefined;

  constructor(public operand: unknown) {}

  /** Ready for another operand (the promise driver reuses consumed operands). */
  reset(operand: unknown): this {
    this.operand = operand;
    this.settlement = UNSETTLED;
    this.outcome = undefined;
    return this;
  }

  poll(cx: Context): Poll<T> {
    switch (this.settlement) {
      case FULFILLED:
        return this.outcome as T;
      case REJECTED:
        throw this.outcome;
      case UNSETTLED:
        cx.awaitNative(this as AwaitOperand<unknown>);
        return PENDING;
    }
  }

  /** Called by the driver when the operand has settled. */
  fulfil(value: unknown): void {
    this.settlement = FULFILLED;
    this.outcome = value;
  }

  reject(reason: unknown): void {
    this.settlement = REJECTED;
    this.outcome = reason;
  }
}

/** `await v` in promise mode: wrap the operand; the driver performs the spec's Await on it. */
export function awaitable<T>(operand: T | PromiseLike<T>): AwaitOperand<T> {
  const spare = spares.pop();
  return spare ? (spare.reset(operand) as AwaitOperand<T>) : new AwaitOperand<T>(operand);
}

/** Operands the promise driver has seen consumed, ready for reuse (see promise.ts). */
const spares: AwaitOperand<unknown>[] = [];

export function recycle(op: AwaitOperand<unknown>): void {
  if (spares.length < 1024) spares.push(op.reset(undefined));
}
