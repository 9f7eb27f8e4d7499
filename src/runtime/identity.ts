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

/**
 * Gives back the name an anonymous class had from its context. A class whose async methods use
 * private names keeps their machines in its own body, reached through a name of its own
 * (`class $class1 { static #m$Future = ... }`); its first static element restores `name`
 * (`var C = class { ... }` is named "C", a class passed as an argument "").
 */
export function className(cls: Function, name: string): void {
  Object.defineProperty(cls, "name", { value: name });
}
