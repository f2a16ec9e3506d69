// A Map whose entries expire and whose size is capped, so emulator state stays flat under load.
// Each insert drops expired entries from the oldest end (they mostly expire in insertion order), and
// a full sweep runs once the inserts since the last one reach half the size: amortised O(1) per insert.

export interface ExpiringMapOptions {
  /** Past this many entries the oldest is dropped, live or not. */
  maxEntries: number;
  now?: () => number;
}

export class ExpiringMap<V> {
  readonly #entries = new Map<string, { value: V; expiresAt: number }>();
  readonly #max: number;
  readonly #now: () => number;
  #insertsSinceFullSweep = 0;

  constructor(options: ExpiringMapOptions) {
    this.#max = options.maxEntries;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  set(key: string, value: V, expiresAt: number): void {
    this.#insertsSinceFullSweep += 1;
    if (this.#insertsSinceFullSweep >= Math.max(64, this.#entries.size / 2)) this.sweepAll();
    else this.sweep();
    this.#entries.delete(key);
    while (this.#entries.size >= this.#max) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { value, expiresAt });
  }

  /** The live value, or undefined (an expired entry is removed on the way). */
  get(key: string): V | undefined {
    const e = this.#entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt < this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Removes the entry and returns it when it was live: single use. */
  take(key: string): V | undefined {
    const v = this.get(key);
    this.#entries.delete(key);
    return v;
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  /** Drops expired entries from the oldest end, stopping at the first live one. */
  sweep(): void {
    const now = this.#now();
    for (const [k, e] of this.#entries) {
      if (e.expiresAt >= now) break;
      this.#entries.delete(k);
    }
  }

  /** Drops every expired entry. */
  sweepAll(): void {
    this.#insertsSinceFullSweep = 0;
    const now = this.#now();
    for (const [k, e] of this.#entries) if (e.expiresAt < now) this.#entries.delete(k);
  }

  values(): V[] {
    const now = this.#now();
    return [...this.#entries.values()].filter((e) => e.expiresAt >= now).map((e) => e.value);
  }
}
