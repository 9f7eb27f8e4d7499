/** A class with async methods: instance, static, private state, `super` in an override. */
import { log, sleep, tick } from "./log.js";

export class Store<V> {
  protected items = new Map<string, V>();
  #writes = 0;

  async get(key: string): Promise<V | undefined> {
    await tick(`get ${key}`);
    return this.items.get(key);
  }

  async put(key: string, value: V): Promise<void> {
    await sleep(1);
    this.items.set(key, value);
    this.#writes++;
    log("put", key, this.#writes);
  }

  async putAll(entries: Array<[string, V]>): Promise<number> {
    let n = 0;
    for (const [key, value] of entries) {
      await this.put(key, value);
      n++;
    }
    return n;
  }

  static async open<V>(seed: Record<string, V>): Promise<Store<V>> {
    const store = new Store<V>();
    await store.putAll(Object.entries(seed));
    return store;
  }
}

export class CountingStore extends Store<number> {
  reads = 0;

  override async get(key: string): Promise<number | undefined> {
    this.reads++;
    const value = await super.get(key);
    return value === undefined ? undefined : value * 10;
  }
}
