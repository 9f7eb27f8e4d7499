/**
 * The timers of one executor: a binary min-heap ordered by deadline, then by the order the timers
 * were set, so timers with the same deadline fire in the order they were set (deterministic runs).
 * A cancelled timer stays in the heap, marked, and is skipped when it comes out.
 */
import type { Waker } from "./context.js";

export interface Timer {
  readonly deadline: number;
  readonly seq: number;
  /** Woken when the deadline passes; replaced by each poll of the timer's future. */
  waker: Waker | null;
  fired: boolean;
  cancelled: boolean;
}

export class TimerQueue {
  private readonly heap: Timer[] = [];
  private nextSeq = 0;
  private live = 0;

  /** Timers set and neither fired nor cancelled. */
  get size(): number {
    return this.live;
  }

  add(deadline: number, waker: Waker): Timer {
    const timer: Timer = { deadline, seq: this.nextSeq++, waker, fired: false, cancelled: false };
    this.heap[this.heap.length] = timer;
    this.up(this.heap.length - 1);
    this.live++;
    return timer;
  }

  cancel(timer: Timer): void {
    if (timer.fired || timer.cancelled) return;
    timer.cancelled = true;
    timer.waker = null;
    this.live--;
  }

  /** The deadline of the next timer to fire, or undefined when none is set. */
  nextDeadline(): number | undefined {
    this.skipCancelled();
    return this.heap[0]?.deadline;
  }

  /** Fires, in order, every timer whose deadline is at or before `now`. */
  fireUntil(now: number): void {
    for (;;) {
      this.skipCancelled();
      const top = this.heap[0];
      if (!top || top.deadline > now) return;
      this.pop();
      top.fired = true;
      this.live--;
      const waker = top.waker;
      top.waker = null;
      waker?.wake();
    }
  }

  private skipCancelled(): void {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.pop();
  }

  private pop(): void {
    const last = this.heap[this.heap.length - 1]!;
    this.heap.length--;
    if (this.heap.length === 0) return;
    this.heap[0] = last;
    this.down(0);
  }

  private before(a: Timer, b: Timer): boolean {
    return a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);
  }

  private up(i: number): void {
    const heap = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(heap[i]!, heap[parent]!)) return;
      swap(heap, i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const heap = this.heap;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < heap.length && this.before(heap[left]!, heap[least]!)) least = left;
      if (right < heap.length && this.before(heap[right]!, heap[least]!)) least = right;
      if (least === i) return;
      swap(heap, i, least);
      i = least;
    }
  }
}

function swap(heap: Timer[], i: number, j: number): void {
  const t = heap[i]!;
  heap[i] = heap[j]!;
  heap[j] = t;
}
