// Checks: a script that replaces Array.prototype[Symbol.iterator] sees no iteration native code does not make: lowered, the runtime's asyncMethods iterates its key list with for…of, and the patched iterator logs once more (issue 13 item 3, an Array.prototype method the runtime calls late; found by `npm run fuzz -- --seed 1303 --features shadowed-globals`).
(function (values) {
  Array.prototype[Symbol.iterator] = function () {
    console.log("array iterator", this.length);
    return values.call(this);
  };
})(Array.prototype[Symbol.iterator]);
const o = { async f() { return 1; } };
o.f().then((v) => console.log("result", v));
