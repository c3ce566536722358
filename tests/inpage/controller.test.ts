import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import { DETECT_INTERVAL_MS, watchPage } from '@/lib/inpage/controller';
import { HOST_ATTR } from '@/lib/inpage/dom';
import type { PageContext } from '@/lib/model';
import { flush } from './helpers';

const base: PageContext = { site: 'gmail', view: 'thread', key: 'k1', url: 'https://mail.google.com/mail/u/0/#inbox/k1', people: [], messages: [] };

function setup(detect: () => PageContext | null = () => base) {
  const ctx = new ContentScriptContext('test');
  const detectSpy = vi.fn(detect);
  const reports: (PageContext | null)[] = [];
  watchPage(ctx, { detect: detectSpy, render: (c) => c && { ...c, inPageUi: true }, report: (c) => reports.push(c) });
  return { ctx, detect: detectSpy, reports };
}

const churn = async (n: number) => {
  for (let i = 0; i < n; i++) {
    document.body.append(document.createElement('div'));
    await flush(1);
  }
};

beforeEach(() => {
  vi.useFakeTimers();
  document.body.innerHTML = '';
});
afterEach(() => {
  vi.useRealTimers();
});

describe('watchPage', () => {
  it('detects once at start and reports the rendered context', () => {
    const { detect, reports } = setup();
    expect(detect).toHaveBeenCalledTimes(1);
    expect(reports).toEqual([{ ...base, inPageUi: true }]);
  });

  it('runs detection at most once per second however much the page churns', async () => {
    const { detect } = setup();
    await churn(200);
    expect(detect).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(DETECT_INTERVAL_MS);
    expect(detect).toHaveBeenCalledTimes(2);
    await churn(200);
    await vi.advanceTimersByTimeAsync(DETECT_INTERVAL_MS - 1);
    expect(detect).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(detect).toHaveBeenCalledTimes(3);
  });

  it('stays idle when the page does not change: no polling', async () => {
    const { detect } = setup();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(detect).toHaveBeenCalledTimes(1);
  });

  it('reports only changes', async () => {
    let key = 'k1';
    const { reports } = setup(() => ({ ...base, key }));
    await churn(1);
    await vi.advanceTimersByTimeAsync(DETECT_INTERVAL_MS);
    expect(reports).toHaveLength(1);
    key = 'k2';
    await churn(1);
    await vi.advanceTimersByTimeAsync(DETECT_INTERVAL_MS);
    expect(reports.map((r) => r?.key)).toEqual(['k1', 'k2']);
  });

  it('follows hashchange and popstate', async () => {
    const { detect } = setup();
    window.dispatchEvent(new Event('hashchange'));
    await vi.advanceTimersByTimeAsync(DETECT_INTERVAL_MS);
    window.dispatchEvent(new Event('popstate'));
    await vi.advanceTimersByTimeAsync(DETECT_INTERVAL_MS);
    expect(detect).toHaveBeenCalledTimes(3);
  });

  it('ignores the mutations its own UI makes', async () => {
    const { detect } = setup();
    const host = document.createElement('threadline-chip');
    host.setAttribute(HOST_ATTR, 'chip');
    document.body.append(host);
    await flush();
    host.remove();
    await flush();
    await vi.advanceTimersByTimeAsync(DETECT_INTERVAL_MS * 3);
    expect(detect).toHaveBeenCalledTimes(1);
  });

  it('leaves nothing running once WXT invalidates the context', async () => {
    const { ctx, detect } = setup();
    await churn(1); // a run is pending
    ctx.notifyInvalidated();
    await vi.advanceTimersByTimeAsync(DETECT_INTERVAL_MS);
    await churn(5);
    window.dispatchEvent(new Event('hashchange'));
    await vi.advanceTimersByTimeAsync(DETECT_INTERVAL_MS * 3);
    expect(detect).toHaveBeenCalledTimes(1);
  });
});
