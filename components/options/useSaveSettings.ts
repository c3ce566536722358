import { useCallback, useState } from 'react';
import { saveSettings } from '@/lib/db/mutations';
import type { Settings } from '@/lib/model';
import { errorText } from '@/components/ui';

/** Saves a settings patch and keeps the last failure for the section to show. */
export function useSaveSettings() {
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const save = useCallback(async (patch: Partial<Settings>): Promise<boolean> => {
    setSaving(true);
    setError(null);
    try {
      await saveSettings(patch);
      return true;
    } catch (e) {
      setError(`Not saved: ${errorText(e)}`);
      return false;
    } finally {
      setSaving(false);
    }
  }, []);
  return { save, error, saving, clearError: () => setError(null) };
}
