/**
 * What a lowered function looks like to a program that inspects it. A wrapper is an ordinary
 * function; this gives it the prototype of an async function, so that `instanceof`,
 * `.constructor` and `Object.prototype.toString` answer as they did for the original.
 */

const AsyncFunctionPrototype: object = Object.getPrototypeOf(async function () {}) as object;

/**
 * Marks `fn` as an async function. `name` restores the name an anonymous function had from its
 * context (`const f = async () => {}` is named "f"), which wrapping it in this call would lose.
 */
export function asyncFunction<F extends (...args: never[]) => unknown>(fn: F, name?: string): F {
  Object.setPrototypeOf(fn, AsyncFunctionPrototype);
  if (name !== undefined) Object.defineProperty(fn, "name", { value: name, configurable: true });
  return fn;
}
