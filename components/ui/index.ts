/** Shared Tailwind building blocks for the side panel and the options page. */
export { cx } from './cx';
export { Button, type ButtonProps, type ButtonVariant } from './Button';
export { Field, Input, Select, Textarea, Checkbox, type InputProps, type SelectProps, type TextareaProps } from './Field';
export { Card } from './Card';
export { Badge, type BadgeTone } from './Badge';
export { Dialog, type DialogProps } from './Dialog';
export { FormDialog, type FormDialogProps } from './FormDialog';
export { EmptyState } from './EmptyState';
export { Spinner, Loading, Progress } from './Spinner';
export { ErrorBanner, errorText } from './ErrorBanner';
export { Tabs, TabPanel, type TabItem } from './Tabs';
