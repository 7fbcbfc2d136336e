/** Promises that settle when the event count reaches a target, and sleeps that close() cuts short. */
export interface Waiters {
  /** Resolves once `count()` reaches `target`; rejects after `timeoutMs`. */
  waitFor(target: number, timeoutMs?: number): Promise<void>;
  /** Resolves true after `ms`, or false at once when stopped. */
  sleep(ms: number): Promise<boolean>;
  /** Re-checks every waiter; called whenever events are recorded. */
  check(): void;
  /** Ends every sleep (false) and rejects every pending wait. */
  stop(): void;
}

interface Pending {
  readonly settle: (value: boolean) => void;
  readonly timer: NodeJS.Timeout;
}

export function createWaiters(count: () => number): Waiters {
  const targets = new Map<Pending, number>();
  const sleeps = new Set<Pending>();
  let stopped = false;
  const release = (set: { delete(pending: Pending): boolean }, pending: Pending, ok: boolean) => {
    clearTimeout(pending.timer);
    set.delete(pending);
    pending.settle(ok);
  };
  return {
    waitFor(target, timeoutMs = 10_000) {
      if (count() >= target) return Promise.resolve();
      if (stopped) return Promise.reject(new Error("collector closed"));
      return new Promise((resolve, reject) => {
        const pending: Pending = {
          settle: (ok) => {
            if (ok) resolve();
            else reject(new Error(`expected ${target} events, got ${count()}`));
          },
          timer: setTimeout(() => {
            release(targets, pending, false);
          }, timeoutMs),
        };
        targets.set(pending, target);
      });
    },
    sleep(ms) {
      if (stopped) return Promise.resolve(false);
      return new Promise((resolve) => {
        const pending: Pending = {
          settle: resolve,
          timer: setTimeout(() => {
            release(sleeps, pending, true);
          }, ms),
        };
        sleeps.add(pending);
      });
    },
    check() {
      for (const [pending, target] of targets) {
        if (count() >= target) release(targets, pending, true);
      }
    },
    stop() {
      stopped = true;
      for (const pending of sleeps) release(sleeps, pending, false);
      for (const pending of targets.keys()) release(targets, pending, false);
    },
  };
}
