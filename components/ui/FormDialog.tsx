import type { ReactNode } from 'react';
import { Button, type ButtonVariant } from './Button';
import { Dialog } from './Dialog';
import { ErrorBanner } from './ErrorBanner';

export interface FormDialogProps {
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  submitLabel: ReactNode;
  submitVariant?: ButtonVariant;
  busy?: boolean;
  error?: string | null;
  onSubmit: () => unknown;
  formClassName?: string;
  children: ReactNode;
}

/**
 * The panel's edit dialogs: a form whose Enter key and primary button both submit, a Cancel
 * beside it, and the write's error under the fields.
 */
export function FormDialog({ onClose, title, description, submitLabel, submitVariant = 'primary', busy, error, onSubmit, formClassName = 'flex flex-col gap-3', children }: FormDialogProps) {
  return (
    <Dialog
      open
      onClose={onClose}
      title={title}
      description={description}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant={submitVariant} busy={busy} onClick={() => void onSubmit()}>
            {submitLabel}
          </Button>
        </>
      }
    >
      <form
        className={formClassName}
        onSubmit={(e) => {
          e.preventDefault();
          void onSubmit();
        }}
      >
        {children}
        <button type="submit" hidden />
      </form>
      {error && <ErrorBanner>{error}</ErrorBanner>}
    </Dialog>
  );
}
