/**
 * Streams: an async generator in future mode. Rust's `Stream`, whose `poll_next` answers the next
 * item, `PENDING`, or the end.
 *
 *   [source]   async function* ticks(n) { for (let i = 0; i < n; i++) { await sleep(10); yield i; } }
 *   [lowered]  function ticks(n) { return $rt.stream(new ticks$AsyncGenerator(n)); }
 *   [use]      for await (const i of ticks(3)) ...      // lowered: each step polls pollNext
 *
 * The machine is the same coroutine as in promise mode (coroutine.ts): `resume(how, sent)` runs to
 * the next thing to do and says what. In promise mode a native `async function*` around it does
 * those things; here `AsyncGeneratorStream` does them, inside `pollNext`: it awaits with
 * `intoFuture` (a ready future costs no tick), hands out yielded items, and holds the returns it
 * has taken on a stack while the machine runs its `finally` blocks (see generatorShell.ts for the
 * same protocol written with the engine's own `try`).
 *
 * Code that is not lowered uses the async iterator protocol: `next()`, `return()` and `throw()`
 * answer futures that are thenables (`for await` works natively too), in the order asked. `return()`
 * returns through the `finally` blocks as an async generator's does (they may still await and
 * yield); `drop()` runs them without waiting.
 */
import type { Context, Waker } from "./context.js";
import { intoFuture } from "./adapt.js";
import { dropFuture, type Future } from "./future.js";
import { PENDING, type Poll } from "./poll.js";
import { AWAIT, FINISHED, NEXT, RETURN, RETURN_VALUE, RETURN_VOID, THROW, YIELD, YIELD_STAR, DROP_RETURN, returnTaken, type Coroutine, type Resumption } from "./coroutine.js";
import { FutureBase } from "./tasks.js";
import { asyncIterate } from "./asyncIteration.js";
import type { IteratorRecord } from "./iteration.js";
import { arrayIndexOf, arraySplice, callFunction, isObject, mapDelete, mapGet, mapSet, methodOf, NativeError, NativeMap, NativeString, NativeTypeError, symbolAsyncIterator } from "./intrinsics.js";

/** Rust's `Stream`: `pollNext` answers `{ done: false, value }`, `{ done: true, value }` at the end, or PENDING. */
export interface Stream<T, R = unknown> {
  pollNext(cx: Context): Poll<IteratorResult<T, R>>;
  drop?(): void;
}

export function isStream(value: unknown): value is Stream<unknown> {
  return value !== null && typeof value === "object" && typeof (value as { pollNext?: unknown }).pollNext === "function";
}

/** What the awaited value is for, once it is there. */
const FOR_AWAIT = 0;
const FOR_YIELD = 1;
const FOR_RETURN = 2;

/** An async generator's machine, driven as a stream (future mode). */
export class AsyncGeneratorStream<T, R = unknown> implements Stream<T, R> {
  private how: Resumption = NEXT;
  private sent: unknown = undefined;
  /** The future being awaited, and what its value is for. */
  private awaitee: Future<unknown> | null = null;
  private awaitingFor: typeof FOR_AWAIT | typeof FOR_YIELD | typeof FOR_RETURN = FOR_AWAIT;
  /** The inner iterator of a `yield*`: a stream, or an async iterator whose `next()` results are awaited. */
  private inner: Stream<unknown> | IteratorRecord | null = null;
  /** Returns taken while `finally` blocks run: the last one is the value a FINISHED returns. */
  private readonly held: unknown[] = [];
  private finished = false;
  private running = false;

  constructor(private readonly machine: Coroutine) {}

  pollNext(cx: Context): Poll<IteratorResult<T, R>> {
    if (this.finished) return { value: undefined as R, done: true };
    if (this.running) throw new NativeTypeError("the async generator's stream is already being polled");
    this.running = true;
    try {
      return this.step(cx);
    } catch (error) {
      this.finish();
      throw error;
    } finally {
      this.running = false;
    }
  }

  private step(cx: Context): Poll<IteratorResult<T, R>> {
    for (;;) {
      if (this.awaitee !== null) {
        let value: unknown;
        try {
          value = this.awaitee.poll(cx);
        } catch (error) {
          this.awaitee = null;
          this.resumeWith(THROW, error);
          continue;
        }
        if (value === PENDING) return PENDING;
        this.awaitee = null;
        if (this.awaitingFor === FOR_YIELD) {
          this.resumeWith(NEXT, undefined);
          return { value: value as T, done: false };
        }
        if (this.awaitingFor === FOR_RETURN) this.takeReturn(value);
        else this.resumeWith(NEXT, value);
        continue;
      }
      if (this.inner !== null) {
        const item = this.pollInner(cx);
        if (item === PENDING) return PENDING;
        if (item !== undefined) return item as IteratorResult<T, R>;
        continue;
      }
      const signal = this.machine.resume(this.how, this.sent);
      this.how = NEXT;
      this.sent = undefined;
      const out = this.machine.$out;
      switch (signal) {
        case AWAIT:
          this.await(out, FOR_AWAIT);
          break;
        case YIELD:
          // An async generator's `yield v` awaits v first.
          this.await(out, FOR_YIELD);
          break;
        case YIELD_STAR:
          this.inner = innerOf(out);
          break;
        case RETURN_VALUE:
          this.await(out, FOR_RETURN);
          break;
        case RETURN_VOID:
          this.takeReturn(undefined);
          break;
        case DROP_RETURN:
          // A jump left the finally blocks of returns taken from level `out` up: they are dropped.
          this.held.length = (out as number) - 2;
          break;
        case FINISHED: {
          const value = this.held.length > 0 ? this.held[this.held.length - 1] : undefined;
          this.finish();
          return { value: value as R, done: true };
        }
        default:
          throw new NativeError(`internal: unknown signal ${NativeString(signal)} from an async generator's machine`);
      }
    }
  }

  /** The next resume says how the suspension went. */
  private resumeWith(how: Resumption, sent: unknown): void {
    this.how = how;
    this.sent = sent;
  }

  private await(operand: unknown, awaitingFor: typeof FOR_AWAIT | typeof FOR_YIELD | typeof FOR_RETURN): void {
    this.awaitee = intoFuture(operand);
    this.awaitingFor = awaitingFor;
  }

  /** A return is taken: the machine runs the finally blocks around it, holding it at the next level. */
  private takeReturn(value: unknown): void {
    this.held[this.held.length] = value;
    this.resumeWith(RETURN, returnTaken(this.held.length + 1));
  }

  /** One step of a `yield*`: an item to hand out, PENDING, or undefined when the inner one is done (the machine resumes). */
  private pollInner(cx: Context): Poll<IteratorResult<unknown>> | undefined {
    const inner = this.inner!;
    let result: Poll<IteratorResult<unknown>>;
    try {
      if (isStream(inner)) result = inner.pollNext(cx);
      else {
        this.innerNext ??= intoFuture(callFunction(inner.next, inner.iterator));
        result = this.innerNext.poll(cx) as Poll<IteratorResult<unknown>>;
        if (result !== PENDING) this.innerNext = null;
      }
    } catch (error) {
      this.inner = null;
      this.innerNext = null;
      this.resumeWith(THROW, error);
      return undefined;
    }
    if (result === PENDING) return PENDING;
    const step = result as IteratorResult<unknown>;
    if (step.done) {
      this.inner = null;
      this.resumeWith(NEXT, step.value);
      return undefined;
    }
    return { value: step.value, done: false };
  }

  private innerNext: Future<unknown> | null = null;
  /** Requests of the async iterator protocol not answered yet, in the order they were made. */
  readonly queue: StreamStep<T, R>[] = [];
  /** The wakers of queued requests waiting for their turn. */
  readonly waiting = new NativeMap<StreamStep<T, R>, Waker>();

  private finish(): void {
    this.finished = true;
    this.awaitee = null;
    this.inner = null;
    this.innerNext = null;
    this.held.length = 0;
  }

  /**
   * Cancels the stream: the machine is resumed with a return at the `yield` it is suspended at, so
   * its `finally` blocks run. They cannot wait: at their first await (or yield) the drop stops.
   */
  drop(): void {
    if (this.finished) return;
    const awaitee = this.awaitee;
    const inner = this.inner;
    const started = this.machine.$state > 0;
    this.finish();
    dropFuture(awaitee);
    if (inner !== null && isStream(inner)) inner.drop?.();
    else if (inner !== null) closeQuietly(inner);
    if (!started) return;
    const held: unknown[] = [undefined];
    let how: Resumption = RETURN;
    let sent: unknown = returnTaken(2);
    for (;;) {
      const signal = this.machine.resume(how, sent);
      if (signal === RETURN_VOID || signal === RETURN_VALUE) {
        held[held.length] = undefined;
        how = RETURN;
        sent = returnTaken(held.length + 1);
        continue;
      }
      if (signal === DROP_RETURN) {
        held.length = (this.machine.$out as number) - 2;
        how = NEXT;
        sent = undefined;
        continue;
      }
      return; // FINISHED, or an await / yield that a drop cannot wait for
    }
  }

  next(...sent: unknown[]): FutureBase<IteratorResult<T, R>> {
    return new StreamStep(this, NEXT, sent[0]);
  }

  return(value?: R): FutureBase<IteratorResult<T, R>> {
    return new StreamStep(this, RETURN, value);
  }

  throw(error: unknown): FutureBase<IteratorResult<T, R>> {
    return new StreamStep(this, THROW, error);
  }

  /** Has the stream ended (so that `return(v)` answers `{ value: v, done: true }` at once)? */
  get ended(): boolean {
    return this.finished;
  }

  /**
   * For `next(v)`, `throw(e)`, `return(v)`: how the machine is resumed at the `yield` it handed its
   * last item from. A `return(v)` awaits v, then returns through the finally blocks around the
   * yield, which may still await and yield (as an async generator's `return()` does). Before the
   * start, `throw(e)` and `return(v)` end the stream without running the body.
   */
  resumeAtYield(how: Resumption, sent: unknown): void {
    if (this.finished) return;
    if (how !== NEXT && this.machine.$state === 0) {
      this.finish();
      if (how === THROW) throw sent;
      return;
    }
    if (this.how !== NEXT || this.awaitee !== null || this.inner !== null || this.machine.$state <= 0) return;
    if (how === RETURN) this.await(sent, FOR_RETURN);
    else this.resumeWith(how, sent);
  }

  [symbolAsyncIterator](): this {
    return this;
  }
}

/**
 * A `next(v)`, `throw(e)` or `return(v)` of the async iterator protocol, as a future (and a
 * thenable). Requests are answered in the order they were made, as an async generator's request
 * queue answers them: a request polls the stream only when every earlier one has its answer.
 */
class StreamStep<T, R> extends FutureBase<IteratorResult<T, R>> {
  private started = false;
  private answered = false;

  constructor(
    private readonly stream: AsyncGeneratorStream<T, R>,
    private readonly how: Resumption,
    private readonly sent: unknown,
  ) {
    super();
    stream.queue[stream.queue.length] = this;
  }

  poll(cx: Context): Poll<IteratorResult<T, R>> {
    const queue = this.stream.queue;
    if (queue[0] !== this) {
      mapSet(this.stream.waiting, this, cx.waker);
      return PENDING;
    }
    let result: Poll<IteratorResult<T, R>>;
    try {
      if (!this.started) {
        this.started = true;
        if (this.how === RETURN && this.stream.ended) {
          this.answer();
          return { value: this.sent as R, done: true };
        }
        this.stream.resumeAtYield(this.how, this.sent);
        if (this.how === RETURN && this.stream.ended) {
          this.answer();
          return { value: this.sent as R, done: true };
        }
      }
      result = this.stream.pollNext(cx);
    } catch (error) {
      this.answer();
      throw error;
    }
    if (result !== PENDING) this.answer();
    return result;
  }

  /** Answered (or dropped): the next request in the queue may go. */
  private answer(): void {
    if (this.answered) return;
    this.answered = true;
    const queue = this.stream.queue;
    const at = arrayIndexOf(queue, this);
    if (at >= 0) arraySplice(queue, at, 1);
    mapDelete(this.stream.waiting, this);
    const next = queue[0];
    const waker = next && mapGet(this.stream.waiting, next);
    waker?.wake();
  }

  override drop(): void {
    this.answer();
  }
}

/**
 * What a `yield*` delegates to: a stream as it is, or the async iterator of an async iterable (a
 * sync one made async, as `for await` makes it: asyncIteration.ts).
 */
function innerOf(iterable: unknown): Stream<unknown> | IteratorRecord {
  if (isStream(iterable)) return iterable;
  const asyncMethod = iterable === null || iterable === undefined ? undefined : methodOf(iterable, symbolAsyncIterator);
  if (asyncMethod !== undefined) {
    const iterator = callFunction(asyncMethod, iterable);
    if (isStream(iterator)) return iterator;
    if (!isObject(iterator)) throw new NativeTypeError("Result of the Symbol.asyncIterator method is not an object");
    return { iterator: iterator as Iterator<unknown>, next: (iterator as { next: IteratorRecord["next"] }).next, done: false };
  }
  if (iterable === null || iterable === undefined) throw new NativeTypeError(`yield* needs an async or sync iterable, not ${NativeString(iterable)}`);
  return asyncIterate(iterable);
}

/** Dropping a stream in a `yield*`: the inner iterator's `return()` is called; what it answers is not waited for. */
function closeQuietly(record: IteratorRecord): void {
  try {
    const method = methodOf(record.iterator, "return");
    if (method !== undefined) callFunction(method, record.iterator);
  } catch {
    // a drop cannot report it: the stream is gone
  }
}

/** The wrapper of an async generator in future mode: `return $rt.stream(new g$AsyncGenerator(...))`. */
export function stream<T, R>(machine: Coroutine): AsyncGeneratorStream<T, R> {
  return new AsyncGeneratorStream<T, R>(machine);
}
