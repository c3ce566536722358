import { useState } from 'react';
import { resetAll } from '@/lib/io';
import { Button, Dialog, ErrorBanner, errorText } from '@/components/ui';
import { Section } from './Section';

export function ResetSection() {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const reset = async () => {
    setBusy(true);
    setError(null);
    try {
      await resetAll();
      setOpen(false);
    } catch (e) {
      setError(`Nothing was erased: ${errorText(e)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section id="reset" title="Reset" description="Erase everything Threadline stored in this browser and start over.">
      <div>
        <Button variant="danger" onClick={() => setOpen(true)}>
          Reset Threadline…
        </Button>
      </div>
      <Dialog
        open={open}
        onClose={() => !busy && setOpen(false)}
        title="Erase all Threadline data?"
        description="Contacts, companies, deals, activities, tasks, pipelines, settings and the CRM connection are deleted from this browser. Your CRM itself is not touched."
        footer={
          <>
            <Button onClick={() => setOpen(false)} disabled={busy} data-autofocus>
              Cancel
            </Button>
            <Button variant="danger" busy={busy} onClick={() => void reset()}>
              Erase everything
            </Button>
          </>
        }
      >
        <p>This cannot be undone. Download a full backup first if you may want any of it back.</p>
        {error && <ErrorBanner>{error}</ErrorBanner>}
      </Dialog>
    </Section>
  );
}
