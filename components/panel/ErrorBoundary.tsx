import { Component, type ErrorInfo, type ReactNode } from 'react';
import { ErrorBanner } from '@/components/ui';
import { toAppError } from '@/lib/errors';

/**
 * Last line of defence: a failing read (a database that will not open, a broken record) shows a
 * message and a way out instead of a blank panel.
 */
export class PanelErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('[threadline] side panel crashed', error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <main className="mx-auto flex max-w-[600px] min-w-[320px] flex-col gap-3 p-3 text-sm">
        <h1 className="text-base font-semibold text-blue-700 dark:text-blue-400">Threadline</h1>
        <ErrorBanner onRetry={() => this.setState({ error: null })}>
          Threadline could not show this view: {toAppError(this.state.error).message}
        </ErrorBanner>
        <p className="text-xs text-slate-500 dark:text-slate-400">If it keeps happening, close and reopen the panel. Your data stays on this device.</p>
      </main>
    );
  }
}
