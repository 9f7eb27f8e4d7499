/**
 * The base class of every generated state machine.
 *
 * A machine is a `Future` whose `poll` is a `switch` over `$state`. States are numbered from 0 in
 * source order; the two terminal states have names:
 *   DONE      the body returned; polling again is an error.
 *   POISONED  the body threw; polling again is an error (Rust's "`async fn` resumed after panicking").
 *   DROPPED   future mode: dropped before it finished; polling again is an error.
 *
 * A machine is a `Future`, and in future mode also a thenable: code that is not lowered can
 * `await` it, which runs it as a task (tasks.ts `promiseOf`).
 */
import type { Context } from "./context.js";
import { dropFuture, type Future } from "./future.js";
import type { Poll } from "./poll.js";
import { disposableByDrop } from "./executor.js";
import { promiseOf } from "./tasks.js";
import { Thenable } from "./thenable.js";
import { defineOwn, freeze, NativeError } from "./intrinsics.js";

export const DONE = -1;
export const POISONED = -2;
/** Future mode: the machine was dropped (cancelled) before it finished. */
export const DROPPED = -3;

/** Static description of a machine, for tools, tests and the playground (see api.ts MachineInfo). */
export interface Layout {
  name: string;
  states: ReadonlyArray<{ id: number; label: string; line: number; live: readonly string[] }>;
  fields: readonly string[];
  /** "future" when lowered in future mode: each await state starts with the drop check. */
  mode?: "future";
}

/**
 * The context `drop()` polls a suspended machine with. A future-mode machine resumed with it does
 * not poll its awaitee: it leaves from the await as a `return` would, running the finally blocks
 * around it.
 */
export const DROPPING: Context = freeze({ waker: freeze({ wake() {} }) });

/** The type of a machine's `$awaitee` field. */
export type Awaitee = Future<unknown> | null;

/**
 * Each generated machine declares its own `$state = 0` (and in future mode `$awaitee = null`):
 * initialised by the subclass, the fields are stored by code that only ever sees that one class,
 * which engines compile to a plain store (a field initialiser here would be one function shared
 * by all machine classes, and slow down as more of them run).
 */
export abstract class StateMachine<T> implements Future<T>, PromiseLike<T> {
  /** The state to run on the next poll: 0 = start, DONE, POISONED, or a resume point. */
  abstract $state: number;
  /**
   * Future mode: what the machine is waiting on while suspended at an `await`. A promise-mode
   * machine has no such field: its driver performs the await (await.ts).
   */
  declare $awaitee?: Awaitee;

  abstract poll(cx: Context): Poll<T>;

  /** Throws the error for a poll after DONE or POISONED. Generated `poll`s call it for those states. */
  $pollAfterEnd(): never {
    const name = (this.constructor as { $layout?: Layout }).$layout?.name ?? this.constructor.name;
    throw new NativeError(
      this.$state === POISONED
        ? `\`${name}\` was polled after it threw (the machine is poisoned)`
        : this.$state === DROPPED
          ? `\`${name}\` was polled after it was dropped`
          : `\`${name}\` was polled after it completed`,
    );
  }

  /**
   * Cancels the machine (Rust's `Drop`): it will not run again. The finally blocks around the await
   * it is suspended at run, then the future it awaits is dropped (recursively). A machine that
   * never ran or has finished has nothing to run. An error thrown by a finally block goes on (the
   * machine is then poisoned).
   */
  drop(): void {
    const state = this.$state;
    if (state < 0) return;
    const layout = (this.constructor as { $layout?: Layout }).$layout;
    if (layout?.mode !== "future") {
      // Promise mode: the driver holds the await; the machine has nothing to run or drop.
      this.$state = DROPPED;
      return;
    }
    const awaitee = this.$awaitee;
    this.$awaitee = null;
    try {
      // Suspended at an await (not just made): run the finally blocks around it. An await inside
      // one of them cannot wait now; the machine leaves it the same way, and the rest of that
      // finally block is skipped.
      if (state > 0) this.poll(DROPPING);
    } finally {
      if (this.$state !== POISONED) this.$state = DROPPED;
      const left = this.$awaitee;
      this.$awaitee = null;
      dropFuture(awaitee);
      dropFuture(left);
    }
  }


  // `await machine` from code that is not lowered runs the machine as a task (future mode):
  // Thenable's methods, lent below rather than inherited, so that constructing a machine (a hot
  // path in promise mode) runs no base constructors.
  declare then: Thenable<T>["then"];
  declare catch: Thenable<T>["catch"];
  declare finally: Thenable<T>["finally"];

  protected $promise(): Promise<T> {
    return promiseOf(this);
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

/**
 * A machine at rest, kept by its class (`static $shape = $rt.keepShape(this)`).
 *
 * Engines give objects hidden classes ("maps", "shapes") and drop those no live object uses at a
 * full garbage collection. A program that calls an async function in bursts would lose its
 * machines' shapes between bursts, and with them the compiled code that was specialised to them:
 * each burst would start cold. One idle instance per class, with every field undefined, keeps the
 * shape alive. Constructing it runs no user code: a machine's constructor only stores its inputs.
 */
export function keepShape<M>(machineClass: new (...inputs: never[]) => M): M {
  return new machineClass();
}

const LENT = ["then", "catch", "finally"] as const;
for (let i = 0; i < LENT.length; i++) {
  const method = LENT[i]!;
  defineOwn(StateMachine.prototype, method, { value: Thenable.prototype[method], writable: true, configurable: true });
}
disposableByDrop(StateMachine);
