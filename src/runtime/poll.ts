/**
 * `Poll<T>`: the answer of `Future.poll` — the value itself when the future is ready, or the
 * `PENDING` marker. Rust writes `Poll::Ready(v)` / `Poll::Pending`; here `ready(v)` is `v`, so a
 * ready poll allocates nothing.
 */
import { freeze } from "./intrinsics.js";

declare const pendingBrand: unique symbol;
/** The type of `PENDING`. */
export type Pending = { readonly [pendingBrand]: true };

/** "Not ready yet: I have arranged to be woken." */
export const PENDING: Pending = freeze({ toString: () => "PENDING" }) as unknown as Pending;

export type Poll<T> = T | Pending;

/** `Poll::Ready(value)`. */
export function ready<T>(value: T): Poll<T> {
  return value;
}

export function isPending<T>(poll: Poll<T>): poll is Pending {
  return poll === PENDING;
}
