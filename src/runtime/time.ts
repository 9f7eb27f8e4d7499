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
import { describeValue, isAwaitable, requireAwaitable, requireDuration, requireOptions } from "./checks.js";
import { mathFloor, NativeError, NativeRangeError, NativeTypeError } from "./intrinsics.js";

/** The running executor's clock: milliseconds since it started (virtual time on a virtual clock). */
export function now(): number {
  return currentRuntime("now()").now();
}

/** A future ready `ms` milliseconds after it was made (after its first poll, if made outside a task). */
export function sleep(ms: number): Sleep {
  requireDuration(ms, "sleep(ms)");
  return new Sleep(ms, undefined);
}

/** A future ready when the clock reaches `deadline` (a value of `now()`). */
export function sleepUntil(deadline: number): Sleep {
  if (typeof deadline !== "number" || deadline !== deadline) throw new NativeTypeError(`sleepUntil(deadline) takes a time of the clock (a number, as now() answers), not ${describeValue(deadline)}`);
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

export interface IntervalOptions {
  missedTicks?: MissedTicks;
}

const INTERVAL_OPTIONS: readonly string[] = ["missedTicks"];

/**
 * Ticks every `period` ms: `await ticks.tick()` is ready at each tick and answers its scheduled time.
 * As tokio's `interval(p)`, which is `interval_at(Instant::now(), p)`, the schedule starts when the
 * interval is made: the first tick is at once, tick n at start + n·period, however late the first
 * `tick()` comes (fixtures/future/interval-starts-when-created). Missed ticks (a tick more than
 * 5 ms late): "burst" (default) fires them at once to catch up, "delay" counts the next period from
 * the late tick, "skip" waits for the next tick on the schedule. Made outside any executor, the
 * schedule starts at the first `tick()`.
 */
export function interval(period: number, options?: IntervalOptions): Interval {
  return makeInterval(undefined, period, options, "interval(period, options)");
}

/** An interval whose first tick is at `start` (a time of the clock, as `now()` answers): tokio's `interval_at`. */
export function intervalAt(start: number, period: number, options?: IntervalOptions): Interval {
  if (typeof start !== "number" || start !== start) throw new NativeTypeError(`intervalAt(start, period, options) takes a start time of the clock (a number, as now() answers), not ${describeValue(start)}`);
  return makeInterval(start, period, options, "intervalAt(start, period, options)");
}

function makeInterval(start: number | undefined, period: number, options: IntervalOptions | undefined, call: string): Interval {
  requireDuration(period, call);
  if (period === 0) throw new NativeRangeError(`${call} needs a period above 0 ms, not 0`);
  requireOptions(options, call, INTERVAL_OPTIONS);
  const missedTicks = options?.missedTicks ?? "burst";
  if (missedTicks !== "burst" && missedTicks !== "delay" && missedTicks !== "skip") {
    throw new NativeTypeError(`${call} takes missedTicks: "burst", "delay" or "skip", not ${describeValue(missedTicks)}`);
  }
  const clock = runningRuntime() ?? ambientRuntime();
  return new Interval(period, missedTicks, start ?? clock?.now());
}

export class Interval {
  constructor(
    readonly period: number,
    readonly missedTicks: MissedTicks,
    /** The deadline of the next tick; undefined until the first `tick()` when made outside any executor. */
    private next: number | undefined = undefined,
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
    else this.next = deadline + (mathFloor((at - deadline) / period) + 1) * period;
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
export class TimeoutError extends NativeError {
  constructor(readonly ms: number) {
    super(`deadline has elapsed: the future did not finish within ${ms} ms`);
    this.name = "TimeoutError";
  }
}

/** `future`'s result if it finishes within `ms`; otherwise it is dropped and `TimeoutError` is thrown. */
export function timeout<T>(ms: number, future: Future<T> | PromiseLike<T>): FutureBase<T> {
  if (isAwaitable(ms) && typeof future === "number") throw new NativeTypeError("timeout(ms, future) takes the duration first: timeout(1000, work()), not timeout(work(), 1000)");
  requireDuration(ms, "timeout(ms, future)");
  requireAwaitable(future, "timeout(ms, future)", "as its future");
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
