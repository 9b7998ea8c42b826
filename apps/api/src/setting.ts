/** Told the new value after every change (not after a set to the value already held). */
export type SettingListener<T> = (value: T) => void;

/**
 * One run-time setting of the API: a value read where behaviour depends on it, changed
 * while the server runs (an admin route, a layer registered on top, a test), and the code that keeps
 * state derived from it (timers, open sockets, a cache) is told. Plugins decorate the app
 * with the settings they read, named for what they decide: `app.deadlinePolicy`,
 * `app.heartbeatPolicy`, `app.corsPreflight`, `app.requestIdPolicy`, `app.customerNameComparator`.
 */
export interface Setting<T> {
  get(): T;
  set(value: T): void;
  /** Returns an unsubscribe. */
  onChange(listener: SettingListener<T>): () => void;
}

export function createSetting<T>(initial: T): Setting<T> {
  let current = initial;
  const listeners = new Set<SettingListener<T>>();
  return {
    get: () => current,
    set(value) {
      if (Object.is(value, current)) return;
      current = value;
      for (const listener of listeners) listener(value);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
