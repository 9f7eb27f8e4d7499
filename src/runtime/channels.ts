/**
 * Channels between tasks, as tokio has them: `oneshot` (one value, once) and `channel` /
 * `unboundedChannel` (many senders, one receiver, in order). Every wait is a future: a receiver
 * waits for a value, a sender of a full bounded channel waits for room (back-pressure), and
 * dropping the waiting future takes it out of the line without losing anything.
 *
 *   [source]   const [tx, rx] = channel<number>(16);
 *              spawn(async () => { for (let i = 0; i < 3; i++) await tx.send(i); tx.drop(); });
 *              for (;;) { const r = await rx.recv(); if (r.done) break; console.log(r.value); }
 *
 *   [source]   const [reply, answer] = oneshot<string>();
 *              spawn(async () => { reply.send(await lookup()); });
 *              console.log(await answer);   // RecvError if `reply` is dropped without sending
 *
 * Fairness and wakeups: senders waiting for room get it in the order they started waiting; room
 * that frees up is handed to the first of them (a permit) and only its task is woken. A waiting
 * send that is dropped leaves the line, and a permit it held goes to the next sender, so no wakeup
 * is lost. A send dropped before it completed has not sent its value (tokio's cancel safety), and a
 * dropped `recv()` has not taken one.
 */
import type { Context, Waker } from "./context.js";
import { disposableByDrop } from "./executor.js";
import { PENDING, type Poll } from "./poll.js";
import { FutureBase, promiseOf } from "./tasks.js";
import { describeValue } from "./checks.js";
import { arraySplice, firstInSet, freeze, NativeError, NativeRangeError, NativeSet, NativeString, numberIsInteger, setAdd, setClear, setDelete, setSize, setValues, symbolAsyncIterator } from "./intrinsics.js";

/** What a send answers: sent, or handed back because the receiver is gone or closed. */
export type SendResult<T> = { ok: true } | { ok: false; value: T };

/** What `trySend` answers: sent, or handed back because the channel is full or closed. */
export type TrySendResult<T> = { ok: true } | { ok: false; reason: "full" | "closed"; value: T };

/** What `recv()` answers: the next value, or `done` once the channel is closed and drained. */
export type RecvResult<T> = { done: false; value: T } | { done: true; value: undefined };

/** What `tryRecv()` answers: a value, or why there is none ("empty" for now, or "closed" for good). */
export type TryRecvResult<T> = { ok: true; value: T } | { ok: false; reason: "empty" | "closed" };

/** The error of a oneshot receiver whose sender was dropped without sending (tokio's `RecvError`). */
export class RecvError extends NativeError {
  constructor(message = "the oneshot sender was dropped without sending a value") {
    super(message);
    this.name = "RecvError";
  }
}

const SEND_OK: { ok: true } = freeze({ ok: true as const });
const RECV_DONE: { done: true; value: undefined } = freeze({ done: true as const, value: undefined });

// ---------------------------------------------------------------------------------------------
// oneshot

/** The state a oneshot's two halves share. */
class OneshotState<T> {
  value: T | undefined = undefined;
  sent = false;
  /** The sender was dropped without sending. */
  senderDropped = false;
  receiverDropped = false;
  /** The waker of the receiver's last pending poll. */
  waker: Waker | null = null;

  wakeReceiver(): void {
    const waker = this.waker;
    this.waker = null;
    waker?.wake();
  }
}

/**
 * A channel for one value: `[tx, rx]`. `tx.send(v)` is synchronous; `rx` is a future of the value
 * (it throws `RecvError` if `tx` is dropped without sending). tokio's `oneshot::channel`.
 */
export function oneshot<T>(): [OneshotSender<T>, OneshotReceiver<T>] {
  const state = new OneshotState<T>();
  return [new OneshotSender(state), new OneshotReceiver(state)];
}

/** The sending half of a `oneshot`: sends once, or is dropped. */
export class OneshotSender<T> {
  private used = false;

  /** Made by `oneshot()`. */
  constructor(private readonly state: OneshotState<T>) {}

  /**
   * Sends the value and wakes the receiver. Answers `{ ok: false, value }` (the value handed back)
   * when the receiver was dropped. A oneshot sends once: a second `send` (or one after `drop`) throws.
   */
  send(value: T): SendResult<T> {
    if (this.used) throw new NativeError("oneshot sender used twice: it has already sent, or been dropped");
    this.used = true;
    const state = this.state;
    if (state.receiverDropped) return { ok: false, value };
    state.value = value;
    state.sent = true;
    state.wakeReceiver();
    return SEND_OK;
  }

  /** True when the receiver was dropped: a send would fail. */
  isClosed(): boolean {
    return this.state.receiverDropped;
  }

  /** Gives up without sending: the receiver throws `RecvError`. Nothing once the value was sent. */
  drop(): void {
    if (this.used) return;
    this.used = true;
    this.state.senderDropped = true;
    this.state.wakeReceiver();
  }
}

/** The receiving half of a `oneshot`: a future of the value. */
export class OneshotReceiver<T> extends FutureBase<T> {
  /** Made by `oneshot()`. */
  constructor(private readonly state: OneshotState<T>) {
    super();
  }

  /** The value once sent; `RecvError` if the sender was dropped without sending. */
  poll(cx: Context): Poll<T> {
    const state = this.state;
    if (state.sent) return state.value as T;
    if (state.senderDropped || state.receiverDropped) throw new RecvError();
    state.waker = cx.waker;
    return PENDING;
  }

  /** The value if it was sent, without waiting. */
  tryRecv(): TryRecvResult<T> {
    const state = this.state;
    if (state.sent) return { ok: true, value: state.value as T };
    return { ok: false, reason: state.senderDropped || state.receiverDropped ? "closed" : "empty" };
  }

  /** Stops waiting: a later `send` fails and hands its value back. */
  override drop(): void {
    const state = this.state;
    state.receiverDropped = true;
    state.waker = null;
    state.value = undefined;
    state.sent = false;
  }
}

disposableByDrop(OneshotSender);

// ---------------------------------------------------------------------------------------------
// mpsc

const SEND_IDLE = 0;
const SEND_WAITING = 1;
const SEND_GRANTED = 2;
const SEND_FINISHED = 3;

/** The state the halves of one mpsc channel share. */
class MpscState<T> {
  private readonly items: T[] = [];
  private head = 0;
  /** Live `Sender`s. */
  senders = 1;
  /** No more sends: the receiver closed, was dropped, or saw the end. */
  closed = false;
  /** Slots handed to waiting senders that have not put their value in yet. */
  reserved = 0;
  /** Senders waiting for room, first come first served (a `Set` keeps insertion order). */
  readonly sendWaiters = new NativeSet<MpscSend<T>>();
  /** `recv()` futures waiting for a value. */
  readonly recvWaiters = new NativeSet<MpscRecv<T>>();

  constructor(readonly bound: number) {}

  get length(): number {
    return this.items.length - this.head;
  }

  /** Room for a sender that is not in line. */
  free(): number {
    return this.bound - this.length - this.reserved;
  }

  /** Puts a value in and wakes one waiting receiver. */
  push(value: T): void {
    this.items[this.items.length] = value;
    this.notifyReceiver();
  }

  /** Takes the oldest value (the caller checked `length`), then hands the room it leaves on. */
  shift(): T {
    const value = this.items[this.head]!;
    this.items[this.head++] = undefined as T;
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      arraySplice(this.items, 0, this.head);
      this.head = 0;
    }
    this.grant();
    if (this.length > 0) this.notifyReceiver();
    return value;
  }

  /** Drops every buffered value. */
  clear(): void {
    this.items.length = 0;
    this.head = 0;
  }

  /** Closed and drained: `recv()` answers done from now on. */
  ended(): boolean {
    return this.length === 0 && (this.closed || (this.senders === 0 && setSize(this.sendWaiters) === 0 && this.reserved === 0));
  }

  /** Hands free room to the senders first in line, and wakes each of them. */
  grant(): void {
    if (this.closed) return;
    while (this.free() > 0) {
      const waiter = firstInSet(this.sendWaiters);
      if (waiter === undefined) return;
      setDelete(this.sendWaiters, waiter);
      this.reserved++;
      waiter.granted();
    }
  }

  /** Wakes the first waiting receiver (it leaves the line; if it is dropped unpolled it passes the wake on). */
  notifyReceiver(): void {
    const waiter = firstInSet(this.recvWaiters);
    if (waiter === undefined) return;
    setDelete(this.recvWaiters, waiter);
    waiter.notify();
  }

  /** The channel ended: wake every waiting receiver to answer done. */
  endIfDrained(): void {
    if (!this.ended()) return;
    const waiters = setValues(this.recvWaiters);
    setClear(this.recvWaiters);
    for (let i = 0; i < waiters.length; i++) waiters[i]!.notify();
  }

  /** No more sends: waiting senders are woken to hand their values back. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const waiters = setValues(this.sendWaiters);
    setClear(this.sendWaiters);
    for (let i = 0; i < waiters.length; i++) waiters[i]!.wake();
    this.endIfDrained();
  }
}

/**
 * A bounded channel with many senders and one receiver: `[tx, rx]`. At most `bound` values wait
 * in it; a `send` beyond that waits for room (back-pressure). tokio's `mpsc::channel`.
 */
export function channel<T>(bound: number): [Sender<T>, Receiver<T>] {
  if (!(numberIsInteger(bound) && bound >= 1)) throw new NativeRangeError(`channel() needs a bound of at least 1, not ${describeValue(bound)}`);
  const state = new MpscState<T>(bound);
  return [new Sender(state), new Receiver(state)];
}

/** A channel without a bound: sends never wait. tokio's `mpsc::unbounded_channel`. */
export function unboundedChannel<T>(): [Sender<T>, Receiver<T>] {
  const state = new MpscState<T>(1 / 0);
  return [new Sender(state), new Receiver(state)];
}

/** A sending half of an mpsc channel. Clone it for more senders; the channel closes when all are dropped. */
export class Sender<T> {
  private dropped = false;

  /** Made by `channel()`, `unboundedChannel()` and `clone()`. */
  constructor(private readonly state: MpscState<T>) {}

  /**
   * A future that sends `value`, waiting while the channel is full; it answers `{ ok: true }`, or
   * `{ ok: false, value }` if the receiver is closed or dropped. Like every future it does nothing
   * until awaited; dropped before it finishes, it has not sent.
   */
  send(value: T): FutureBase<SendResult<T>> {
    this.check("send");
    return new MpscSend(this.state, value);
  }

  /** Sends now if there is room and nobody is waiting in line before; otherwise says why not. */
  trySend(value: T): TrySendResult<T> {
    this.check("trySend");
    const state = this.state;
    if (state.closed) return { ok: false, reason: "closed", value };
    if (setSize(state.sendWaiters) > 0 || state.free() <= 0) return { ok: false, reason: "full", value };
    state.push(value);
    return SEND_OK;
  }

  /** Another sender on the same channel. */
  clone(): Sender<T> {
    this.check("clone");
    this.state.senders++;
    return new Sender(this.state);
  }

  /** True when the receiver is closed or dropped: sends fail. */
  isClosed(): boolean {
    return this.state.closed;
  }

  /** Lets this sender go. When the last one goes, the receiver drains what is left and then sees done. */
  drop(): void {
    if (this.dropped) return;
    this.dropped = true;
    this.state.senders--;
    if (this.state.senders === 0) this.state.endIfDrained();
  }

  private check(what: string): void {
    if (this.dropped) throw new NativeError(`${what}() on a dropped Sender`);
  }
}

/** The receiving half of an mpsc channel. Also an async iterable for code that is not lowered. */
export class Receiver<T> {
  private dropped = false;

  /** Made by `channel()` and `unboundedChannel()`. */
  constructor(private readonly state: MpscState<T>) {}

  /** How many values wait in the channel. */
  get length(): number {
    return this.state.length;
  }

  /** A future of the next value (`{ done: false, value }`), or `{ done: true }` once closed and drained. */
  recv(): FutureBase<RecvResult<T>> {
    return new MpscRecv(this.state);
  }

  /** The next value if one is there, without waiting. */
  tryRecv(): TryRecvResult<T> {
    const state = this.state;
    if (state.length > 0) return { ok: true, value: state.shift() };
    if (state.ended()) {
      state.closed = true;
      return { ok: false, reason: "closed" };
    }
    return { ok: false, reason: "empty" };
  }

  /** No more sends (waiting senders get their values back); the values already sent can still be received. */
  close(): void {
    this.state.close();
  }

  /** Closes the channel and drops the values still in it. */
  drop(): void {
    if (this.dropped) return;
    this.dropped = true;
    this.state.clear();
    this.state.close();
    this.state.endIfDrained();
  }

  /**
   * `for await (const v of rx)` in code that is not lowered: each `next()` is a `recv()` run as a
   * task (see `promiseOf`). Leaving the loop early leaves the receiver open.
   */
  [symbolAsyncIterator](): AsyncIterator<T, undefined> {
    return { next: () => promiseOf(this.recv()) };
  }
}

disposableByDrop(Sender);
disposableByDrop(Receiver);

/** The future of `Sender.send`. */
class MpscSend<T> extends FutureBase<SendResult<T>> {
  private phase: typeof SEND_IDLE | typeof SEND_WAITING | typeof SEND_GRANTED | typeof SEND_FINISHED = SEND_IDLE;
  private waker: Waker | null = null;
  private result: SendResult<T> | null = null;

  constructor(
    private readonly state: MpscState<T>,
    private value: T | undefined,
  ) {
    super();
  }

  poll(cx: Context): Poll<SendResult<T>> {
    if (this.result !== null) return this.result;
    const state = this.state;
    if (state.closed) return this.finish({ ok: false, value: this.value as T });
    if (this.phase === SEND_GRANTED) {
      this.phase = SEND_FINISHED;
      state.reserved--;
      state.push(this.value as T);
      return this.finish(SEND_OK);
    }
    if (this.phase === SEND_IDLE) {
      if (setSize(state.sendWaiters) === 0 && state.free() > 0) {
        state.push(this.value as T);
        return this.finish(SEND_OK);
      }
      this.phase = SEND_WAITING;
      setAdd(state.sendWaiters, this);
    }
    this.waker = cx.waker;
    return PENDING;
  }

  /** For `MpscState.grant`: room was reserved for this send. */
  granted(): void {
    this.phase = SEND_GRANTED;
    this.wake();
  }

  /** For the state: wakes this send's task. */
  wake(): void {
    const waker = this.waker;
    this.waker = null;
    waker?.wake();
  }

  /** Leaves the line unsent; room reserved for it goes to the next sender in line. */
  override drop(): void {
    const state = this.state;
    const phase = this.phase;
    this.phase = SEND_FINISHED;
    this.waker = null;
    this.value = undefined;
    if (phase === SEND_WAITING) {
      setDelete(state.sendWaiters, this);
    } else if (phase === SEND_GRANTED) {
      state.reserved--;
      state.grant();
    } else {
      return;
    }
    if (state.senders === 0) state.endIfDrained();
  }

  private finish(result: SendResult<T>): SendResult<T> {
    const state = this.state;
    if (this.phase === SEND_WAITING) setDelete(state.sendWaiters, this);
    else if (this.phase === SEND_GRANTED) state.reserved--;
    this.phase = SEND_FINISHED;
    this.waker = null;
    this.value = undefined;
    this.result = result;
    return result;
  }
}

/** The future of `Receiver.recv`. */
class MpscRecv<T> extends FutureBase<RecvResult<T>> {
  private waker: Waker | null = null;
  /** Woken for a value and out of the line, not polled since. */
  private notified = false;
  private result: RecvResult<T> | null = null;

  constructor(private readonly state: MpscState<T>) {
    super();
  }

  poll(cx: Context): Poll<RecvResult<T>> {
    if (this.result !== null) return this.result;
    const state = this.state;
    this.notified = false;
    if (state.length > 0) {
      setDelete(state.recvWaiters, this);
      return this.finish({ done: false, value: state.shift() });
    }
    if (state.ended()) {
      setDelete(state.recvWaiters, this);
      state.closed = true;
      return this.finish(RECV_DONE);
    }
    setAdd(state.recvWaiters, this);
    this.waker = cx.waker;
    return PENDING;
  }

  /** For the state: a value came (or the end); wake this receiver's task. */
  notify(): void {
    this.notified = true;
    const waker = this.waker;
    this.waker = null;
    waker?.wake();
  }

  /** Leaves the line without taking a value; a wake it got for one goes to the next receiver. */
  override drop(): void {
    const state = this.state;
    setDelete(state.recvWaiters, this);
    this.waker = null;
    if (this.notified && this.result === null && state.length > 0) state.notifyReceiver();
    this.notified = false;
  }

  private finish(result: RecvResult<T>): RecvResult<T> {
    this.waker = null;
    this.result = result;
    return result;
  }
}
