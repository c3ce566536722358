import { useState, type ReactNode } from 'react';
import { saveSettings } from '@/lib/db/mutations';
import type { PrivacyLevel, Settings } from '@/lib/model';
import { Button, ErrorBanner, Input, errorText } from '@/components/ui';
import { requestPersistence } from '@/lib/platform/storage-persist';
import { parseEmail } from './parsers';
import { PrivacyChoice } from './PrivacyChoice';

/**
 * The short first-run setup: who you are, what a log keeps, and an optional CRM. Local-only is
 * complete on its own, so every step can be skipped and nothing blocks using Threadline.
 */
export function FirstRun({ settings, crm }: { settings: Settings; crm: ReactNode }) {
  const [email, setEmail] = useState(settings.selfEmails[0] ?? '');
  const [privacy, setPrivacy] = useState<PrivacyLevel>(settings.privacy);
  const [emailError, setEmailError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const finish = async (skip: boolean) => {
    // From the click that ends setup: Firefox asks the user only from one. Never blocks setup.
    void requestPersistence();
    const patch: Partial<Settings> = { onboarded: true };
    if (!skip) {
      if (email.trim()) {
        const r = parseEmail(email);
        if (!r.ok) {
          setEmailError('Enter an email address like you@company.com, or leave it empty.');
          return;
        }
        patch.selfEmails = [...new Set([r.value, ...settings.selfEmails])];
      }
      patch.privacy = privacy;
    }
    setBusy(true);
    setError(null);
    try {
      await saveSettings(patch);
    } catch (e) {
      setError(`Not saved: ${errorText(e)}`);
      setBusy(false);
    }
  };

  return (
    <main className="mx-auto flex max-w-2xl flex-col gap-5 p-6 text-sm">
      <header>
        <h1 className="text-xl font-semibold">Welcome to Threadline</h1>
        <p className="mt-1 text-slate-600 dark:text-slate-400">Three quick choices. Threadline already works locally: no account, nothing leaves this browser unless you connect a CRM.</p>
      </header>
      <form
        id="first-run-form"
        noValidate
        aria-label="First-run setup"
        className="flex flex-col gap-5"
        onSubmit={(e) => {
          e.preventDefault();
          void finish(false);
        }}
      >
        <section aria-labelledby="fr-you" className="flex flex-col gap-2">
          <h2 id="fr-you" className="text-base font-semibold">1. Your address</h2>
          <Input
            label="Your work email"
            hint="So you are never logged as your own contact. Add aliases later in settings."
            type="email"
            autoComplete="email"
            value={email}
            error={emailError}
            onChange={(e) => {
              setEmail(e.target.value);
              setEmailError(null);
            }}
            className="max-w-96"
          />
        </section>
        <section aria-labelledby="fr-privacy" className="flex flex-col gap-2">
          <h2 id="fr-privacy" className="text-base font-semibold">2. What a log keeps</h2>
          <PrivacyChoice value={privacy} onChange={setPrivacy} />
        </section>
      </form>
      {/* Outside the form: the CRM connection may bring a form of its own, and forms cannot nest. */}
      <section aria-labelledby="fr-crm" className="flex flex-col gap-2">
        <h2 id="fr-crm" className="text-base font-semibold">3. A CRM (optional)</h2>
        <p className="text-slate-600 dark:text-slate-400">Local-only works at once. Connect a CRM now or any time later.</p>
        {crm}
      </section>
      {error && <ErrorBanner>{error}</ErrorBanner>}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" form="first-run-form" variant="primary" busy={busy}>
          Start using Threadline
        </Button>
        <Button variant="ghost" disabled={busy} onClick={() => void finish(true)}>
          Skip setup
        </Button>
      </div>
    </main>
  );
}
