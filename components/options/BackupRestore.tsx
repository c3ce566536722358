import { useState } from 'react';
import { ImportRejected, MAX_BACKUP_BYTES, parseBackup, restoreBackup, type Backup, type ImportIssue, type RestoreResult } from '@/lib/io';
import { Button, Dialog, ErrorBanner, Progress, errorText } from '@/components/ui';
import { FilePicker } from './FilePicker';
import { IssueList } from './IssueList';

/** Restores a full JSON backup after checking all of it, replacing local data in one transaction. */
export function BackupRestore() {
  const [pending, setPending] = useState<{ name: string; backup: Backup } | null>(null);
  const [issues, setIssues] = useState<ImportIssue[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [result, setResult] = useState<RestoreResult | null>(null);
  const [reading, setReading] = useState(false);

  const choose = async (f: File) => {
    setPending(null);
    setIssues(null);
    setError(null);
    setResult(null);
    if (f.size > MAX_BACKUP_BYTES) {
      setError(`${f.name} is larger than ${MAX_BACKUP_BYTES / 1024 / 1024} MB.`);
      return;
    }
    setReading(true);
    try {
      setPending({ name: f.name, backup: parseBackup(await f.text()) });
    } catch (e) {
      if (e instanceof ImportRejected) setIssues(e.issues);
      else setError(`Could not read ${f.name}: ${errorText(e)}`);
    } finally {
      setReading(false);
    }
  };

  const restore = async () => {
    if (!pending) return;
    const { backup } = pending;
    setPending(null);
    setProgress({ done: 0, total: 1 });
    try {
      setResult(await restoreBackup(backup, { onProgress: (done, total) => setProgress({ done, total }) }));
    } catch (e) {
      setError(`Nothing was restored: ${errorText(e)}`);
    } finally {
      setProgress(null);
    }
  };

  const d = pending?.backup.data;
  return (
    <div className="flex flex-col gap-3">
      <h3 className="text-sm font-semibold">Restore a full backup</h3>
      <FilePicker
        label="Threadline backup file (.json)"
        hint="Made with “Download full backup” below. The whole file is checked before anything changes."
        accept=".json,application/json"
        disabled={reading || progress !== null}
        onFile={(f) => void choose(f)}
      />
      {issues && <IssueList issues={issues} title="This file cannot be restored; nothing was changed." />}
      {error && <ErrorBanner onDismiss={() => setError(null)}>{error}</ErrorBanner>}
      {progress && <Progress value={progress.done} max={progress.total} label={`Restoring ${progress.done} of ${progress.total} records`} />}
      {result && (
        <p role="status" className="rounded-md bg-green-50 p-2 text-sm text-green-900 dark:bg-green-950/60 dark:text-green-100">
          Restored {result.counts.contacts} contacts, {result.counts.companies} companies, {result.counts.deals} deals, {result.counts.activities} activities and {result.counts.tasks} tasks.
        </p>
      )}
      <Dialog
        open={pending !== null}
        onClose={() => setPending(null)}
        title="Replace all local data with this backup?"
        description={pending ? `${pending.name}, made ${new Date(pending.backup.exportedAt).toLocaleString()}` : undefined}
        footer={
          <>
            <Button onClick={() => setPending(null)} data-autofocus>
              Cancel
            </Button>
            <Button variant="danger" onClick={() => void restore()}>
              Replace and restore
            </Button>
          </>
        }
      >
        {d && (
          <p>
            It holds {d.contacts.length} contacts, {d.companies.length} companies, {d.deals.length} deals, {d.activities.length} activities, {d.tasks.length} tasks and {d.pipelines.length} pipeline
            {d.pipelines.length === 1 ? '' : 's'}. Everything stored now is replaced. The CRM connection stays.
          </p>
        )}
      </Dialog>
    </div>
  );
}
