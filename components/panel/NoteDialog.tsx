import { useState } from 'react';
import { Button, Dialog, ErrorBanner, Input, Select, Textarea } from '@/components/ui';
import { useAction } from '@/components/hooks/useAction';
import type { Contact, Deal } from '@/lib/model';
import { logCall, logNote } from './actions';

/** Adds a note or logs a call on the contact's timeline (and on an open deal, when picked). */
export function NoteDialog({ kind, contact, deals, now, onClose }: { kind: 'note' | 'call'; contact: Contact; deals: Deal[]; now: number; onClose: () => void }) {
  const open = deals.filter((d) => d.status === 'open');
  const [text, setText] = useState('');
  const [summary, setSummary] = useState('');
  const [minutes, setMinutes] = useState('');
  const [direction, setDirection] = useState<'outbound' | 'inbound'>('outbound');
  const [dealId, setDealId] = useState(open.length === 1 ? open[0]!.id : '');
  const [invalid, setInvalid] = useState<string | null>(null);
  const save = useAction(async () => {
    const deal = dealId || undefined;
    if (kind === 'note') await logNote(contact.id, text, now, deal);
    else await logCall(contact.id, { summary, notes: text, minutes: Number(minutes) || undefined, direction }, now, deal);
  }, ['activities']);
  const submit = async () => {
    const problem = kind === 'note' ? (!text.trim() ? 'Write the note first.' : null) : !summary.trim() ? 'Say what the call was about.' : null;
    setInvalid(problem);
    if (problem) return;
    if (await save.run()) onClose();
  };
  const who = contact.name ?? contact.emails[0];
  return (
    <Dialog
      open
      onClose={onClose}
      title={kind === 'note' ? 'Add a note' : 'Log a call'}
      description={who}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" busy={save.busy} onClick={submit}>
            {kind === 'note' ? 'Add note' : 'Log call'}
          </Button>
        </>
      }
    >
      {kind === 'call' && (
        <>
          <Input label="Summary" value={summary} maxLength={200} onChange={(e) => setSummary(e.target.value)} error={invalid} placeholder="e.g. Discovery call, agreed on a demo" />
          <div className="flex gap-2">
            <Select label="Direction" value={direction} onChange={(e) => setDirection(e.target.value === 'inbound' ? 'inbound' : 'outbound')} className="flex-1">
              <option value="outbound">Outbound</option>
              <option value="inbound">Inbound</option>
            </Select>
            <Input label="Minutes" type="number" min={0} max={600} value={minutes} onChange={(e) => setMinutes(e.target.value)} className="w-24" />
          </div>
        </>
      )}
      <Textarea label={kind === 'note' ? 'Note' : 'Call notes'} value={text} rows={4} maxLength={100_000} onChange={(e) => setText(e.target.value)} error={kind === 'note' ? invalid : undefined} />
      {open.length > 0 && (
        <Select label="Deal" value={dealId} onChange={(e) => setDealId(e.target.value)}>
          <option value="">No deal</option>
          {open.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </Select>
      )}
      {save.error && <ErrorBanner>{save.error}</ErrorBanner>}
    </Dialog>
  );
}
