/** Logging and timing helpers; `ticks` is an exported binding written inside an async function. */
export let ticks = 0;

export function log(...parts: unknown[]): void {
  console.log(parts.map(String).join(" "));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** One microtask turn, logged: concurrent flows interleave on these. */
export async function tick(label: string): Promise<string> {
  await null;
  ticks++;
  log("tick", label);
  return label;
}
