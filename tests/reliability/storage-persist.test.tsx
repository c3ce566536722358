import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FirstRun } from '@/components/options/FirstRun';
import { StorageSection } from '@/components/options/StorageSection';
import { ensureDefaults } from '@/lib/db/mutations';
import { getSettings } from '@/lib/db/queries';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { holdsUnlimitedStorage, persistState, requestPersistence, storageUse, withPermission, type StorageManagerLike } from '@/lib/platform/storage-persist';
import '../components/options/helpers';

/** A StorageManager whose answer to persist() the test chooses. */
function fakeStorage(opts: { persisted: boolean; grant: boolean; usage?: number; quota?: number }) {
  let persisted = opts.persisted;
  const s = {
    persisted: vi.fn(async () => persisted),
    persist: vi.fn(async () => {
      if (opts.grant) persisted = true;
      return persisted;
    }),
    estimate: vi.fn(async () => ({ usage: opts.usage, quota: opts.quota })),
  };
  return s;
}

const original = Object.getOwnPropertyDescriptor(navigator, 'storage');
function installStorage(s: StorageManagerLike | undefined): void {
  Object.defineProperty(navigator, 'storage', { value: s, configurable: true });
}
afterEach(() => {
  vi.restoreAllMocks();
  if (original) Object.defineProperty(navigator, 'storage', original);
  else delete (navigator as { storage?: unknown }).storage;
});

describe('storage-persist', () => {
  it('reports the state the browser gives, and "unsupported" where there is none', async () => {
    expect(await persistState(fakeStorage({ persisted: true, grant: false }))).toBe('persistent');
    expect(await persistState(fakeStorage({ persisted: false, grant: false }))).toBe('best-effort');
    expect(await persistState(undefined)).toBe('unsupported');
    expect(await persistState({ persisted: () => Promise.reject(new Error('SecurityError')) })).toBe('unsupported');
  });

  it('asks only when not yet persistent, and reports the browser’s answer without throwing', async () => {
    const already = fakeStorage({ persisted: true, grant: true });
    expect(await requestPersistence(already)).toBe('persistent');
    expect(already.persist).not.toHaveBeenCalled();

    const granted = fakeStorage({ persisted: false, grant: true });
    expect(await requestPersistence(granted)).toBe('persistent');
    expect(granted.persist).toHaveBeenCalledTimes(1);

    const refused = fakeStorage({ persisted: false, grant: false });
    expect(await requestPersistence(refused)).toBe('best-effort');
    expect(await requestPersistence({ persisted: async () => false, persist: () => Promise.reject(new Error('no')) })).toBe('best-effort');
    expect(await requestPersistence(undefined)).toBe('unsupported');
  });

  it('reads usage and quota when the browser gives both', async () => {
    expect(await storageUse(fakeStorage({ persisted: false, grant: false, usage: 1_500_000, quota: 100 * 1024 * 1024 }))).toEqual({ usage: 1_500_000, quota: 100 * 1024 * 1024 });
    expect(await storageUse(fakeStorage({ persisted: false, grant: false }))).toBeUndefined();
    expect(await storageUse(undefined)).toBeUndefined();
  });
});

describe('the unlimitedStorage permission', () => {
  it('counts as kept only where persistence alone would not', async () => {
    expect(await holdsUnlimitedStorage({ contains: async (p) => p.permissions.includes('unlimitedStorage') })).toBe(true);
    expect(await holdsUnlimitedStorage({ contains: async () => false })).toBe(false);
    expect(await holdsUnlimitedStorage({ contains: () => Promise.reject(new Error('no permissions API')) })).toBe(false);
    expect(withPermission('best-effort', true)).toBe('exempt');
    expect(withPermission('best-effort', false)).toBe('best-effort');
    expect(withPermission('persistent', true)).toBe('persistent');
    expect(withPermission('unsupported', true)).toBe('unsupported');
  });
});

describe('the options page', () => {
  it('says the store may be cleared, and the button asks the browser and shows the new state', async () => {
    const s = fakeStorage({ persisted: false, grant: true, usage: 3 * 1024 * 1024, quota: 200 * 1024 * 1024 });
    installStorage(s);
    render(<StorageSection />);
    expect((await screen.findByText(/^Storage: may be cleared under pressure\./)).getAttribute('role')).toBe('status');
    expect(screen.getByText('Using 3.0 MB of the 200 MB the browser allows this extension.')).toBeTruthy();
    expect(s.persist).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Ask the browser to keep Threadline’s data' }));
    expect(await screen.findByText(/^Storage: persistent\./)).toBeTruthy();
    expect(s.persist).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('button', { name: /Ask the browser/ })).toBeNull();
  });

  it('with the unlimitedStorage permission held, says the data is kept and offers no button', async () => {
    installStorage(fakeStorage({ persisted: false, grant: false }));
    vi.spyOn(fakeBrowser.permissions, 'contains').mockImplementation((async () => true) as never);
    render(<StorageSection />);
    expect((await screen.findByText(/^Storage: kept\./)).getAttribute('role')).toBe('status');
    expect(screen.queryByRole('button', { name: /Ask the browser/ })).toBeNull();
  });

  it('a refusal keeps the button and says the browser decides', async () => {
    installStorage(fakeStorage({ persisted: false, grant: false }));
    render(<StorageSection />);
    fireEvent.click(await screen.findByRole('button', { name: 'Ask the browser to keep Threadline’s data' }));
    expect(await screen.findByText(/The browser said no for now/)).toBeTruthy();
    expect(screen.getByText(/^Storage: may be cleared under pressure\./)).toBeTruthy();
  });

  it('finishing the first-run setup asks for persistent storage', async () => {
    await ensureDefaults();
    const s = fakeStorage({ persisted: false, grant: true });
    installStorage(s);
    render(<FirstRun settings={await getSettings()} crm={null} />);
    fireEvent.click(screen.getByRole('button', { name: 'Skip setup' }));
    await waitFor(async () => expect((await getSettings()).onboarded).toBe(true));
    expect(s.persist).toHaveBeenCalledTimes(1);
  });
});
