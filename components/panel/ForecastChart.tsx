import { formatMoney, type ForecastMonth } from '@/lib/domain/forecast';

const W = 300;
const H = 120;
const PAD_B = 18;
const PAD_T = 14;

/**
 * Weighted forecast per month as bars, drawn inline: an SVG this small beats a chart library
 * on bundle size. Values are also in a visually hidden table for screen readers.
 */
export function ForecastChart({ months, currency }: { months: ForecastMonth[]; currency: string }) {
  const max = Math.max(1, ...months.map((m) => m.weighted));
  const slot = W / Math.max(1, months.length);
  const bar = Math.min(36, slot * 0.6);
  const label = (m: string) => new Date(Number(m.slice(0, 4)), Number(m.slice(5)) - 1, 1).toLocaleDateString(undefined, { month: 'short' });
  return (
    <figure className="flex flex-col gap-1">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Weighted forecast by expected close month" className="h-auto w-full text-blue-600 dark:text-blue-400">
        <line x1={0} x2={W} y1={H - PAD_B} y2={H - PAD_B} className="stroke-slate-300 dark:stroke-slate-700" strokeWidth={1} />
        {months.map((m, i) => {
          const h = ((H - PAD_B - PAD_T) * m.weighted) / max;
          const x = i * slot + (slot - bar) / 2;
          const y = H - PAD_B - h;
          return (
            <g key={m.month}>
              <rect x={x} y={y} width={bar} height={Math.max(h, m.weighted > 0 ? 1 : 0)} rx={2} fill="currentColor">
                <title>{`${label(m.month)}: ${formatMoney(m.weighted, currency)} weighted of ${formatMoney(m.total, currency)} (${m.deals} deals)`}</title>
              </rect>
              {m.weighted > 0 && (
                <text x={x + bar / 2} y={y - 3} textAnchor="middle" className="fill-slate-700 text-[9px] dark:fill-slate-300">
                  {formatMoney(m.weighted, currency, true)}
                </text>
              )}
              <text x={i * slot + slot / 2} y={H - 5} textAnchor="middle" className="fill-slate-500 text-[10px]">
                {label(m.month)}
              </text>
            </g>
          );
        })}
      </svg>
      <table className="sr-only">
        <caption>Weighted forecast by month</caption>
        <thead>
          <tr>
            <th scope="col">Month</th>
            <th scope="col">Weighted</th>
            <th scope="col">Total</th>
          </tr>
        </thead>
        <tbody>
          {months.map((m) => (
            <tr key={m.month}>
              <th scope="row">{m.month}</th>
              <td>{formatMoney(m.weighted, currency)}</td>
              <td>{formatMoney(m.total, currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
