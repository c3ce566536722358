import { AlertTriangle, RefreshCw } from 'lucide-react';
import { useState } from 'react';
import { Badge, Button, Progress } from '@/components/ui';
import { send } from '@/lib/messaging/client';
import type { Overview } from './useSyncOverview';

function ago(t: number | undefined, now: number): string {
  if (!t) return 'never';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return new Date(t).toLocaleString();
}

/** Last sync, queue, first-sync progress, refused records with retry, and conflicts to decide. */
export function SyncStatus({ overview: o, onChange, now = Date.now() }: { overview: Overview; onChange: () => void; now?: number }) {
  const [busy, setBusy] = useState<string | null>(null);
  const act = async (key: string, fn: () => Promise<unknown>) => {
    setBusy(key);
    try {
      await fn();
    } finally {
      setBusy(null);
      onChange();
    }
  };
  const firstSync = o.initial && !o.initial.done;
  return (
    <div className="flex flex-col gap-3 text-sm">
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
        <dt className="text-slate-500 dark:text-slate-400">Last sync</dt>
        <dd>{o.running ? <Badge tone="blue">Syncing…</Badge> : ago(o.lastSuccessAt, now)}</dd>
        <dt className="text-slate-500 dark:text-slate-400">Waiting to send</dt>
        <dd>{o.queue === 0 ? 'nothing' : `${o.queue} change${o.queue === 1 ? '' : 's'}`}</dd>
        <dt className="text-slate-500 dark:text-slate-400">Sent / received</dt>
        <dd>
          {o.pushed} / {o.pulled}
        </dd>
      </dl>
      {firstSync && <Progress label="First sync" value={o.progress?.done ?? (o.queue === 0 ? o.initial!.total : 0)} max={o.progress?.total ?? o.initial!.total} />}
      {o.lastError && (
        <p role="status" className="flex items-start gap-1.5 text-amber-800 dark:text-amber-300">
          <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
          {o.lastError}
        </p>
      )}
      <div>
        <Button size="sm" icon={<RefreshCw className="size-3.5" />} busy={busy === 'now' || o.running} onClick={() => void act('now', () => send('syncNow', {}))}>
          Sync now
        </Button>
      </div>

      {o.failures.length > 0 && (
        <section aria-labelledby="sync-failures" className="flex flex-col gap-2">
          <div className="flex items-center gap-2">
            <h3 id="sync-failures" className="font-medium">
              Not accepted by the CRM ({o.failures.length})
            </h3>
            <Button size="sm" variant="ghost" busy={busy === 'all'} onClick={() => void act('all', () => send('retryFailed', {}))}>
              Retry all
            </Button>
          </div>
          <ul className="flex flex-col gap-1.5">
            {o.failures.map((f) => (
              <li key={`${f.entity}:${f.entityId}`} className="flex items-start gap-2 rounded border border-red-200 p-2 dark:border-red-900">
                <div className="min-w-0 flex-1">
                  <div className="truncate font-medium">
                    {f.entity}: {f.label}
                  </div>
                  <div className="text-xs text-red-800 dark:text-red-300">{f.message}</div>
                </div>
                <Button size="sm" busy={busy === f.entityId} onClick={() => void act(f.entityId, () => send('retryFailed', { entity: f.entity, entityId: f.entityId }))}>
                  Retry
                </Button>
              </li>
            ))}
          </ul>
        </section>
      )}

      {o.conflicts.length > 0 && (
        <section aria-labelledby="sync-conflicts" className="flex flex-col gap-2">
          <h3 id="sync-conflicts" className="font-medium">
            Changed on both sides ({o.conflicts.length})
          </h3>
          <ul className="flex flex-col gap-1.5">
            {o.conflicts.map((c) => (
              <li key={c.id} className="flex flex-col gap-1 rounded border border-amber-200 p-2 dark:border-amber-900">
                <div className="font-medium">
                  {c.entity}: {c.label} — {c.field}
                </div>
                <div className="grid grid-cols-[auto_1fr] gap-x-3 text-xs">
                  <span className="text-slate-500">Here</span>
                  <span className="break-words">{c.local}</span>
                  <span className="text-slate-500">In the CRM</span>
                  <span className="break-words">{c.remote}</span>
                </div>
                <div className="flex gap-2">
                  <Button size="sm" busy={busy === `l${c.id}`} onClick={() => void act(`l${c.id}`, () => send('resolveConflict', { id: c.id, keep: 'local' }))}>
                    Keep mine
                  </Button>
                  <Button size="sm" busy={busy === `r${c.id}`} onClick={() => void act(`r${c.id}`, () => send('resolveConflict', { id: c.id, keep: 'remote' }))}>
                    Keep the CRM’s
                  </Button>
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
