/**
 * The base class of every generated state machine.
 *
 * A machine is a `Future` whose `poll` is a `switch` over `$state`. States are numbered from 0 in
 * source order; the two terminal states have names:
 *   DONE      the body returned; polling again is an error.
 *   POISONED  the body threw; polling again is an error (Rust's "`async fn` resumed after panicking").
 */
import type { Context } from "./context.js";
import type { Future } from "./future.js";
import type { Poll } from "./poll.js";

export const DONE = -1;
export const POISONED = -2;

/** Static description of a machine, for tools, tests and the playground (see api.ts MachineInfo). */
export interface Layout {
  name: string;
  states: ReadonlyArray<{ id: number; label: string; line: number; live: readonly string[] }>;
  fields: readonly string[];
}

export abstract class StateMachine<T> implements Future<T> {
  /** The state to run on the next poll: 0 = start, DONE, POISONED, or a resume point. */
  $state = 0;
  /** What the machine is waiting on while suspended at an `await`. */
  $awaitee: Future<unknown> | null = null;

  abstract poll(cx: Context): Poll<T>;

  /** Throws the error for a poll after DONE or POISONED. Generated `poll`s call it for those states. */
  $pollAfterEnd(): never {
    const name = (this.constructor as { $layout?: Layout }).$layout?.name ?? this.constructor.name;
    throw new Error(
      this.$state === POISONED
        ? `\`${name}\` was polled after it threw (the machine is poisoned)`
        : `\`${name}\` was polled after it completed`,
    );
  }

  /** `return value`: the machine is DONE; the value was evaluated before this call. */
  $done<V>(value: V): V {
    this.$state = DONE;
    return value;
  }

  /** An exception no try block of the body catches: the machine is poisoned; the error goes on. */
  $poison(error: unknown): unknown {
    if (this.$state >= 0) this.$state = POISONED;
    return error;
  }
}
