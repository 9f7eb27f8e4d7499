/**
 * Running futures concurrently inside one task: `join`, `joinAll`, `tryJoin`, `select`, `race`.
 * The futures are polled by the future that combines them, with the task's own waker, so they
 * interleave on one task the way `futures::join!` and `tokio::select!` do; no task is spawned.
 *
 *   [source]   const [user, product] = await join(fetchUser(), fetchProduct());
 *              const first = await select({ work: work(), late: sleep(2000) });   // { key: "work", value }
 */
import type { Context } from "./context.js";
import { intoFuture } from "./adapt.js";
import { dropFuture, type Future } from "./future.js";
import { PENDING, type Poll } from "./poll.js";
import { FutureBase } from "./tasks.js";

type Awaitable<T> = Future<T> | PromiseLike<T> | T;
type Output<F> = F extends Future<infer T> ? T : Awaited<F>;
type Outputs<Fs extends readonly unknown[]> = { -readonly [K in keyof Fs]: Output<Fs[K]> };

/** Waits for every future; the results in order. If one throws, the others are dropped and the error goes on. */
export function join<Fs extends readonly unknown[]>(...futures: Fs): FutureBase<Outputs<Fs>> {
  return new Join(futures.map((f) => intoFuture(f as Awaitable<unknown>))) as unknown as FutureBase<Outputs<Fs>>;
}

/** `join` over an iterable of futures. */
export function joinAll<T>(futures: Iterable<Awaitable<T>>): FutureBase<T[]> {
  return new Join([...futures].map((f) => intoFuture(f))) as FutureBase<T[]>;
}

/**
 * Like `join`, for futures of `{ ok: true, value } | { ok: false, error }` results (Rust's
 * `Result`): the first `ok: false` drops the others and is the answer; otherwise the values in order.
 * A future that throws ends it the same way.
 */
export function tryJoin<T>(...futures: Awaitable<Result<T>>[]): FutureBase<Result<T[]>> {
  return new TryJoin(futures.map((f) => intoFuture(f)));
}

export type Result<T, E = unknown> = { ok: true; value: T } | { ok: false; error: E };

class Join extends FutureBase<unknown[]> {
  private readonly results: unknown[];
  private readonly done: boolean[];
  private remaining: number;

  constructor(private readonly futures: (Future<unknown> | null)[]) {
    super();
    this.results = new Array<unknown>(futures.length);
    this.done = futures.map(() => false);
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
    this.inner = new Join(futures.map((f) => new FailFast(f)));
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

/**
 * Waits for the first of several futures, given by name; the others are dropped. Answers
 * `{ key, value }`. Fair by default: each poll starts with the next branch in turn, so no branch
 * starves another; `{ biased: true }` polls them in the order written (tokio's `biased;`). A branch
 * that throws ends the select with its error (the others are dropped).
 */
export function select<B extends Branches>(branches: B, options: { biased?: boolean } = {}): FutureBase<Selected<B>> {
  const keys = Object.keys(branches);
  if (keys.length === 0) throw new TypeError("select() needs at least one branch");
  return new Select(
    keys,
    keys.map((k) => intoFuture(branches[k])),
    options.biased ?? false,
  ) as unknown as FutureBase<Selected<B>>;
}

/** The value of whichever future finishes first (or its error); the others are dropped. */
export function race<T>(...futures: Awaitable<T>[]): FutureBase<T> {
  if (futures.length === 0) throw new TypeError("race() needs at least one future");
  const select = new Select(
    futures.map((_, i) => String(i)),
    futures.map((f) => intoFuture(f)),
    false,
  );
  return new Race<T>(select);
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

class Select extends FutureBase<{ key: string; value: unknown }> {
  private start = 0;

  constructor(
    private readonly keys: string[],
    private readonly futures: (Future<unknown> | null)[],
    private readonly biased: boolean,
  ) {
    super();
  }

  poll(cx: Context): Poll<{ key: string; value: unknown }> {
    const n = this.futures.length;
    const first = this.biased ? 0 : this.start;
    if (!this.biased) this.start = (this.start + 1) % n;
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
      return { key: this.keys[i]!, value: result };
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
