import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { PanelErrorBoundary } from '@/components/panel/ErrorBoundary';

describe('panel error boundary', () => {
  it('shows a readable error with a retry instead of a blank panel', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    let fail = true;
    function Flaky() {
      if (fail) throw Object.assign(new Error('boom'), { name: 'QuotaExceededError' });
      return <p>recovered</p>;
    }
    render(
      <PanelErrorBoundary>
        <Flaky />
      </PanelErrorBoundary>,
    );
    expect(screen.getByRole('alert').textContent).toContain('out of storage space');
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(screen.getByText('recovered')).toBeTruthy();
    spy.mockRestore();
  });
});
