/**
 * The served-model pointer, cached for a short TTL so each warm request does not read DynamoDB, yet a promotion or
 * rollback is seen within TTL seconds. Concurrent refreshes share one read (single flight); in the last fifth of the
 * TTL the read is started in the background (refresh ahead), so under steady traffic no request waits for it. When a
 * refresh fails and an older value exists, the older value is served (a DynamoDB hiccup must not take predictions down).
 */
import type { ServedPointer } from '../types';

export interface PointerCacheOptions {
  /** Seconds a read value is trusted; 0 re-reads on every call. */
  ttlSeconds: number;
  /** Clock in milliseconds (injectable for tests). */
  now?: () => number;
  /** Called when a refresh fails and the stale value is kept. */
  onStale?: (error: unknown) => void;
}

export interface PointerCache {
  /** The served pointer (undefined when no model is served), at most ttlSeconds old. */
  get(): Promise<ServedPointer | undefined>;
  /** Forget the cached value (next get() reads). */
  invalidate(): void;
}

/** Fraction of the TTL after which a get() also starts a background re-read. */
export const REFRESH_AHEAD_FRACTION = 0.8;

export function createPointerCache(read: () => Promise<ServedPointer | undefined>, options: PointerCacheOptions): PointerCache {
  const now = options.now ?? Date.now;
  const ttlMs = Math.max(0, options.ttlSeconds * 1000);
  let value: ServedPointer | undefined;
  let readAt = -Infinity;
  let hasValue = false;
  let inflight: Promise<ServedPointer | undefined> | undefined;

  const refresh = (): Promise<ServedPointer | undefined> => {
    inflight ??= (async () => {
      const startedAt = now();
      try {
        value = await read();
        hasValue = true;
        readAt = startedAt;
        return value;
      } catch (error) {
        if (!hasValue) throw error;
        options.onStale?.(error);
        return value;
      } finally {
        inflight = undefined;
      }
    })();
    return inflight;
  };

  return {
    get() {
      if (hasValue) {
        const age = now() - readAt;
        if (age < ttlMs) {
          // Refresh ahead: in the last part of the TTL, a request starts the re-read in the background and is served
          // the cached value, so steady traffic never waits for DynamoDB; only a caller after the full TTL waits.
          if (age >= ttlMs * REFRESH_AHEAD_FRACTION && !inflight) refresh().catch(() => undefined);
          return Promise.resolve(value);
        }
      }
      return refresh();
    },
    invalidate() {
      hasValue = false;
      readAt = -Infinity;
    },
  };
}
