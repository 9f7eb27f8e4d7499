/**
 * `super` inside a lowered method. The machine's `poll` is not the method, so it cannot say
 * `super`; the wrapper method (which can) hands the machine a small accessor object instead.
 *
 *   [source]   async m() { await x; return super.m(); }
 *   [lowered]  m() { return $rt.promise(new m$Future(this, $rt.superAccess((k) => super[k], (k, v) => (super[k] = v)))); }
 *              ... $rt.call(this.$super.get("m"), this.$this)
 */
export interface SuperAccess {
  get(key: PropertyKey): unknown;
  set(key: PropertyKey, value: unknown): unknown;
}

export function superAccess(
  get: (key: PropertyKey) => unknown,
  set: (key: PropertyKey, value: unknown) => unknown,
): SuperAccess {
  return { get, set };
}
