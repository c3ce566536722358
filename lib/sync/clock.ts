import type { Clock } from './types';

export function abortError(signal?: AbortSignal): Error {
  const r = signal?.reason;
  return r instanceof Error ? r : new DOMException('The sync was stopped.', 'AbortError');
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    const onAbort = () => {
      clearTimeout(t);
      reject(abortError(signal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const realClock: Clock = { now: () => Date.now(), sleep, random: Math.random };

/**
 * A clock that runs `factor` times faster than real time: a 10 s wait takes 10/factor s.
 * Rate-limit windows and backoffs keep their documented values in code; only time shrinks.
 */
export function scaledClock(factor: number, random: () => number = Math.random): Clock {
  const t0 = Date.now();
  return {
    now: () => t0 + (Date.now() - t0) * factor,
    sleep: (ms, signal) => sleep(ms / factor, signal),
    random,
  };
}
