import { performance } from 'node:perf_hooks';

export function median(values) {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Wall time of one call, in milliseconds. */
export async function time(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}
