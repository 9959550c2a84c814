/**
 * The served-model pointer, cached for a short TTL so each warm request does not read DynamoDB, yet a promotion or
 * rollback is seen within TTL seconds. Concurrent refreshes share one read (single flight). When a refresh fails
 * and an older value exists, the older value is served (a DynamoDB hiccup must not take predictions down).
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
      if (hasValue && now() - readAt < ttlMs) return Promise.resolve(value);
      return refresh();
    },
    invalidate() {
      hasValue = false;
      readAt = -Infinity;
    },
  };
}
