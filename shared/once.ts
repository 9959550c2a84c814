/**
 * Resolve a handler's dependencies (a value or a factory) once, on first use: importing a handler never reads the
 * environment, and a warm container reuses its clients.
 */
export function once<T>(deps: T | (() => T)): () => T {
  let resolved: T | undefined;
  let done = false;
  return () => {
    if (!done) {
      resolved = typeof deps === 'function' ? (deps as () => T)() : deps;
      done = true;
    }
    return resolved as T;
  };
}
