// First: configures zod before any schema module is evaluated.
import '@/lib/model/zod-config';
import { createRoot } from 'react-dom/client';
import { PanelErrorBoundary } from '@/components/panel/ErrorBoundary';
import { SidePanelApp } from '@/components/panel/SidePanelApp';
import '@/components/styles.css';

// The same page serves Chrome's side panel and Firefox's sidebar.
createRoot(document.getElementById('root')!).render(
  <PanelErrorBoundary>
    <SidePanelApp />
  </PanelErrorBoundary>,
);
