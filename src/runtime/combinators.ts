/**
 * Running futures concurrently inside one task: `join`, `joinAll`, `tryJoin`, `select`, `race`.
 * The futures are polled by the future that combines them, with the task's own waker, so they
 * interleave on one task the way `futures::join!` and `tokio::select!` do; no task is spawned.
 *
 *   [source]   const [user, product] = await join(fetchUser(), fetchProduct());
 *              const first = await select({ work: work(), late: sleep(2000) });   // { key: "work", value }
 *              const winner = await select(work(), sleep(2000));                  // { index: 0, value }
 */
import type { Context } from "./context.js";
import { intoFuture } from "./adapt.js";
import { describeValue, isAwaitable, requireOptions } from "./checks.js";
import { runningRuntime, ambientRuntime } from "./executor.js";
import { isObject, jsonStringify, NativeTypeError, ownKeysOf, symbolIterator } from "./intrinsics.js";
import { ITERATION_DONE, iterate, step } from "./iteration.js";
import { SeededRandom } from "./random.js";
import { dropFuture, type Future } from "./future.js";
import { PENDING, type Poll } from "./poll.js";
import { FutureBase } from "./tasks.js";

type Awaitable<T> = Future<T> | PromiseLike<T> | T;
type Output<F> = F extends Future<infer T> ? T : Awaited<F>;
type Outputs<Fs extends readonly unknown[]> = { -readonly [K in keyof Fs]: Output<Fs[K]> };

/** Waits for every future; the results in order. If one throws, the others are dropped and the error goes on. */
export function join<Fs extends readonly unknown[]>(...futures: Fs): FutureBase<Outputs<Fs>> {
  return new Join(operands(futures, "join(...futures)")) as unknown as FutureBase<Outputs<Fs>>;
}

/** `join` over an iterable of futures. */
export function joinAll<T>(futures: Iterable<Awaitable<T>>): FutureBase<T[]> {
  if (futures === null || futures === undefined || typeof (futures as { [symbolIterator]?: unknown })[symbolIterator] !== "function") {
    throw new NativeTypeError(`joinAll(futures) takes an iterable of futures (an array), not ${describeValue(futures)}; for futures one by one, use join(...futures)`);
  }
  const items: unknown[] = [];
  const record = iterate(futures);
  for (let value = step(record); value !== ITERATION_DONE; value = step(record)) items[items.length] = value;
  return new Join(operands(items, "joinAll(futures)")) as FutureBase<T[]>;
}

/**
 * Like `join`, for futures of `{ ok: true, value } | { ok: false, error }` results (Rust's
 * `Result`): the first `ok: false` drops the others and is the answer; otherwise the values in order.
 * A future that throws ends it the same way.
 */
export function tryJoin<T>(...futures: Awaitable<Result<T>>[]): FutureBase<Result<T[]>> {
  return new TryJoin(operands(futures, "tryJoin(...futures)") as Future<Result<T>>[]);
}

export type Result<T, E = unknown> = { ok: true; value: T } | { ok: false; error: E };

/**
 * The futures of a `join`: each operand adapted as `await` adapts it (a plain value is ready at
 * once, as `Promise.all` takes one). A function is refused: it is an async function not called.
 */
function operands(values: readonly unknown[], call: string): Future<unknown>[] {
  const out: Future<unknown>[] = [];
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value === "function" && !isAwaitable(value)) {
      throw new NativeTypeError(`${call}: argument ${i + 1} is a function, not a future or a promise (call the async function: f(), not f)`);
    }
    out[i] = isAwaitable(value) ? intoFuture(value) : new Ready(value);
  }
  return out;
}

/** A plain value among the operands of a combinator: ready at once, its own future. */
class Ready<T> implements Future<T> {
  constructor(private readonly value: T) {}

  poll(_cx: Context): Poll<T> {
    return this.value;
  }
}

class Join extends FutureBase<unknown[]> {
  private readonly results: unknown[];
  private readonly done: boolean[];
  private remaining: number;

  constructor(private readonly futures: (Future<unknown> | null)[]) {
    super();
    this.results = [];
    this.done = [];
    for (let i = 0; i < futures.length; i++) {
      this.results[i] = undefined;
      this.done[i] = false;
    }
    this.remaining = futures.length;
  }

  poll(cx: Context): Poll<unknown[]> {
    for (let i = 0; i < this.futures.length && this.remaining > 0; i++) {
      if (this.done[i]) continue;
      let result: Poll<unknown>;
      try {
        result = this.futures[i]!.poll(cx);
      } catch (error) {
        this.futures[i] = null;
        this.drop();
        throw error;
      }
      if (result === PENDING) continue;
      this.results[i] = result;
      this.done[i] = true;
      this.futures[i] = null;
      this.remaining--;
    }
    return this.remaining === 0 ? this.results : PENDING;
  }

  override drop(): void {
    for (let i = 0; i < this.futures.length; i++) {
      const f = this.futures[i];
      this.futures[i] = null;
      dropFuture(f);
    }
  }
}

class TryJoin<T> extends FutureBase<Result<T[]>> {
  private readonly inner: Join;

  constructor(futures: Future<Result<T>>[]) {
    super();
    const failFast: Future<unknown>[] = [];
    for (let i = 0; i < futures.length; i++) failFast[i] = new FailFast(futures[i]!);
    this.inner = new Join(failFast);
  }

  poll(cx: Context): Poll<Result<T[]>> {
    let results: Poll<unknown[]>;
    try {
      results = this.inner.poll(cx);
    } catch (error) {
      if (error instanceof Failed) return { ok: false, error: error.error };
      throw error;
    }
    if (results === PENDING) return PENDING;
    return { ok: true, value: results as T[] };
  }

  override drop(): void {
    this.inner.drop();
  }
}

/** An `ok: false` result, thrown through `Join` so that it drops the others. */
class Failed {
  constructor(readonly error: unknown) {}
}

class FailFast<T> implements Future<T> {
  constructor(private readonly future: Future<Result<T>>) {}

  poll(cx: Context): Poll<T> {
    const result = this.future.poll(cx);
    if (result === PENDING) return PENDING;
    const r = result as Result<T>;
    if (!r.ok) throw new Failed(r.error);
    return r.value;
  }

  drop(): void {
    dropFuture(this.future);
  }
}

type Branches = Record<string, unknown>;
/** Which branch of a `select` finished first, and its value. */
export type Selected<B extends Branches> = { [K in keyof B]: { key: K; value: Output<B[K]> } }[keyof B];
/** Which of the futures given one by one to `select` finished first (its position, from 0), and its value. */
export type SelectedAt<Fs extends readonly unknown[]> = { index: number; value: Output<Fs[number]> };
export interface SelectOptions {
  /** Poll the branches in the order written (tokio's `biased;`), instead of from a random one. */
  biased?: boolean;
}

const SELECT_OPTIONS: readonly string[] = ["biased"];

/**
 * Waits for the first of several futures; the others are dropped. Two forms:
 * - by name, `select({ work: work(), late: sleep(2000) })`, answers `{ key, value }` (tokio's
 *   `select!` with its branches named);
 * - one by one, `select(work(), sleep(2000))` (as `futures::select_all` and `Promise.race` take
 *   them), answers `{ index, value }`, `index` counting from 0. (`race` answers the value alone.)
 * Fair by default, as tokio's `select!`: each poll starts at a branch drawn at random from the
 * running executor's seeded generator (RuntimeOptions.seed; the same seed, the same choices), so
 * no branch starves another in a loop. `{ biased: true }`, the last argument, polls them in the
 * order written. A branch that throws ends the select with its error (the others are dropped).
 */
export function select<B extends Branches>(branches: B, options?: SelectOptions): FutureBase<Selected<B>>;
export function select<Fs extends readonly unknown[]>(...futures: Fs): FutureBase<SelectedAt<Fs>>;
export function select(...args: unknown[]): FutureBase<unknown> {
  const first = args[0];
  if (isAwaitable(first)) return selectAt(args);
  if (!isObject(first) || typeof first === "function") {
    throw new NativeTypeError(
      `select() takes its branches by name, select({ a: future, b: future }), or one by one, select(future, future); not ${describeValue(first)}${typeof first === "function" ? " (call the async function: f(), not f)" : ""}`,
    );
  }
  if (args.length > 2) throw new NativeTypeError(`select(branches, options) takes 2 arguments, not ${args.length}; to give futures one by one, give only futures: select(a, b, c)`);
  const options = args[1];
  requireOptions(options, "select(branches, options)", SELECT_OPTIONS);
  const keys = ownKeysOf(first);
  if (keys.length === 0) throw new NativeTypeError("select(branches) needs at least one branch");
  const futures: Future<unknown>[] = [];
  for (let i = 0; i < keys.length; i++) {
    const value = (first as Branches)[keys[i]!];
    if (!isAwaitable(value)) throw new NativeTypeError(`select(branches): branch ${jsonStringify(keys[i])} is ${describeValue(value)}, not a future or a promise${typeof value === "function" ? " (call the async function: f(), not f)" : ""}`);
    futures[i] = intoFuture(value);
  }
  return new Select(keys, futures, (options as SelectOptions | undefined)?.biased === true, "key");
}

/** `select(a, b, c)` and `select(a, b, { biased: true })`: the futures one by one. */
function selectAt(args: unknown[]): FutureBase<unknown> {
  let count = args.length;
  const last = args[count - 1];
  let options: SelectOptions | undefined;
  if (count > 1 && !isAwaitable(last) && isObject(last) && typeof last !== "function") {
    requireOptions(last, "select(...futures, options)", SELECT_OPTIONS);
    options = last as SelectOptions;
    count--;
  }
  return new Select(null, awaitables(args, count, "select(...futures)"), options?.biased === true, "index");
}

/** The value of whichever future finishes first (or its error); the others are dropped. */
export function race<T>(...futures: Awaitable<T>[]): FutureBase<T> {
  if (futures.length === 0) throw new NativeTypeError("race(...futures) needs at least one future");
  return new Race<T>(new Select(null, awaitables(futures, futures.length, "race(...futures)"), false, "index"));
}

/** The first `count` arguments, each a future or a promise (adapted). */
function awaitables(args: readonly unknown[], count: number, call: string): Future<unknown>[] {
  const out: Future<unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const value = args[i];
    if (!isAwaitable(value)) {
      const hint = typeof value === "function" ? " (call the async function: f(), not f)" : isObject(value) && i === 0 ? " (for branches by name, pass one object: select({ a, b }))" : "";
      throw new NativeTypeError(`${call}: argument ${i + 1} is ${describeValue(value)}, not a future or a promise${hint}`);
    }
    out[i] = intoFuture(value);
  }
  if (out.length === 0) throw new NativeTypeError(`${call} needs at least one future`);
  return out;
}

class Race<T> extends FutureBase<T> {
  constructor(private readonly select: Select) {
    super();
  }

  poll(cx: Context): Poll<T> {
    const r = this.select.poll(cx);
    return r === PENDING ? PENDING : ((r as { value: unknown }).value as T);
  }

  override drop(): void {
    this.select.drop();
  }
}

/** Where a select outside any executor draws its starting branches from (tests that poll by hand). */
let unownedRandom: SeededRandom | null = null;

/** A random integer from 0 to `n - 1`: from the running executor's generator, which the trace names with its seed. */
function randomBelow(n: number): number {
  const runtime = runningRuntime() ?? ambientRuntime();
  if (runtime !== null) return runtime.randomBelow(n);
  return (unownedRandom ??= new SeededRandom(0)).below(n);
}

class Select extends FutureBase<{ key: string; value: unknown } | { index: number; value: unknown }> {
  constructor(
    /** The branch names (`select({...})`), or null for futures given one by one. */
    private readonly keys: string[] | null,
    private readonly futures: (Future<unknown> | null)[],
    private readonly biased: boolean,
    private readonly answer: "key" | "index",
  ) {
    super();
  }

  poll(cx: Context): Poll<{ key: string; value: unknown } | { index: number; value: unknown }> {
    const n = this.futures.length;
    const first = this.biased || n === 1 ? 0 : randomBelow(n);
    for (let k = 0; k < n; k++) {
      const i = (first + k) % n;
      const future = this.futures[i];
      if (!future) continue;
      let result: Poll<unknown>;
      try {
        result = future.poll(cx);
      } catch (error) {
        this.futures[i] = null;
        this.drop();
        throw error;
      }
      if (result === PENDING) continue;
      this.futures[i] = null;
      this.drop();
      return this.answer === "key" ? { key: this.keys![i]!, value: result } : { index: i, value: result };
    }
    return PENDING;
  }

  override drop(): void {
    for (let i = 0; i < this.futures.length; i++) {
      const f = this.futures[i];
      this.futures[i] = null;
      dropFuture(f);
    }
  }
}
