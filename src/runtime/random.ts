/**
 * The executor's random numbers: a small generator the runtime owns and seeds, so that what it
 * decides at random (which branch of a fair `select` is polled first, as tokio picks one) is the
 * same on every run with the same seed. xorshift32 over a seed scrambled once (the finaliser of
 * a 32-bit hash), so that seeds next to each other start far apart.
 *
 *   new Runtime({ clock: "virtual", seed: 7 })    // or UNAWAIT_SEED=7 in the environment
 */
import { mathFloor, mathImul } from "./intrinsics.js";

export class SeededRandom {
  private state: number;

  constructor(readonly seed: number) {
    let z = (seed ^ 0x9e3779b9) | 0;
    z = mathImul(z ^ (z >>> 16), 0x85ebca6b);
    z = mathImul(z ^ (z >>> 13), 0xc2b2ae35);
    z ^= z >>> 16;
    this.state = z === 0 ? 0x6d2b79f5 : z;
  }

  /** An integer from 0 to `n - 1`, from the high bits (xorshift's low bits are its weakest). */
  below(n: number): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x;
    return mathFloor(((x >>> 0) / 0x100000000) * n);
  }
}
