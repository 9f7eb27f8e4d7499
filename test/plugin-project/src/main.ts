/** The entry point: concurrent flows over the other modules, everything they do is logged. */
import { log, sleep, tick, ticks } from "./log.js";
import * as stores from "./store.js";
import summary, { Failure, race, retry, work } from "./worker.js";

async function main(): Promise<void> {
  const store = await stores.Store.open({ a: 1, b: 2, c: 3 });
  const counting = new stores.CountingStore();
  await counting.putAll([["a", 4], ["b", 5]]);
  const [one, two] = await Promise.all([work("w1", store, ["a", "zz", "c"]), work("w2", counting, ["b", "a", "q"])]);
  log("totals", one, two, counting.reads);
  log("race", (await race(counting)).join(","));
  const value = await retry("r", 3, async (attempt) => {
    await tick(`try ${attempt}`);
    if (attempt < 2) throw new Failure(`attempt ${attempt}`);
    return attempt * 7;
  });
  log("retry", value);
  try {
    await retry("never", 2, async () => {
      await sleep(1);
      throw new Failure("nope");
    });
  } catch (e) {
    log("gave up", (e as Error).message);
  } finally {
    log("after retries");
  }
  const steps: string[] = [];
  await Promise.all(
    [1, 2, 3].map(async (n) => {
      steps.push(`s${n}`);
      await tick(`n${n}`);
      steps.push(`e${n}`);
    }),
  );
  log("interleave", steps.join(" "));
  log("summary", await summary([Promise.resolve(1), tick("2").then(Number), sleep(1).then(() => 3)]));
  log("ticks", ticks);
}

log("sync start");
main().then(
  () => log("done"),
  (e: unknown) => log("failed", e),
);
log("sync end");
