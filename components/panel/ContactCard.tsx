import { useState } from 'react';
import { AlertTriangle, Building2, Mail, Pencil } from 'lucide-react';
import { Badge, Button, ErrorBanner, Select } from '@/components/ui';
import { useAction } from '@/components/hooks/useAction';
import { useCompany } from '@/components/hooks/useStore';
import { updateContact } from '@/lib/db/mutations';
import { hygieneFlags, type HygieneFlag } from '@/lib/domain/hygiene';
import { relativeTime } from '@/lib/domain/relative-time';
import { LifecycleStage, type Contact, type Deal, type Pipeline } from '@/lib/model';
import { EditContactDialog } from './ContactForm';
import { LEAD_SOURCES, LIFECYCLE_LABEL, ORIGIN_LABEL } from './labels';
import { NextStepDialog } from './NextStepDialog';
import { StageMoveDialog } from './StageMoveDialog';

/** Who this is, how fresh the relationship is, and what in the record needs fixing. */
export function ContactCard({ contact, deals, pipelines, now, sourceUrl }: { contact: Contact; deals: Deal[]; pipelines: Pipeline[]; now: number; sourceUrl?: string }) {
  const company = useCompany(contact.companyId);
  const [editing, setEditing] = useState(false);
  const flags = hygieneFlags(contact, deals, pipelines, now);
  const who = contact.name ?? contact.emails[0]!;
  return (
    <section aria-label={`Contact ${who}`} className="flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-3 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <header className="flex items-start justify-between gap-2">
        <div className="min-w-0">
          <h2 className="truncate text-base font-semibold">{who}</h2>
          {contact.title && <p className="truncate text-xs text-slate-600 dark:text-slate-400">{contact.title}</p>}
        </div>
        <Button size="sm" variant="ghost" icon={<Pencil aria-hidden="true" className="size-3.5" />} onClick={() => setEditing(true)} aria-label={`Edit ${who}`}>
          Edit
        </Button>
      </header>
      <dl className="grid grid-cols-[auto_1fr] items-baseline gap-x-2 gap-y-1 text-xs">
        <dt className="text-slate-500 dark:text-slate-400">
          <Mail aria-hidden="true" className="inline size-3.5" /> <span className="sr-only sm:not-sr-only">Emails</span>
        </dt>
        <dd className="min-w-0 break-all">{contact.emails.join(', ')}</dd>
        <dt className="text-slate-500 dark:text-slate-400">
          <Building2 aria-hidden="true" className="inline size-3.5" /> <span className="sr-only sm:not-sr-only">Company</span>
        </dt>
        <dd>{company ? (company.name ?? company.domain) : company === null ? <span className="text-slate-500">None</span> : '…'}</dd>
        <dt className="text-slate-500 dark:text-slate-400">Stage</dt>
        <dd>{contact.lifecycleStage ? <Badge tone="violet">{LIFECYCLE_LABEL[contact.lifecycleStage]}</Badge> : <span className="text-slate-500">Not set</span>}</dd>
        <dt className="text-slate-500 dark:text-slate-400">Source</dt>
        <dd>
          {contact.source.leadSource ?? <span className="text-slate-500">Unknown</span>}
          <span className="text-slate-500"> · {ORIGIN_LABEL[contact.source.origin]}</span>
        </dd>
        <dt className="text-slate-500 dark:text-slate-400">Last touched</dt>
        <dd data-testid="last-touched">{contact.lastTouchedAt ? relativeTime(contact.lastTouchedAt, now) : 'Never'}</dd>
      </dl>
      {flags.length > 0 && (
        <ul aria-label="Needs attention" className="flex flex-col gap-1">
          {flags.map((f) => (
            <li key={`${f.kind}-${f.dealId ?? ''}`}>
              <FlagRow flag={f} contact={contact} deals={deals} pipelines={pipelines} now={now} sourceUrl={sourceUrl} />
            </li>
          ))}
        </ul>
      )}
      {editing && <EditContactDialog contact={contact} onClose={() => setEditing(false)} />}
    </section>
  );
}

/** A flag with its one-click fix beside it. */
function FlagRow({ flag, contact, deals, pipelines, now, sourceUrl }: { flag: HygieneFlag; contact: Contact; deals: Deal[]; pipelines: Pipeline[]; now: number; sourceUrl?: string }) {
  const [dialog, setDialog] = useState<'step' | 'lost' | null>(null);
  const fix = useAction((patch: Parameters<typeof updateContact>[1]) => updateContact(contact.id, patch), ['contacts']);
  const deal = flag.dealId ? deals.find((d) => d.id === flag.dealId) : undefined;
  const pipeline = deal ? pipelines.find((p) => p.id === deal.pipelineId) : undefined;
  const lost = pipeline?.stages.find((s) => s.outcome === 'lost');
  return (
    <div className="flex flex-wrap items-center gap-2 rounded-md bg-amber-50 px-2 py-1 text-xs text-amber-900 dark:bg-amber-950/50 dark:text-amber-200">
      <AlertTriangle aria-hidden="true" className="size-3.5 shrink-0" />
      {/* Wide enough to stay readable: at 320 px the fix buttons wrap below instead of squeezing it. */}
      <span className="min-w-[11rem] flex-1">{flag.message}</span>
      {flag.kind === 'no_source' && (
        <Select label={`Set lead source for ${contact.name ?? contact.emails[0]}`} hideLabel value="" className="w-32" onChange={(e) => e.target.value && void fix.run({ source: { ...contact.source, leadSource: e.target.value } })}>
          <option value="">Set source…</option>
          {LEAD_SOURCES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </Select>
      )}
      {flag.kind === 'no_stage' && (
        <Select label={`Set lifecycle stage for ${contact.name ?? contact.emails[0]}`} hideLabel value="" className="w-32" onChange={(e) => e.target.value && void fix.run({ lifecycleStage: LifecycleStage.parse(e.target.value) })}>
          <option value="">Set stage…</option>
          {LifecycleStage.options.map((s) => (
            <option key={s} value={s}>
              {LIFECYCLE_LABEL[s]}
            </option>
          ))}
        </Select>
      )}
      {deal && (flag.kind === 'no_next_step' || flag.kind === 'overdue_next_step' || flag.kind === 'stale_deal') && (
        <Button size="sm" onClick={() => setDialog('step')}>
          {flag.kind === 'no_next_step' ? 'Add next step' : flag.kind === 'overdue_next_step' ? 'Reschedule' : 'Plan next step'}
        </Button>
      )}
      {deal && flag.kind === 'stale_deal' && lost && (
        <Button size="sm" variant="ghost" onClick={() => setDialog('lost')}>
          Close as lost
        </Button>
      )}
      {fix.error && <ErrorBanner className="w-full">{fix.error}</ErrorBanner>}
      {dialog === 'step' && deal && <NextStepDialog target={{ kind: 'deal', deal }} now={now} sourceUrl={sourceUrl} onClose={() => setDialog(null)} />}
      {dialog === 'lost' && deal && pipeline && lost && <StageMoveDialog deal={deal} pipeline={pipeline} toStageId={lost.id} now={now} sourceUrl={sourceUrl} onClose={() => setDialog(null)} />}
    </div>
  );
}
