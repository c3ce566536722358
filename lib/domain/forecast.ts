import type { Deal, Pipeline } from '@/lib/model';
import { stageOf } from './pipeline';

export interface ForecastMonth {
  /** `yyyy-mm` in the local zone. */
  month: string;
  /** Σ amount × probability of the deal's current stage. */
  weighted: number;
  /** Σ amount, unweighted, for context. */
  total: number;
  deals: number;
}

export interface Forecast {
  months: ForecastMonth[];
  /** Open deals left out because they lack an amount or an expected close date. */
  unscheduled: number;
  currency: string | undefined;
  /** Deals in another currency than the first one seen: never summed across currencies. */
  otherCurrency: number;
}

export function monthKey(t: number): string {
  const d = new Date(t);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

/**
 * Weighted forecast by expected-close month for open deals. Overdue close dates fold into the
 * current month: the money is still expected, just late.
 */
export function weightedForecast(deals: Deal[], pipelines: Pipeline[], now: number, horizonMonths = 6): Forecast {
  const byId = new Map(pipelines.map((p) => [p.id, p]));
  const currentMonth = monthKey(now);
  const buckets = new Map<string, ForecastMonth>();
  const start = new Date(now);
  for (let i = 0; i < horizonMonths; i++) {
    const key = monthKey(new Date(start.getFullYear(), start.getMonth() + i, 1).getTime());
    buckets.set(key, { month: key, weighted: 0, total: 0, deals: 0 });
  }
  let unscheduled = 0;
  let otherCurrency = 0;
  let currency: string | undefined;
  for (const d of deals) {
    if (d.status !== 'open' || d.deletedAt) continue;
    if (!d.amount || d.expectedCloseAt === undefined) {
      unscheduled++;
      continue;
    }
    currency ??= d.amount.currency;
    if (d.amount.currency !== currency) {
      otherCurrency++;
      continue;
    }
    const p = byId.get(d.pipelineId);
    const prob = p ? (stageOf(p, d.stageId)?.probability ?? 0) : 0;
    let key = monthKey(d.expectedCloseAt);
    if (key < currentMonth) key = currentMonth;
    const b = buckets.get(key);
    // Beyond the horizon: not drawn, but not silently lost either.
    if (!b) {
      unscheduled++;
      continue;
    }
    b.weighted += d.amount.value * prob;
    b.total += d.amount.value;
    b.deals++;
  }
  return { months: [...buckets.values()], unscheduled, currency, otherCurrency };
}

export interface SourceRevenue {
  source: string;
  won: number;
  deals: number;
}

/** Won revenue per lead source, biggest first; deals without a source are "Unknown". */
export function wonRevenueBySource(deals: Deal[], currency?: string): SourceRevenue[] {
  const out = new Map<string, SourceRevenue>();
  for (const d of deals) {
    if (d.status !== 'won' || d.deletedAt || !d.amount) continue;
    if (currency && d.amount.currency !== currency) continue;
    const key = d.leadSource?.trim() || 'Unknown';
    const r = out.get(key) ?? { source: key, won: 0, deals: 0 };
    r.won += d.amount.value;
    r.deals++;
    out.set(key, r);
  }
  return [...out.values()].sort((a, b) => b.won - a.won || a.source.localeCompare(b.source));
}

export function formatMoney(value: number, currency = 'USD', compact = false): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency, maximumFractionDigits: 0, notation: compact ? 'compact' : 'standard' }).format(value);
  } catch {
    return `${Math.round(value)} ${currency}`;
  }
}
