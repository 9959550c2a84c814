/**
 * Loaded models by version, kept across invocations of a warm Lambda. Concurrent cold requests for one version share
 * one load (single flight); a failed load is not cached. Only the newest `capacity` versions stay in memory (the
 * previous one is kept so a rollback is instant); an evicted model is disposed once no request is using it.
 */

export interface Disposable {
  dispose(): void;
}

export interface ModelCache<M extends Disposable> {
  /**
   * Run `use` with the model of `version`, loading it first if needed. The model is not disposed while `use` runs,
   * even if a newer version evicts it meanwhile.
   */
  withModel<T>(version: string, use: (model: M) => T | Promise<T>): Promise<T>;
  /** Versions in memory or loading, oldest first. */
  versions(): string[];
  /** How many loads have started (single-flight check in tests and benches). */
  readonly loads: number;
}

interface Entry<M> {
  model: Promise<M>;
  users: number;
  evicted: boolean;
}

export function createModelCache<M extends Disposable>(load: (version: string) => Promise<M>, capacity = 2): ModelCache<M> {
  const entries = new Map<string, Entry<M>>();
  let loads = 0;

  const release = (entry: Entry<M>) => {
    if (entry.evicted && entry.users === 0) entry.model.then((m) => m.dispose(), () => undefined);
  };

  const entryFor = (version: string): Entry<M> => {
    const hit = entries.get(version);
    if (hit) {
      // Move to the newest position (Map keeps insertion order).
      entries.delete(version);
      entries.set(version, hit);
      return hit;
    }
    loads++;
    const entry: Entry<M> = { model: load(version), users: 0, evicted: false };
    entries.set(version, entry);
    entry.model.catch(() => {
      if (entries.get(version) === entry) entries.delete(version);
    });
    while (entries.size > capacity) {
      const [oldest, old] = entries.entries().next().value as [string, Entry<M>];
      entries.delete(oldest);
      old.evicted = true;
      release(old);
    }
    return entry;
  };

  return {
    async withModel(version, use) {
      const entry = entryFor(version);
      entry.users++;
      try {
        return await use(await entry.model);
      } finally {
        entry.users--;
        release(entry);
      }
    },
    versions: () => [...entries.keys()],
    get loads() {
      return loads;
    },
  };
}
