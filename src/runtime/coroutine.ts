/**
 * The base class of a lowered generator or async generator — a coroutine, in Rust's words: a
 * machine resumed with a sent value — and the words it speaks with the function around it.
 *
 * The generator function itself stays the engine's own `function*` (or `async function*`). Its body
 * is a small loop (emit/generatorShell.ts) that runs the machine and, each time the machine stops,
 * performs what the machine asks for with the engine's own syntax:
 *
 *   [source]   async function* numbers(n) { for (let i = 0; i < n; i++) yield await load(i); }
 *   [lowered]  async function* numbers(n) {
 *                const $machine = new numbers$AsyncGenerator(n);
 *                ... for (;;) { const $signal = $machine.resume($how, $sent); ...
 *                      if ($signal === $rt.AWAIT) $sent = await $machine.$out; ...
 *                      case $rt.YIELD: $sent = yield $machine.$out; ...
 *              }
 *
 * So the protocol of generator objects (`next`/`throw`/`return` at every point, "already running"),
 * an async generator's request queue, its promises and the ticks of every `await` — also the one
 * inside `yield` and `return` — and all of `yield*` are the engine's own, as are the function and
 * its generator objects (name, length, prototype chain, `[object Generator]`). The machine is the
 * body: its states, its liveness, its try table.
 *
 * The machine is resumed with NEXT and the value of the `await` or `yield` it stopped at, THROW and
 * the exception to raise there, or RETURN and a `TakenReturn` when the engine has taken a `return`:
 * the machine then runs the `finally` blocks around the point it stopped at, which may stop again
 * (to await, to yield, or to return something else).
 */
import { freeze, NativeError } from "./intrinsics.js";
import { DONE, POISONED, type Layout } from "./machine.js";

/** How a suspended machine is resumed: what the `yield` (or `await`) it stopped at evaluates to. */
export const NEXT = 0;
/** `throw(e)` (or a rejected await): the suspension throws `e`. */
export const THROW = 1;
/** `return(v)`: the engine has taken a return; the machine runs the `finally` blocks around. */
export const RETURN = 2;
export type Resumption = typeof NEXT | typeof THROW | typeof RETURN;

/** What the machine asks the function around it to do next: `await $out` (async generators only). */
export const AWAIT = 0;
/** `yield $out` (which, in an async generator, awaits `$out` first, natively). */
export const YIELD = 1;
/** `yield* $out`. */
export const YIELD_STAR = 2;
/** `return $out` (which, in an async generator, awaits `$out`, natively); the machine's `finally` blocks run after it. */
export const RETURN_VALUE = 3;
/** `return;`: the same without a value (and without the await). */
export const RETURN_VOID = 4;
/**
 * A `break` or `continue` — or an exception on its way to a `catch` of the machine — left `finally`
 * blocks that were running for returns the engine had taken: the engine must drop them too. `$out`
 * is the level of the oldest one (see TakenReturn). Resumed with NEXT, the machine goes on where the
 * jump or the exception was going.
 */
export const DROP_RETURN = 5;
/** The body is over: it fell off its end, or a `return` the engine had taken went through. */
export const FINISHED = 6;
export type Signal = typeof AWAIT | typeof YIELD | typeof YIELD_STAR | typeof RETURN_VALUE | typeof RETURN_VOID | typeof DROP_RETURN | typeof FINISHED;

/**
 * A `return` the engine has taken (from a `return(v)` request at a `yield`, or from a `return` the
 * machine asked for): what a machine resumed with RETURN holds as the value of its pending return.
 * The engine holds the real value (already awaited) in the `try` of the function around at `level`,
 * and returns it when the machine reports FINISHED; the machine only needs to know which one it is.
 */
export class TakenReturn {
  constructor(readonly level: number) {
    freeze(this);
  }
}

const taken: TakenReturn[] = [];

/** The taken return held at `level` of the function around (2 for one taken in its main loop). */
export function returnTaken(level: number): TakenReturn {
  return (taken[level] ??= new TakenReturn(level));
}

/**
 * A return on its way out of `finally` blocks that were running for earlier taken returns: it
 * replaces them, natively too once it leaves them, so it stands for the oldest (the lowest level).
 */
export function outermostTaken(value: unknown, ...completions: Array<{ type: string; value?: unknown } | undefined>): unknown {
  return outermostOf(value, completions);
}

function outermostOf(value: unknown, completions: Array<{ type: string; value?: unknown } | undefined>): unknown {
  let out = value;
  for (let i = 0; i < completions.length; i++) {
    const c = completions[i];
    if (c === undefined || c.type !== "return" || !(c.value instanceof TakenReturn)) continue;
    if (!(out instanceof TakenReturn) || c.value.level < out.level) out = c.value;
  }
  return out;
}

/**
 * A jump leaves `finally` blocks: the level of the oldest taken return they were running for (the
 * function around drops every taken return from that level up), or 0 when there is none.
 */
export function droppedLevel(...completions: Array<{ type: string; value?: unknown } | undefined>): number {
  return levelOf(completions);
}

function levelOf(completions: Array<{ type: string; value?: unknown } | undefined>): number {
  const out = outermostOf(undefined, completions);
  return out instanceof TakenReturn ? out.level : 0;
}

export abstract class Coroutine {
  /** The state to run on the next resume: 0 = start, DONE, POISONED, or a resume point. */
  abstract $state: number;
  /** The operand of the AWAIT, YIELD, YIELD_STAR or RETURN_VALUE the machine stopped for. */
  abstract $out: unknown;

  /** Runs from the current state to the next thing the function around must do. */
  abstract resume(how: Resumption, sent: unknown): Signal;

  /**
   * A jump leaves finally blocks with these completion records: are any of them returns the engine
   * has taken? Then `$out` is the level the engine drops them from (DROP_RETURN).
   */
  $dropsTaken(...completions: Array<{ type: string; value?: unknown } | undefined>): boolean {
    const level = levelOf(completions);
    if (level === 0) return false;
    // Dropped for good: the records say so, should the machine look at them again.
    for (let i = 0; i < completions.length; i++) {
      const c = completions[i];
      if (c !== undefined && c.value instanceof TakenReturn) c.value = undefined;
    }
    this.$out = level;
    return true;
  }

  /** The body is over. */
  $done(_value?: unknown): typeof FINISHED {
    this.$state = DONE;
    this.$out = undefined;
    return FINISHED;
  }

  /** An exception no try block of the body catches: the machine is poisoned; the error goes on. */
  $poison(error: unknown): unknown {
    if (this.$state >= 0) this.$state = POISONED;
    this.$out = undefined;
    return error;
  }

  /** Throws the error for a resume after DONE or POISONED (the function around never does it). */
  $pollAfterEnd(): never {
    const name = (this.constructor as { $layout?: Layout }).$layout?.name ?? this.constructor.name;
    throw new NativeError(this.$state === POISONED ? `\`${name}\` was resumed after it threw (the machine is poisoned)` : `\`${name}\` was resumed after it completed`);
  }
}

/** The function around was asked for something its depth of `finally` handling cannot do (a compiler bug). */
export function unexpectedSignal(signal: Signal): never {
  throw new NativeError(`internal: a generator machine asked for signal ${signal} where only an await can happen`);
}
