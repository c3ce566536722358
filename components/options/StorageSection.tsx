import { useEffect, useState } from 'react';
import { storageState, storageUse, type PersistState, type StorageUse } from '@/lib/platform/storage-persist';
import { Button } from '@/components/ui';
import { Section } from './Section';

const SAYS: Record<PersistState, string> = {
  persistent: 'Storage: persistent. The browser will not clear Threadline’s data to free space; only you can, from Reset or the browser’s site data.',
  exempt: 'Storage: kept. Threadline holds the browser’s unlimited-storage permission, so its data is not cleared to free space; only you can, from Reset or by removing the extension. A full disk still stops new writes: keep a backup.',
  'best-effort': 'Storage: may be cleared under pressure. If the disk runs low the browser may delete Threadline’s data without asking. Keep a backup, or ask the browser to keep it.',
  unsupported: 'Storage: this browser does not say whether it may clear Threadline’s data. Keep a backup.',
};

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;

/** Whether the browser may evict the store, with the one button that asks it not to. */
export function StorageSection() {
  const [state, setState] = useState<PersistState | null>(null);
  const [use, setUse] = useState<StorageUse | undefined>();
  const [asked, setAsked] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let alive = true;
    void Promise.all([storageState(), storageUse()]).then(([s, u]) => {
      if (!alive) return;
      setState(s);
      setUse(u);
    });
    return () => {
      alive = false;
    };
  }, []);

  const ask = async () => {
    setBusy(true);
    setState(await storageState(true));
    setAsked(true);
    setBusy(false);
  };

  return (
    <Section id="storage" title="Storage" description="Everything Threadline keeps lives in this browser’s storage for the extension.">
      <p role="status" className="text-sm">
        {state ? SAYS[state] : 'Checking storage…'}
      </p>
      {use && (
        <p className="text-xs text-slate-600 dark:text-slate-400">
          Using {mb(use.usage)} of the {mb(use.quota)} the browser allows this extension.
        </p>
      )}
      {state === 'best-effort' && (
        <div className="flex flex-wrap items-center gap-2">
          <Button busy={busy} onClick={() => void ask()}>
            Ask the browser to keep Threadline’s data
          </Button>
          {asked && <span className="text-xs text-slate-600 dark:text-slate-400">The browser said no for now; it decides by how you use the extension. Keep a backup.</span>}
        </div>
      )}
    </Section>
  );
}
