/**
 * Time in future mode: `now()`, `sleep`, `sleepUntil`, `interval` and `timeout`, on the running
 * executor's clock (virtual or real, see executor.ts). Milliseconds throughout.
 *
 *   [source]   await sleep(1000); console.log("world!", now());   // 1000 on the virtual clock
 */
import type { Context } from "./context.js";
import { ambientRuntime, currentRuntime, runningRuntime, type Runtime } from "./executor.js";
import { intoFuture } from "./adapt.js";
import { dropFuture, type Future } from "./future.js";
import { PENDING, type Poll } from "./poll.js";
import type { Timer } from "./timerQueue.js";
import { FutureBase } from "./tasks.js";

/** The running executor's clock: milliseconds since it started (virtual time on a virtual clock). */
export function now(): number {
  return currentRuntime("now()").now();
}

/** A future ready `ms` milliseconds after it was made (after its first poll, if made outside a task). */
export function sleep(ms: number): Sleep {
  return new Sleep(ms, undefined);
}

/** A future ready when the clock reaches `deadline` (a value of `now()`). */
export function sleepUntil(deadline: number): Sleep {
  return new Sleep(0, deadline);
}

export class Sleep extends FutureBase<void> {
  private deadline: number | undefined;
  private timer: Timer | null = null;
  private runtime: Runtime | null = null;
  private done = false;

  constructor(
    private readonly ms: number,
    deadline: number | undefined,
  ) {
    super();
    // Like tokio's sleep, the deadline counts from the call when a clock is at hand.
    const clock = runningRuntime() ?? ambientRuntime();
    this.deadline = deadline ?? (clock ? clock.now() + ms : undefined);
  }

  poll(cx: Context): Poll<void> {
    if (this.done) return undefined;
    if (this.timer === null) {
      const runtime = currentRuntime("sleep()");
      this.runtime = runtime;
      const deadline = (this.deadline ??= runtime.now() + this.ms);
      if (deadline <= runtime.now()) {
        this.done = true;
        return undefined;
      }
      this.timer = runtime.addTimer(deadline, cx.waker);
      return PENDING;
    }
    if (this.timer.fired) {
      this.done = true;
      this.timer = null;
      return undefined;
    }
    this.timer.waker = cx.waker;
    return PENDING;
  }

  override drop(): void {
    if (this.timer && this.runtime) this.runtime.cancelTimer(this.timer);
    this.timer = null;
  }
}

/** What an interval does when ticks were missed (the task was busy past a tick). tokio's MissedTickBehavior. */
export type MissedTicks = "burst" | "delay" | "skip";

/**
 * Ticks every `period` ms: `await ticks.tick()` is ready at each tick and answers its scheduled time.
 * The first tick is immediate. Missed ticks: "burst" (default) fires them at once to catch up,
 * "delay" counts the next period from the late tick, "skip" waits for the next tick on the schedule.
 */
export function interval(period: number, options: { missedTicks?: MissedTicks } = {}): Interval {
  if (!(period > 0)) throw new RangeError(`interval() needs a period above 0 ms, not ${period}`);
  return new Interval(period, options.missedTicks ?? "burst");
}

export class Interval {
  private next: number | undefined = undefined;

  constructor(
    readonly period: number,
    readonly missedTicks: MissedTicks,
  ) {}

  /** A future of the next tick's scheduled time. */
  tick(): FutureBase<number> {
    return new Tick(this);
  }

  /** For `Tick`: the deadline of the next tick (the first is now). */
  deadline(runtime: Runtime): number {
    return (this.next ??= runtime.now());
  }

  /** For `Tick`: the tick at `deadline` fired at `at`; schedule the one after. A tick more than 5 ms late was missed (tokio's rule). */
  ticked(deadline: number, at: number): void {
    const period = this.period;
    if (this.missedTicks === "burst" || at <= deadline + 5) this.next = deadline + period;
    else if (this.missedTicks === "delay") this.next = at + period;
    else this.next = deadline + (Math.floor((at - deadline) / period) + 1) * period;
  }
}

class Tick extends FutureBase<number> {
  private sleep: Sleep | null = null;
  private deadline = 0;

  constructor(private readonly owner: Interval) {
    super();
  }

  poll(cx: Context): Poll<number> {
    const runtime = currentRuntime("interval().tick()");
    if (this.sleep === null) {
      this.deadline = this.owner.deadline(runtime);
      this.sleep = sleepUntil(this.deadline);
    }
    if (this.sleep.poll(cx) === PENDING) return PENDING;
    this.owner.ticked(this.deadline, runtime.now());
    return this.deadline;
  }

  override drop(): void {
    this.sleep?.drop();
  }
}

/** The error of a `timeout` that ran out (tokio's `Elapsed`). */
export class TimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`deadline has elapsed: the future did not finish within ${ms} ms`);
    this.name = "TimeoutError";
  }
}

/** `future`'s result if it finishes within `ms`; otherwise it is dropped and `TimeoutError` is thrown. */
export function timeout<T>(ms: number, future: Future<T> | PromiseLike<T>): FutureBase<T> {
  return new Timeout(ms, intoFuture(future));
}

class Timeout<T> extends FutureBase<T> {
  private readonly timer: Sleep;

  constructor(
    private readonly ms: number,
    private future: Future<T> | null,
  ) {
    super();
    this.timer = sleep(ms);
  }

  poll(cx: Context): Poll<T> {
    let result: Poll<T>;
    try {
      result = this.future!.poll(cx);
    } catch (error) {
      this.future = null;
      this.timer.drop();
      throw error;
    }
    if (result !== PENDING) {
      this.future = null;
      this.timer.drop();
      return result;
    }
    if (this.timer.poll(cx) === PENDING) return PENDING;
    const late = this.future;
    this.future = null;
    dropFuture(late);
    throw new TimeoutError(this.ms);
  }

  override drop(): void {
    dropFuture(this.future);
    this.future = null;
    this.timer.drop();
  }
}
