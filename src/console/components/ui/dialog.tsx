/**
 * Modal dialog and side drawer on the native `<dialog>`: the browser traps focus, closes on Escape and
 * restores focus to the opener, which a hand-made overlay would have to re-implement.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import { Button } from './button';

type Props = {
  isOpen: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
  footer?: ReactNode;
  variant?: 'dialog' | 'drawer';
};

export function Modal({ isOpen, onClose, title, children, footer, variant = 'dialog' }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  // Syncing React state to the DOM's own modal state is what effects are for.
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (isOpen && !dialog.open) dialog.showModal();
    if (!isOpen && dialog.open) dialog.close();
  }, [isOpen]);

  const frame =
    variant === 'drawer'
      ? 'ml-auto mr-0 h-dvh max-h-dvh w-full max-w-2xl rounded-none'
      : 'm-auto w-[calc(100%-2rem)] max-w-lg rounded-lg';
  return (
    <dialog
      ref={ref}
      aria-label={title}
      onClose={onClose}
      className={`${frame} bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-950/50 dark:bg-slate-900 dark:text-slate-100`}
    >
      {isOpen ? (
        <div className="flex h-full max-h-[inherit] flex-col">
          <div className="flex items-center justify-between gap-2 border-b border-slate-200 px-4 py-3 dark:border-slate-800">
            <h2 className="min-w-0 truncate text-base font-semibold">{title}</h2>
            <Button variant="ghost" onClick={onClose} aria-label={`Close ${title}`}>
              ✕
            </Button>
          </div>
          <div className="min-h-0 flex-1 overflow-y-auto px-4 py-3">{children}</div>
          {footer ? (
            <div className="flex flex-wrap justify-end gap-2 border-t border-slate-200 px-4 py-3 dark:border-slate-800">
              {footer}
            </div>
          ) : null}
        </div>
      ) : null}
    </dialog>
  );
}
