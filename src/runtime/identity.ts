/**
 * What a lowered function looks like to a program that inspects it. A wrapper is an ordinary
 * function; this gives it the prototype of an async function, so that `instanceof`,
 * `.constructor` and `Object.prototype.toString` answer as they did for the original.
 */

import { defineOwn, getPrototype, ownDescriptor, setPrototype } from "./intrinsics.js";

const AsyncFunctionPrototype: object = getPrototype(async function () {}) as object;

/**
 * Marks `fn` as an async function. `name` restores the name an anonymous function had from its
 * context (`const f = async () => {}` is named "f"), which wrapping it in this call would lose.
 */
export function asyncFunction<F extends (...args: never[]) => unknown>(fn: F, name?: string): F {
  setPrototype(fn, AsyncFunctionPrototype);
  if (name !== undefined) defineOwn(fn, "name", { value: name, configurable: true });
  return fn;
}

/**
 * Marks the lowered async methods of a class (`holder` is the class for static methods, its
 * prototype for the others) or of an object literal, by key, as async functions: an async
 * method's prototype is AsyncFunction.prototype, a plain method's Function.prototype. Called
 * right after the methods are defined (a class's first static block, or around the literal),
 * only for keys no later member of the same holder can have redefined (emit/asyncMethods.ts).
 */
export function asyncMethods<O extends object>(holder: O, keys: readonly string[]): O {
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const method: unknown = ownDescriptor(holder, key)?.value;
    if (typeof method === "function") setPrototype(method, AsyncFunctionPrototype);
  }
  return holder;
}

/**
 * Gives back the name an anonymous class had from its context. A class whose async methods use
 * private names keeps their machines in its own body, reached through a name of its own
 * (`class $class1 { static #m$Future = ... }`); its first static element restores `name`
 * (`var C = class { ... }` is named "C", a class passed as an argument "").
 */
export function className(cls: Function, name: string): void {
  defineOwn(cls, "name", { value: name });
}
