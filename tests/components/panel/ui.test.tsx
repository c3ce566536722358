import { fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { Button, Dialog, Input, Select, TabPanel, Tabs, Textarea } from '@/components/ui';

function DialogHarness({ onClose }: { onClose?: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button onClick={() => setOpen(true)}>Open</Button>
      <Dialog
        open={open}
        onClose={() => {
          onClose?.();
          setOpen(false);
        }}
        title="Edit"
        footer={<Button>Save</Button>}
      >
        <Input label="Name" />
      </Dialog>
    </>
  );
}

describe('ui building blocks', () => {
  it('labels every field control and links hints and errors', () => {
    render(
      <>
        <Input label="Email" hint="Work address" error="Not an email" />
        <Select label="Stage">
          <option>Lead</option>
        </Select>
        <Textarea label="Note" />
      </>,
    );
    const email = screen.getByLabelText('Email');
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(email.getAttribute('aria-describedby')?.split(' ')).toHaveLength(2);
    expect(screen.getByLabelText('Stage').tagName).toBe('SELECT');
    expect(screen.getByLabelText('Note').tagName).toBe('TEXTAREA');
  });

  it('dialog focuses its first field, traps Tab, closes on Escape and restores focus', () => {
    const onClose = vi.fn();
    render(<DialogHarness onClose={onClose} />);
    const opener = screen.getByRole('button', { name: 'Open' });
    opener.focus();
    fireEvent.click(opener);
    const dialog = screen.getByRole('dialog', { name: 'Edit' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    // The page behind is inert while the dialog is open.
    expect(opener.closest('[inert]')).not.toBeNull();
    expect(document.activeElement).toBe(screen.getByLabelText('Name'));
    // From the last control, Tab wraps to the first one inside the dialog.
    screen.getByRole('button', { name: 'Save' }).focus();
    fireEvent.keyDown(document.activeElement!, { key: 'Tab' });
    expect(dialog.contains(document.activeElement)).toBe(true);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Close dialog' }));
    fireEvent.keyDown(document.activeElement!, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Save' }));
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(onClose).toHaveBeenCalledOnce();
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(opener.closest('[inert]')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('tabs move selection with the arrow keys and keep one tab stop', () => {
    function T() {
      const [v, setV] = useState<'a' | 'b'>('a');
      return (
        <>
          <Tabs label="Views" idBase="t" items={[{ id: 'a', label: 'A' }, { id: 'b', label: 'B', count: 3 }]} value={v} onChange={setV} />
          <TabPanel idBase="t" id={v}>
            panel {v}
          </TabPanel>
        </>
      );
    }
    render(<T />);
    const a = screen.getByRole('tab', { name: 'A' });
    expect(a.getAttribute('tabindex')).toBe('0');
    fireEvent.keyDown(a, { key: 'ArrowRight' });
    const b = screen.getByRole('tab', { name: /B/ });
    expect(b.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(b);
    expect(screen.getByRole('tabpanel').textContent).toContain('panel b');
  });

  it('a busy button is disabled and announces it', () => {
    const onClick = vi.fn();
    render(<Button busy onClick={onClick}>Save</Button>);
    const btn = screen.getByRole('button', { name: 'Save' });
    expect(btn).toHaveProperty('disabled', true);
    expect(btn.getAttribute('aria-busy')).toBe('true');
  });
});
