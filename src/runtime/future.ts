/** `Future<T>`: anything that can be polled to completion. */
import type { Context } from "./context.js";
import type { Poll } from "./poll.js";

export interface Future<T> {
  /** Make progress. Returns the value when done, or `PENDING` after arranging to be woken. */
  poll(cx: Context): Poll<T>;
}
