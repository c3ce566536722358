import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { Download } from 'lucide-react';
import { db } from '@/lib/db';
import { backupFileName, downloadText, exportBackup, exportContactsCsv, exportDealsCsv } from '@/lib/io';
import { Button, ErrorBanner, errorText } from '@/components/ui';
import { Section } from './Section';

type Job = 'backup' | 'contacts' | 'deals';

const today = () => new Date().toISOString().slice(0, 10);

export function ExportSection() {
  const counts = useLiveQuery(async () => ({ contacts: await db.contacts.count(), deals: await db.deals.count() }), []);
  const [busy, setBusy] = useState<Job | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const run = async (job: Job) => {
    setBusy(job);
    setError(null);
    setDone(null);
    try {
      if (job === 'backup') {
        const b = await exportBackup();
        const name = backupFileName(b);
        downloadText(name, JSON.stringify(b, null, 1), 'application/json');
        setDone(`Downloaded ${name}.`);
      } else {
        const text = job === 'contacts' ? await exportContactsCsv() : await exportDealsCsv();
        const name = `threadline-${job}-${today()}.csv`;
        downloadText(name, text, 'text/csv;charset=utf-8');
        setDone(`Downloaded ${name}.`);
      }
    } catch (e) {
      setError(`Export failed: ${errorText(e)}`);
    } finally {
      setBusy(null);
    }
  };

  const icon = <Download aria-hidden="true" className="size-4" />;
  return (
    <Section id="export" title="Export" description="Your data is yours: take a full backup to restore later, or spreadsheets for anything else.">
      {error && <ErrorBanner onDismiss={() => setError(null)}>{error}</ErrorBanner>}
      <div className="flex flex-wrap gap-2">
        <Button variant="primary" icon={icon} busy={busy === 'backup'} disabled={busy !== null} onClick={() => void run('backup')}>
          Download full backup (JSON)
        </Button>
        <Button icon={icon} busy={busy === 'contacts'} disabled={busy !== null || counts?.contacts === 0} onClick={() => void run('contacts')}>
          Contacts CSV{counts ? ` (${counts.contacts})` : ''}
        </Button>
        <Button icon={icon} busy={busy === 'deals'} disabled={busy !== null || counts?.deals === 0} onClick={() => void run('deals')}>
          Deals CSV{counts ? ` (${counts.deals})` : ''}
        </Button>
      </div>
      <p role="status" className="text-xs text-slate-600 dark:text-slate-400">
        {done ?? 'The backup holds contacts, companies, deals, activities, tasks, pipelines and settings; never CRM tokens.'}
      </p>
    </Section>
  );
}
