import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { Card, EmptyState, Loading, Select } from '@/components/ui';
import { useNow } from '@/components/hooks/useNow';
import { usePipelines, useSettings } from '@/components/hooks/useStore';
import { db } from '@/lib/db';
import { formatMoney, weightedForecast, wonRevenueBySource } from '@/lib/domain/forecast';
import { dealsByStage, stageAnalytics } from '@/lib/domain/stage-analytics';
import type { Deal } from '@/lib/model';
import { ForecastChart } from './ForecastChart';

/** Deals by stage, the weighted forecast, stage conversion and time, and won revenue by source. */
export function PipelineView({ onOpenDeal }: { onOpenDeal: (deal: Deal) => void }) {
  const now = useNow();
  const pipelines = usePipelines();
  const settings = useSettings();
  const deals = useLiveQuery(async () => (await db.deals.toArray()).filter((d) => !d.deletedAt), []);
  const [pipelineId, setPipelineId] = useState<string | null>(null);
  if (!pipelines || !deals) return <Loading label="Loading pipeline…" />;
  const pipeline = pipelines.find((p) => p.id === pipelineId) ?? pipelines.find((p) => p.isDefault) ?? pipelines[0]!;
  const inPipeline = deals.filter((d) => d.pipelineId === pipeline.id);
  if (!inPipeline.length)
    return <EmptyState title="No deals yet">Create a deal from a contact beside a thread; the forecast and stage figures appear here.</EmptyState>;
  const forecast = weightedForecast(inPipeline, [pipeline], now);
  const currency = forecast.currency ?? settings?.defaultCurrency ?? 'USD';
  const columns = dealsByStage(inPipeline, pipeline);
  const stats = stageAnalytics(inPipeline, pipeline);
  const bySource = wonRevenueBySource(inPipeline, currency);
  const pct = (x?: number) => (x === undefined ? '–' : `${Math.round(x * 100)}%`);
  const days = (x?: number) => (x === undefined ? '–' : x < 10 ? x.toFixed(1) : String(Math.round(x)));
  return (
    <div className="flex flex-col gap-3">
      {pipelines.length > 1 && (
        <Select label="Pipeline" value={pipeline.id} onChange={(e) => setPipelineId(e.target.value)}>
          {pipelines.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </Select>
      )}
      <Card title="Weighted forecast">
        <ForecastChart months={forecast.months} currency={currency} />
        <p className="text-xs text-slate-500 dark:text-slate-400">
          Amount × stage probability, by expected close month. Total {formatMoney(forecast.months.reduce((n, m) => n + m.weighted, 0), currency)}.
          {forecast.unscheduled > 0 && ` ${forecast.unscheduled} open deal${forecast.unscheduled === 1 ? '' : 's'} without an amount or close date in range.`}
          {forecast.otherCurrency > 0 && ` ${forecast.otherCurrency} in another currency left out.`}
        </p>
      </Card>
      <Card title="Open deals by stage">
        <ul className="flex flex-col gap-2">
          {columns.map((c) => (
            <li key={c.stageId}>
              <h3 className="flex justify-between text-xs font-semibold">
                <span>
                  {c.name} <span className="font-normal text-slate-500">({c.deals.length})</span>
                </span>
                <span className="font-normal text-slate-600 dark:text-slate-400">{formatMoney(c.total, currency)}</span>
              </h3>
              {c.deals.length > 0 && (
                <ul className="mt-1 flex flex-col gap-0.5">
                  {c.deals.slice(0, 20).map((d) => (
                    <li key={d.id}>
                      <button type="button" onClick={() => onOpenDeal(d)} className="flex w-full justify-between gap-2 rounded px-1 py-0.5 text-left text-xs hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-600 dark:hover:bg-slate-800">
                        <span className="truncate">{d.name}</span>
                        <span className="shrink-0 text-slate-500">{d.amount ? formatMoney(d.amount.value, d.amount.currency, true) : ''}</span>
                      </button>
                    </li>
                  ))}
                  {c.deals.length > 20 && <li className="px-1 text-xs text-slate-500">and {c.deals.length - 20} more</li>}
                </ul>
              )}
            </li>
          ))}
        </ul>
      </Card>
      <Card title="Stage conversion and time">
        <table className="w-full text-xs">
          <thead>
            <tr className="text-left text-slate-500 dark:text-slate-400">
              <th scope="col" className="font-medium">Stage</th>
              <th scope="col" className="text-right font-medium">Entered</th>
              <th scope="col" className="text-right font-medium">To next</th>
              <th scope="col" className="text-right font-medium">Avg days</th>
            </tr>
          </thead>
          <tbody>
            {stats.map((s) => (
              <tr key={s.stageId} className="border-t border-slate-100 dark:border-slate-800">
                <th scope="row" className="py-0.5 text-left font-medium">{s.name}</th>
                <td className="text-right">{s.entered}</td>
                <td className="text-right">{pct(s.conversion)}</td>
                <td className="text-right">{days(s.avgDays)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card title="Won revenue by lead source">
        {bySource.length === 0 ? (
          <p className="text-xs text-slate-500 dark:text-slate-400">No won deals with an amount yet.</p>
        ) : (
          <ul className="flex flex-col gap-1 text-xs">
            {bySource.map((r) => {
              const share = r.won / Math.max(1, bySource[0]!.won);
              return (
                <li key={r.source} className="flex flex-col gap-0.5">
                  <div className="flex justify-between">
                    <span className="font-medium">{r.source}</span>
                    <span>
                      {formatMoney(r.won, currency)} <span className="text-slate-500">· {r.deals} deal{r.deals === 1 ? '' : 's'}</span>
                    </span>
                  </div>
                  <div aria-hidden="true" className="h-1.5 rounded bg-slate-100 dark:bg-slate-800">
                    <div className="h-full rounded bg-green-600 dark:bg-green-500" style={{ width: `${Math.round(share * 100)}%` }} />
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </Card>
    </div>
  );
}
