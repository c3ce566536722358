import { describe, expect, it } from 'vitest';
import type { Activity } from '@/lib/model';
import { propertiesOf } from '@/lib/sync/providers/hubspot/map';
import type { PushItem } from '@/lib/sync/types';

const activity = (a: Partial<Activity> & Pick<Activity, 'kind'>): PushItem => {
  const value: Activity = { id: '0b6c1f7e-3d1a-4c59-9a51-0d2f8e6b7a10', occurredAt: Date.UTC(2026, 10, 20, 9), participants: [], contactIds: [], createdAt: Date.UTC(2026, 10, 20, 9), remoteIds: {}, ...a };
  return { localId: value.id, op: 'upsert', record: { kind: 'activity', value }, links: { contactIds: [] }, key: `activity:${value.id}`, resumed: false, attemptStartedAt: 0 };
};

describe('HubSpot note bodies', () => {
  it('sends a panel note (subject = its first line) once, not headed by its own first line', () => {
    const text = 'Asked for reefer capacity on the Rotterdam lane.\nQuote due Friday.';
    const p = propertiesOf(activity({ kind: 'note', subject: 'Asked for reefer capacity on the Rotterdam lane.', body: text, direction: 'internal' }));
    expect(p.hs_note_body).toBe(text);
  });

  it('heads a call with its summary and a label when the summary is not the text', () => {
    const p = propertiesOf(activity({ kind: 'call', subject: 'Discovery call', body: 'Agreed on a demo next week.' }));
    expect(p.hs_note_body).toBe('Call: Discovery call\n\nAgreed on a demo next week.');
  });

  it('keeps the label when the subject only repeats the text, and when there is nothing else', () => {
    expect(propertiesOf(activity({ kind: 'stage_change', subject: 'Lead → Discovery', body: 'Lead → Discovery' })).hs_note_body).toBe('Stage change\n\nLead → Discovery');
    expect(propertiesOf(activity({ kind: 'note' })).hs_note_body).toBe('Note');
    expect(propertiesOf(activity({ kind: 'task_done', subject: 'Send the contract' })).hs_note_body).toBe('Task done: Send the contract');
  });
});
