// A button that opens the browser's file dialog clicks a hidden <input type="file">. The input is
// cleared once the file is handled, so picking the same file again (say, fixed in Excel) still counts.
import { type ReactNode, useRef } from 'react';
import { XLSX_MIME } from '../../common/api.ts';

/** What the dialog offers for an Excel import. */
export const XLSX_ACCEPT = `.xlsx,${XLSX_MIME}`;

/** `input` goes anywhere in the page (it is not shown); `pick()` opens the dialog, e.g. from a button. */
export function useFilePicker({
  accept,
  testId,
  onFile,
}: {
  accept: string;
  testId: string;
  onFile: (file: File) => Promise<void>;
}): { input: ReactNode; pick: () => void } {
  const ref = useRef<HTMLInputElement>(null);
  const input = (
    <input
      ref={ref}
      type="file"
      accept={accept}
      style={{ display: 'none' }}
      data-testid={testId}
      onChange={async (e) => {
        const f = e.target.files?.[0];
        if (!f) return;
        try {
          await onFile(f);
        } finally {
          if (ref.current) ref.current.value = '';
        }
      }}
    />
  );
  return { input, pick: () => ref.current?.click() };
}
