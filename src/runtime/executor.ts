/**
 * The executor of future mode: tasks, wakers, the run queue and the clock. tokio's runtime, on one
 * thread, in the JavaScript event loop.
 *
 *   [source]   export async function main() { spawn(worker(1)); await sleep(1000); }
 *   [run]      new Runtime({ clock: "virtual" }).blockOn(main())   // a promise of main's result
 *
 * A task is a future the executor owns. The executor polls a task when it is woken, never before:
 * each task has one `Waker`; `wake()` puts the task on the run queue unless it is already there
 * (wakes coalesce), a wake while the task is being polled polls it once more afterwards, and a wake
 * after the task finished does nothing. The queue is drained in microtasks, so promises that settle
 * meanwhile take their turn in between, as they would around native `await`s.
 *
 * When no task can run, the executor looks at its timers. With the real clock it sets one
 * `setTimeout` for the earliest deadline. With the virtual clock time jumps: as soon as every task
 * waits and none of them waits on a promise (see `external`), the clock moves to the earliest
 * deadline and those timers fire, in deadline order and then in the order they were set. So a run
 * on the virtual clock takes no wall-clock time for its sleeps and does the same thing every time.
 *
 * `blockOn(future)` runs a root task (the `block_on` of JavaScript) and settles a promise with its
 * result; when the root finishes, every task still running is dropped, as a tokio runtime does
 * when `main` returns.
 */
import type { Context, Waker } from "./context.js";
import { dropFuture, type Future } from "./future.js";
import { PENDING, type Poll } from "./poll.js";
import { TimerQueue, type Timer } from "./timerQueue.js";
import { SeededRandom } from "./random.js";
import { describeValue, requireOptions } from "./checks.js";
import { internalPromise, Thenable } from "./thenable.js";
import {
  clearTimeoutFn,
  defineOwn,
  hostConsole,
  mapDelete,
  mapSet,
  mapValues,
  mathMax,
  mathRandom,
  NativeTypeError,
  numberIsInteger,
  hostEnvironment,
  monotonicNow,
  NativeError,
  NativeMap,
  NativeSet,
  NativeString,
  newPromise,
  queueMicrotaskFn,
  setAdd,
  setDelete,
  setImmediateFn,
  setTimeoutFn,
  setValues,
  mapClear,
  symbolDispose,
} from "./intrinsics.js";

export type ClockKind = "real" | "virtual";

export interface RuntimeOptions {
  /** "real" (default): timers wait for real time. "virtual": time jumps to the next timer when every task waits. */
  clock?: ClockKind;
  /** Called for every spawn, poll, wake, completion, drop and jump of the virtual clock. */
  trace?: (event: TraceEvent) => void;
  /**
   * The seed of the runtime's random numbers (which branch a fair `select` polls first): an integer
   * from 0 to 2^32 - 1. Default: the environment's `UNAWAIT_SEED`, else 0 on the virtual clock (a
   * virtual run does the same thing every time) and a random seed on the real clock, as tokio's.
   */
  seed?: number;
}

/** The options a Runtime takes, for the checks of `run` and `new Runtime`. */
export const RUNTIME_OPTIONS: readonly string[] = ["clock", "trace", "seed"];

/** The seed a virtual-clock runtime takes when none is given. */
export const DEFAULT_VIRTUAL_SEED = 0;

/** What the trace hook hears. `task` is the task's number, 1 for the first task of a runtime. */
export type TraceEvent =
  | { kind: "spawn"; task: number; name: string; at: number; by?: number }
  | {
      kind: "poll";
      task: number;
      at: number;
      /** The task's machine (its `$layout` name) and its state before and after the poll, with their source lines. */
      machine?: string;
      before?: number;
      after?: number;
      lineBefore?: number;
      lineAfter?: number;
      outcome: "pending" | "ready" | "threw";
    }
  | { kind: "wake"; task: number; at: number; by?: number }
  | { kind: "complete"; task: number; at: number; outcome: "value" | "error" | "aborted" }
  | { kind: "drop"; task: number; at: number }
  | { kind: "clock"; at: number; from: number }
  /** The runtime drew its first random number (a fair `select`): the seed, to replay the run with. */
  | { kind: "seed"; at: number; seed: number };

/** The error a `JoinHandle` of an aborted task throws, and a task dropped by a finishing runtime. */
export class Cancelled extends NativeError {
  constructor(message: string) {
    super(message);
    this.name = "Cancelled";
  }
}

const TASK_IDLE = 0;
const TASK_QUEUED = 1;
const TASK_RUNNING = 2;
const TASK_FINISHED = 3;

type Outcome<T> = { kind: "value"; value: T } | { kind: "error"; error: unknown } | { kind: "aborted" };

/** The runtime whose queue is being drained right now: `spawn`, `sleep` and `now` use it. */
let running: Runtime | null = null;

/**
 * The executor `unawait run` made for the program: code that runs outside its tasks (promise-mode
 * code after a native await, callbacks) reaches it too.
 */
let ambient: Runtime | null = null;

/** Makes `runtime` the one code outside any task talks to (null: none). */
export function setAmbientRuntime(runtime: Runtime | null): void {
  ambient = runtime;
}

export function ambientRuntime(): Runtime | null {
  return ambient;
}

/** The runtime `spawn`, `sleep`, `now` and friends talk to; `what` names the caller for the error. */
export function currentRuntime(what: string): Runtime {
  const runtime = running ?? ambient;
  if (runtime === null) throw new NativeError(`${what} needs a running executor: call it from a task (inside run(), or a future awaited by one)`);
  return runtime;
}

/** The runtime being drained right now, if any. */
export function runningRuntime(): Runtime | null {
  return running;
}

export class Task<T> {
  state: typeof TASK_IDLE | typeof TASK_QUEUED | typeof TASK_RUNNING | typeof TASK_FINISHED = TASK_IDLE;
  wokenWhileRunning = false;
  abortRequested = false;
  /** The handle was dropped: nobody will ask for the outcome. */
  detached = false;
  outcome: Outcome<T> | undefined = undefined;
  /** Wakers of the join handles waiting for this task, one per handle. */
  readonly joiners = new NativeMap<JoinHandle<T>, Waker>();
  readonly waker: Waker;
  readonly cx: Context;
  settled: Promise<T> | undefined = undefined;
  /** Settles the promise of `blockOn` or of a `then`. */
  onFinish: (() => void) | undefined = undefined;

  constructor(
    readonly runtime: Runtime,
    readonly id: number,
    readonly name: string,
    public future: Future<T> | null,
  ) {
    this.waker = { wake: () => runtime.wake(this) };
    this.cx = { waker: this.waker };
  }
}

export class Runtime {
  readonly clock: ClockKind;
  private readonly trace: ((event: TraceEvent) => void) | undefined;
  private readonly queue: Task<unknown>[] = [];
  private queueHead = 0;
  private readonly live = new NativeSet<Task<unknown>>();
  private readonly timers = new TimerQueue();
  private nextId = 1;
  private turnScheduled = false;
  private jumpScheduled = false;
  private realTimeout: unknown = undefined;
  private realTimeoutAt = 1 / 0;
  private virtualNow = 0;
  private readonly realStart = monotonicNow();
  /** Awaited promises not settled yet: the virtual clock does not jump while one may still wake a task. */
  private external = 0;
  private root: Task<unknown> | null = null;
  private shutDown = false;
  /** The task being polled, for the trace (`by`). */
  private polling: Task<unknown> | null = null;

  /** The seed of this runtime's random numbers (see RuntimeOptions.seed). */
  readonly seed: number;
  private random: SeededRandom | null = null;

  constructor(options: RuntimeOptions = {}) {
    requireOptions(options, "new Runtime(options)", RUNTIME_OPTIONS);
    const clock = options.clock ?? "real";
    if (clock !== "real" && clock !== "virtual") throw new NativeTypeError(`new Runtime(options) takes clock: "real" or "virtual", not ${describeValue(clock)}`);
    if (options.trace !== undefined && typeof options.trace !== "function") throw new NativeTypeError(`new Runtime(options) takes trace: a function of each event, not ${describeValue(options.trace)}`);
    this.clock = clock;
    this.trace = options.trace;
    this.seed = options.seed !== undefined ? checkedSeed(options.seed, "new Runtime(options) takes seed:") : (environmentSeed() ?? (clock === "virtual" ? DEFAULT_VIRTUAL_SEED : (mathRandom() * 0x100000000) >>> 0));
  }

  /**
   * A random integer from 0 to `n - 1`, from this runtime's seeded generator. The first draw names
   * the seed in the trace.
   */
  randomBelow(n: number): number {
    if (this.random === null) {
      this.random = new SeededRandom(this.seed);
      this.trace?.({ kind: "seed", at: this.now(), seed: this.seed });
    }
    return this.random.below(n);
  }

  /** Milliseconds since the runtime was made: virtual time, or real time elapsed. */
  now(): number {
    return this.clock === "virtual" ? this.virtualNow : monotonicNow() - this.realStart;
  }

  /**
   * Runs `future` as the root task and settles with its result (rejects with its error). When it
   * finishes, every other task is dropped. A runtime runs one root.
   */
  blockOn<T>(future: Future<T>, name = "main"): Promise<T> {
    if (this.root !== null) throw new NativeError("this runtime already runs a root task; make a new Runtime");
    const task = this.spawnTask(future, name);
    this.root = task as Task<unknown>;
    return settledPromise(task);
  }

  /** Starts a task; the handle joins it, aborts it, or lets it go (`drop()` detaches). */
  spawn<T>(future: Future<T>, name?: string): JoinHandle<T> {
    if (this.shutDown) throw new NativeError("spawn on a runtime whose root task has finished");
    return new JoinHandle(this.spawnTask(future, name ?? describeFuture(future)));
  }

  private spawnTask<T>(future: Future<T>, name: string): Task<T> {
    const task = new Task(this, this.nextId++, name, future);
    setAdd(this.live, task as Task<unknown>);
    this.trace?.({ kind: "spawn", task: task.id, name, at: this.now(), ...(this.polling ? { by: this.polling.id } : {}) });
    task.state = TASK_QUEUED;
    this.queue[this.queue.length] = task as Task<unknown>;
    this.scheduleTurn();
    return task;
  }

  /** The waker of `task` was called. */
  wake(task: Task<unknown> | Task<never>): void {
    const t = task as Task<unknown>;
    if (t.state === TASK_FINISHED) return;
    if (t.state === TASK_RUNNING) {
      t.wokenWhileRunning = true;
      return;
    }
    if (t.state === TASK_QUEUED) return;
    this.trace?.({ kind: "wake", task: t.id, at: this.now(), ...(this.polling ? { by: this.polling.id } : {}) });
    t.state = TASK_QUEUED;
    this.queue[this.queue.length] = t;
    this.scheduleTurn();
  }

  /** Aborts `task`: drops its future and finishes it as cancelled (at its next suspension if it aborts itself). */
  abort(task: Task<unknown>): void {
    if (task.state === TASK_FINISHED) return;
    if (task.state === TASK_RUNNING) {
      task.abortRequested = true;
      return;
    }
    this.dropTask(task);
  }

  addTimer(deadline: number, waker: Waker): Timer {
    const timer = this.timers.add(deadline, waker);
    if (!this.turnScheduled && this.queueHead === this.queue.length) this.idle();
    return timer;
  }

  cancelTimer(timer: Timer): void {
    this.timers.cancel(timer);
  }

  /** An awaited promise was handed a callback: until it settles, the virtual clock waits for it. */
  externalStarted(): void {
    this.external++;
  }

  externalSettled(): void {
    this.external--;
    if (this.external === 0 && !this.turnScheduled && this.queueHead === this.queue.length) this.idle();
  }

  private scheduleTurn(): void {
    if (this.turnScheduled) return;
    this.turnScheduled = true;
    queueMicrotaskFn(() => this.turn());
  }

  /** Polls the tasks that are queued now; tasks woken meanwhile wait for the next turn. */
  private turn(): void {
    this.turnScheduled = false;
    const outer = running;
    running = this;
    try {
      let budget = this.queue.length - this.queueHead;
      while (budget-- > 0 && this.queueHead < this.queue.length) {
        const task = this.queue[this.queueHead]!;
        this.queue[this.queueHead++] = undefined!;
        if (task.state === TASK_QUEUED) this.pollTask(task);
      }
      if (this.queueHead === this.queue.length) {
        this.queue.length = 0;
        this.queueHead = 0;
      }
    } finally {
      running = outer;
    }
    if (this.queueHead < this.queue.length) this.scheduleTurn();
    else this.idle();
  }

  private pollTask(task: Task<unknown>): void {
    task.state = TASK_RUNNING;
    task.wokenWhileRunning = false;
    const future = task.future!;
    const before = this.trace ? stateOf(future) : undefined;
    const traced = (outcome: "pending" | "ready" | "threw"): TraceEvent => ({ kind: "poll", task: task.id, at: this.now(), ...describePoll(future, before, stateOf(future)), outcome });
    this.polling = task;
    let result: Poll<unknown>;
    try {
      result = future.poll(task.cx);
    } catch (error) {
      this.polling = null;
      this.trace?.(traced("threw"));
      this.finish(task, { kind: "error", error });
      return;
    }
    this.polling = null;
    this.trace?.(traced(result === PENDING ? "pending" : "ready"));
    if (result !== PENDING) {
      this.finish(task, { kind: "value", value: result });
      return;
    }
    if (task.abortRequested) {
      this.dropTask(task);
      return;
    }
    task.state = TASK_IDLE;
    if (task.wokenWhileRunning) this.wake(task);
  }

  private dropTask(task: Task<unknown>): void {
    const future = task.future;
    task.future = null;
    task.state = TASK_FINISHED;
    this.trace?.({ kind: "drop", task: task.id, at: this.now() });
    const outer = running;
    running = this;
    try {
      dropFuture(future);
    } finally {
      running = outer;
    }
    this.finish(task, { kind: "aborted" });
  }

  private finish(task: Task<unknown>, outcome: Outcome<unknown>): void {
    task.state = TASK_FINISHED;
    task.future = null;
    task.outcome = outcome;
    setDelete(this.live, task);
    this.trace?.({ kind: "complete", task: task.id, at: this.now(), outcome: outcome.kind });
    const joiners = mapValues(task.joiners);
    mapClear(task.joiners);
    for (let i = 0; i < joiners.length; i++) joiners[i]!.wake();
    if (outcome.kind === "error" && task.detached && task !== this.root) reportDetachedError(task, outcome.error);
    task.onFinish?.();
    if (task === this.root) this.shutdown();
  }

  /** The root finished: every other task is dropped, its timers and queue cleared. */
  private shutdown(): void {
    this.shutDown = true;
    const live = setValues(this.live);
    for (let i = 0; i < live.length; i++) if (live[i]!.state !== TASK_FINISHED) this.dropTask(live[i]!);
    this.queue.length = 0;
    this.queueHead = 0;
    if (this.realTimeout !== undefined) clearTimeoutFn(this.realTimeout);
    this.realTimeout = undefined;
  }

  /** Nothing is queued: arrange for the next timer. */
  private idle(): void {
    if (this.shutDown) return;
    const next = this.timers.nextDeadline();
    if (next === undefined) return;
    if (this.clock === "real") return this.armRealTimeout(next);
    if (this.external === 0 && !this.jumpScheduled) {
      // After the microtasks queued now have run: a promise settling in one of them wakes a task first.
      this.jumpScheduled = true;
      afterMicrotasks(() => this.jump());
    }
  }

  /** Virtual clock: every task waits, and none on a promise; time moves to the earliest deadline. */
  private jump(): void {
    this.jumpScheduled = false;
    if (this.shutDown || this.turnScheduled || this.queueHead < this.queue.length || this.external > 0) return;
    const next = this.timers.nextDeadline();
    if (next === undefined) return;
    const from = this.virtualNow;
    if (next > from) {
      this.virtualNow = next;
      this.trace?.({ kind: "clock", at: next, from });
    }
    this.timers.fireUntil(this.virtualNow);
  }

  private armRealTimeout(deadline: number): void {
    if (this.realTimeout !== undefined && this.realTimeoutAt <= deadline) return;
    if (this.realTimeout !== undefined) clearTimeoutFn(this.realTimeout);
    this.realTimeoutAt = deadline;
    this.realTimeout = setTimeoutFn(() => {
      this.realTimeout = undefined;
      this.realTimeoutAt = 1 / 0;
      this.timers.fireUntil(this.now());
      if (!this.turnScheduled && this.queueHead === this.queue.length) this.idle();
    }, mathMax(0, deadline - this.now()));
  }
}

/** A seed as the options or the environment give it: an integer from 0 to 2^32 - 1. */
function checkedSeed(seed: unknown, what: string, given: unknown = seed): number {
  if (typeof seed !== "number" || !numberIsInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new NativeTypeError(`${what} an integer from 0 to 4294967295, not ${describeValue(given)}`);
  }
  return seed;
}

/** `UNAWAIT_SEED` from the environment, checked; undefined when it is not set. */
function environmentSeed(): number | undefined {
  const text = hostEnvironment("UNAWAIT_SEED");
  if (text === undefined || text === "") return undefined;
  return checkedSeed(+text, "the environment variable UNAWAIT_SEED must be", text);
}

/** A promise of the task's outcome (made once per task). */
export function settledPromise<T>(task: Task<T>): Promise<T> {
  if (task.settled) return task.settled;
  task.settled = newPromise<T>((resolve, reject) => {
    const settle = (): void => {
      const outcome = task.outcome!;
      if (outcome.kind === "value") resolve(outcome.value);
      else if (outcome.kind === "error") reject(outcome.error);
      else reject(new Cancelled(`${taskLabel(task)} was cancelled`));
    };
    if (task.outcome) settle();
    else task.onFinish = settle;
  });
  return internalPromise(task.settled);
}

/**
 * A spawned task's handle: a future of the task's result (its error is thrown, an aborted task
 * throws `Cancelled`), `abort()`, `isFinished()`. Dropping it detaches the task, which runs on.
 */
export class JoinHandle<T> extends Thenable<T> implements Future<T> {
  constructor(private readonly task: Task<T>) {
    super();
  }

  protected $promise(): Promise<T> {
    return settledPromise(this.task);
  }

  /** The task's number in its runtime (what the trace calls it). */
  get id(): number {
    return this.task.id;
  }

  poll(cx: Context): Poll<T> {
    const outcome = this.task.outcome;
    if (outcome === undefined) {
      mapSet(this.task.joiners, this, cx.waker);
      return PENDING;
    }
    if (outcome.kind === "value") return outcome.value;
    if (outcome.kind === "error") throw outcome.error;
    throw new Cancelled(`${taskLabel(this.task)} was aborted`);
  }

  abort(): void {
    this.task.runtime.abort(this.task as Task<unknown>);
  }

  isFinished(): boolean {
    return this.task.outcome !== undefined;
  }

  /** Lets the task go: it runs on, and nobody waits for it (its error, if it throws, is reported). */
  drop(): void {
    mapDelete(this.task.joiners, this);
    this.task.detached = true;
    const outcome = this.task.outcome;
    if (outcome?.kind === "error") reportDetachedError(this.task as Task<unknown>, outcome.error);
  }

}

/** A detached task threw and nobody will see it: say so on stderr, as tokio reports a panicking task. */
function reportDetachedError(task: Task<unknown>, error: unknown): void {
  const text = error instanceof NativeError ? (error.stack ?? NativeString(error)) : NativeString(error);
  hostConsole.error(`unawait: ${taskLabel(task)} threw, and its JoinHandle was dropped: ${text}`);
}

/** "task 3 (async arrow function, line 6)": the task's number, and its name when it has one. */
function taskLabel(task: Task<unknown>): string {
  return task.name ? `task ${task.id} (${task.name})` : `task ${task.id}`;
}

/** What a spawned future is, for its task's name: a machine's `$layout` name and line, else nothing. */
function describeFuture(future: Future<unknown>): string {
  const layout = (future.constructor as { $layout?: { name: string; states: ReadonlyArray<{ line: number }> } }).$layout;
  if (!layout) return "";
  const line = layout.states[0]?.line;
  return line !== undefined ? `${layout.name}, line ${line}` : layout.name;
}

/** The machine's name and the states of a poll with their lines, from the class's `$layout`. */
function describePoll(future: Future<unknown>, before: number | undefined, after: number | undefined): { machine?: string; before?: number; after?: number; lineBefore?: number; lineAfter?: number } {
  const layout = (future.constructor as { $layout?: { name: string; states: ReadonlyArray<{ id: number; line: number }> } }).$layout;
  if (!layout || before === undefined) return {};
  const line = (state: number | undefined): number | undefined => {
    if (state === undefined) return undefined;
    for (let i = 0; i < layout.states.length; i++) if (layout.states[i]!.id === state) return layout.states[i]!.line;
    return undefined;
  };
  return { machine: layout.name, before, after, lineBefore: line(before), lineAfter: line(after) };
}

/** The state of a machine (`$state`), for the trace; undefined for other futures. */
function stateOf(future: Future<unknown>): number | undefined {
  const state = (future as { $state?: unknown }).$state;
  return typeof state === "number" ? state : undefined;
}

/** Runs `fn` in a macrotask: after every microtask queued so far (and those they queue). */
function afterMicrotasks(fn: () => void): void {
  if (typeof setImmediateFn === "function") setImmediateFn(fn);
  else setTimeoutFn(fn, 0);
}

/**
 * `using handle = spawn(...)` drops the handle at the end of the block: `[Symbol.dispose]` is
 * `drop` (the engine's symbol, or the registered one where it has none: intrinsics.ts).
 */
export function disposableByDrop(target: { prototype: { drop(): void } }): void {
  defineOwn(target.prototype, symbolDispose, {
    value: function (this: { drop(): void }): void {
      this.drop();
    },
    writable: true,
    configurable: true,
  });
}

disposableByDrop(JoinHandle);
