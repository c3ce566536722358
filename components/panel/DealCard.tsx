import { useState } from 'react';
import { CalendarClock, ChevronRight, History, Pencil } from 'lucide-react';
import { Badge, Button, cx } from '@/components/ui';
import { formatMoney } from '@/lib/domain/forecast';
import { stageEnteredAt } from '@/lib/domain/hygiene';
import { orderedStages, stageOf } from '@/lib/domain/pipeline';
import { checkStageMove } from '@/lib/domain/stage-gate';
import { daysSince, relativeTime } from '@/lib/domain/relative-time';
import type { Deal, Pipeline } from '@/lib/model';
import { moveStage } from './actions';
import { useAction } from '@/components/hooks/useAction';
import { StageMoveDialog } from './StageMoveDialog';
import { NextStepDialog } from './NextStepDialog';
import { EditDealDialog } from './EditDealDialog';
import { ErrorBanner } from '@/components/ui';

/** One deal: stage stepper, money, dates, next step, history; stage moves go through the gate. */
export function DealCard({ deal, pipeline, now, sourceUrl }: { deal: Deal; pipeline: Pipeline | undefined; now: number; sourceUrl?: string }) {
  const [moveTo, setMoveTo] = useState<string | null>(null);
  const [editStep, setEditStep] = useState(false);
  const [showHistory, setShowHistory] = useState(false);
  const [editing, setEditing] = useState(false);
  const directMove = useAction((toStageId: string) => moveStage(deal.id, { toStageId }, sourceUrl), ['deals', 'activities', 'tasks']);
  if (!pipeline) return <p className="text-xs text-red-700">{deal.name}: its pipeline no longer exists.</p>;
  const stages = orderedStages(pipeline);
  const openStages = stages.filter((s) => s.outcome === 'open');
  const current = stageOf(pipeline, deal.stageId);
  const won = stages.find((s) => s.outcome === 'won');
  const lost = stages.find((s) => s.outcome === 'lost');
  const isOpen = deal.status === 'open';
  const inStage = daysSince(stageEnteredAt(deal), now);
  // Reopening returns the deal to the last open stage it stood in.
  const reopenTo = [...deal.stageHistory].reverse().find((v) => stageOf(pipeline, v.stageId)?.outcome === 'open')?.stageId ?? openStages[0]?.id;

  const requestMove = (toStageId: string) => {
    // Nothing to ask (e.g. a step back with a next step in place): move at once.
    if (checkStageMove(deal, pipeline, { toStageId }, now).ok) void directMove.run(toStageId);
    else setMoveTo(toStageId);
  };

  return (
    <article aria-label={`Deal ${deal.name}`} className="flex flex-col gap-2 rounded-md border border-slate-200 p-2.5 dark:border-slate-800">
      <header className="flex items-start justify-between gap-2">
        <div className="min-w-0">
          <h3 className="truncate font-semibold">{deal.name}</h3>
          <p className="text-xs text-slate-600 dark:text-slate-400">
            {deal.amount ? formatMoney(deal.amount.value, deal.amount.currency) : 'No amount'}
            {deal.expectedCloseAt !== undefined && <> · closes {new Date(deal.expectedCloseAt).toLocaleDateString()}</>}
            {deal.leadSource && <> · {deal.leadSource}</>}
          </p>
        </div>
        <Badge tone={deal.status === 'won' ? 'green' : deal.status === 'lost' ? 'red' : 'blue'}>
          {current?.name ?? deal.stageId}
          {isOpen && ` · ${inStage}d`}
        </Badge>
      </header>

      <ol aria-label="Stages" className="flex flex-wrap gap-1">
        {openStages.map((s) => {
          const reached = current ? s.order <= current.order : false;
          const here = s.id === deal.stageId;
          return (
            <li key={s.id}>
              <button
                type="button"
                disabled={here}
                aria-current={here ? 'step' : undefined}
                aria-label={here ? `${s.name} (current stage)` : `Move to ${s.name}`}
                onClick={() => requestMove(s.id)}
                className={cx(
                  'rounded px-1.5 py-0.5 text-[11px] font-medium focus-visible:outline-2 focus-visible:outline-blue-600',
                  here ? 'bg-blue-600 text-white dark:bg-blue-500 dark:text-slate-950' : reached ? 'bg-blue-100 text-blue-800 hover:bg-blue-200 dark:bg-blue-950 dark:text-blue-300' : 'bg-slate-100 text-slate-600 hover:bg-slate-200 dark:bg-slate-800 dark:text-slate-300',
                )}
              >
                {s.name}
              </button>
            </li>
          );
        })}
      </ol>

      {isOpen ? (
        <div className="flex items-center justify-between gap-2 text-xs">
          <p className="flex min-w-0 items-center gap-1">
            <CalendarClock aria-hidden="true" className="size-3.5 shrink-0 text-slate-500" />
            {deal.nextStep ? (
              <span className={cx('truncate', deal.nextStep.dueAt < now && 'font-medium text-red-700 dark:text-red-400')}>
                <span className="sr-only">Next step: </span>
                {deal.nextStep.text} · {relativeTime(deal.nextStep.dueAt, now)}
              </span>
            ) : (
              <span className="text-amber-800 dark:text-amber-300">No next step</span>
            )}
          </p>
          <Button size="sm" variant="ghost" onClick={() => setEditStep(true)}>
            {deal.nextStep ? 'Change next step' : 'Set next step'}
          </Button>
        </div>
      ) : (
        <p className="text-xs text-slate-600 dark:text-slate-400">
          {deal.status === 'won' ? 'Won' : 'Lost'}
          {deal.closedAt !== undefined && ` ${relativeTime(deal.closedAt, now)}`}
          {deal.closedReason && <>: “{deal.closedReason}”</>}
        </p>
      )}

      <div className="flex flex-wrap gap-1">
        {isOpen && won && (
          <Button size="sm" onClick={() => setMoveTo(won.id)}>
            Won
          </Button>
        )}
        {isOpen && lost && (
          <Button size="sm" onClick={() => setMoveTo(lost.id)}>
            Lost
          </Button>
        )}
        {!isOpen && reopenTo && (
          <Button size="sm" onClick={() => setMoveTo(reopenTo)}>
            Reopen
          </Button>
        )}
        <Button size="sm" variant="ghost" icon={<Pencil aria-hidden="true" className="size-3.5" />} onClick={() => setEditing(true)} aria-label={`Edit deal ${deal.name}`}>
          Edit
        </Button>
        <Button size="sm" variant="ghost" icon={<History aria-hidden="true" className="size-3.5" />} aria-expanded={showHistory} onClick={() => setShowHistory((v) => !v)}>
          Stage history
        </Button>
      </div>

      {showHistory && (
        <ol aria-label="Stage history" className="flex flex-col gap-0.5 border-l-2 border-slate-200 pl-2 text-xs dark:border-slate-700">
          {[...deal.stageHistory].reverse().map((v, i) => (
            <li key={`${v.stageId}-${v.enteredAt}-${i}`} className="flex items-center gap-1">
              <ChevronRight aria-hidden="true" className="size-3 text-slate-400" />
              <span className="font-medium">{stageOf(pipeline, v.stageId)?.name ?? v.stageId}</span>
              <span className="text-slate-500 dark:text-slate-400">
                {new Date(v.enteredAt).toLocaleDateString()} · {daysSince(v.enteredAt, v.leftAt ?? now)} days
              </span>
            </li>
          ))}
        </ol>
      )}
      {Object.keys(deal.evidence).length > 0 && (
        <dl aria-label="Evidence" className="grid grid-cols-[auto_1fr] gap-x-2 text-xs">
          {Object.entries(deal.evidence).map(([k, ev]) => (
            <div key={k} className="contents">
              <dt className="font-medium capitalize text-slate-600 dark:text-slate-400">{k}</dt>
              <dd className="break-words">{ev.text}</dd>
            </div>
          ))}
        </dl>
      )}
      {directMove.error && <ErrorBanner onDismiss={directMove.clearError}>{directMove.error}</ErrorBanner>}
      {moveTo && <StageMoveDialog deal={deal} pipeline={pipeline} toStageId={moveTo} now={now} sourceUrl={sourceUrl} onClose={() => setMoveTo(null)} />}
      {editing && <EditDealDialog deal={deal} onClose={() => setEditing(false)} />}
      {editStep && <NextStepDialog target={{ kind: 'deal', deal }} now={now} sourceUrl={sourceUrl} onClose={() => setEditStep(false)} />}
    </article>
  );
}
