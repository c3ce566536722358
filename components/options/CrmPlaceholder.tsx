import { Cloud } from 'lucide-react';
import { EmptyState } from '@/components/ui';

/** Stands in for the CRM connection until the sync feature mounts its own component. */
export function CrmPlaceholder() {
  return (
    <EmptyState icon={<Cloud className="size-6" />} title="No CRM connected — Threadline works fully local">
      Everything you log stays in this browser. Connecting HubSpot, Pipedrive or Twenty is optional and can happen any time.
    </EmptyState>
  );
}
