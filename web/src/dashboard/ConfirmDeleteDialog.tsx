import { useState, type ReactNode } from 'react';
import { Dialog, ErrorAlert } from '../ui';
import { useStaff } from './context';

/** Asks before deleting one thing at `path` (DELETE); the refusal, if any, is said in the dialog. */
export function ConfirmDeleteDialog({
  title,
  path,
  onClose,
  onDeleted,
  children,
}: {
  title: string;
  path: string;
  onClose: () => void;
  onDeleted: () => void;
  children: ReactNode;
}) {
  const { call } = useStaff();
  const [error, setError] = useState<unknown>(null);
  const remove = async () => {
    try {
      await call(path, { method: 'DELETE' });
      onDeleted();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Dialog
      title={title}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="secondary" onClick={onClose}>
            Keep it
          </button>
          <button type="button" className="danger" onClick={() => void remove()}>
            Delete
          </button>
        </>
      }
    >
      {children}
      <ErrorAlert error={error} />
    </Dialog>
  );
}
