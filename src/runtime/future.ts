/** `Future<T>`: anything that can be polled to completion. */
import type { Context } from "./context.js";
import type { Poll } from "./poll.js";

export interface Future<T> {
  /** Make progress. Returns the value when done, or `PENDING` after arranging to be woken. */
  poll(cx: Context): Poll<T>;
  /**
   * Cancel: the future will not be polled again. Lets go of what it holds (timers, wakers,
   * the futures it awaits, recursively). Rust's `Drop`. Optional: a future without it holds
   * nothing that needs letting go.
   */
  drop?(): void;
}

/** Drops `future` if it can be dropped. */
export function dropFuture(future: Future<unknown> | null | undefined): void {
  future?.drop?.();
}
