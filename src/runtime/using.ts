/**
 * The disposal scope of a block's `using` and `await using` declarations (explicit resource
 * management), for the `try`/`finally` the compiler writes around the rest of the block
 * (normalize/using.ts). Engines without the syntax still run the output.
 *
 *   [source]   { using r = lock(); work(r); }
 *   [lowered]  { const $using1 = $rt.usingScope();
 *                try { const r = $using1.use(lock()); work(r); }
 *                catch ($usingError1) { $using1.fail($usingError1); } finally { $using1.dispose(); } }
 */

import { callFunction, NativeError, NativeSuppressedError, NativeTypeError, symbolAsyncDispose, symbolDispose } from "./intrinsics.js";

/** The engine's SuppressedError, or one of the same shape: an error that hides another. */
const SuppressedErrorClass: new (error: unknown, suppressed: unknown, message?: string) => Error =
  NativeSuppressedError ??
  class SuppressedError extends NativeError {
    constructor(
      readonly error: unknown,
      readonly suppressed: unknown,
      message = "An error was suppressed during disposal.",
    ) {
      super(message);
      this.name = "SuppressedError";
    }
  };

interface Resource {
  value: unknown;
  dispose: ((this: unknown) => unknown) | undefined;
  async: boolean;
}

export class UsingScope {
  private readonly resources: Resource[] = [];
  private failed = false;
  private error: unknown = undefined;

  /** `using x = value`: its `[Symbol.dispose]()` runs when the block ends (null and undefined are skipped). */
  use<T>(value: T): T {
    if (value === null || value === undefined) return value;
    const method = (value as Record<symbol, unknown>)[symbolDispose];
    if (typeof method !== "function") throw new NativeTypeError("the value of a `using` declaration must have a [Symbol.dispose]() method");
    this.add({ value, dispose: method as (this: unknown) => unknown, async: false });
    return value;
  }

  /** `await using x = value`: its `[Symbol.asyncDispose]()` (else `[Symbol.dispose]()`) runs and is awaited when the block ends. */
  useAsync<T>(value: T): T {
    if (value === null || value === undefined) {
      this.add({ value, dispose: undefined, async: true });
      return value;
    }
    let method = (value as Record<symbol, unknown>)[symbolAsyncDispose];
    if (method === undefined || method === null) method = (value as Record<symbol, unknown>)[symbolDispose];
    if (typeof method !== "function") throw new NativeTypeError("the value of an `await using` declaration must have a [Symbol.asyncDispose]() or [Symbol.dispose]() method");
    this.add({ value, dispose: method as (this: unknown) => unknown, async: true });
    return value;
  }

  /** The block is being left by an exception: disposal goes on, and rethrows it (maybe wrapped). */
  fail(error: unknown): void {
    this.failed = true;
    this.error = error;
  }

  /** Disposes in reverse order; throws the block's error, or the disposal errors, wrapped in SuppressedError. */
  dispose(): void {
    while (this.resources.length > 0) {
      const r = this.take();
      try {
        if (r.dispose !== undefined) callFunction(r.dispose, r.value);
      } catch (error) {
        this.suppress(error);
      }
    }
    this.rethrow();
  }

  /** The same for a block with `await using`: each async disposal is awaited before the next. */
  async disposeAsync(): Promise<void> {
    while (this.resources.length > 0) {
      const r = this.take();
      try {
        const result = r.dispose === undefined ? undefined : callFunction(r.dispose, r.value);
        if (r.async) await result;
      } catch (error) {
        this.suppress(error);
      }
    }
    this.rethrow();
  }

  private add(resource: Resource): void {
    this.resources[this.resources.length] = resource;
  }

  /** The resource added last, taken off the list (the list is the runtime's own: no `pop` a program could patch). */
  private take(): Resource {
    const r = this.resources[this.resources.length - 1]!;
    this.resources.length--;
    return r;
  }

  private suppress(error: unknown): void {
    this.error = this.failed ? new SuppressedErrorClass(error, this.error) : error;
    this.failed = true;
  }

  private rethrow(): void {
    if (!this.failed) return;
    const error = this.error;
    this.failed = false;
    this.error = undefined;
    throw error;
  }
}

export function usingScope(): UsingScope {
  return new UsingScope();
}
