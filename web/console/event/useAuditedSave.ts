// Saving part of an event's setup (settings, criteria, panels): the form must be valid first (a toast
// says so, the fields say why); once scoring has begun the change is audited, so a reason is asked
// first (cancelling it saves nothing). Then the event detail is reloaded.
import { App, type FormInstance } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useReasonPrompt } from '../components/ReasonPrompt.tsx';
import { useAction } from '../hooks.ts';

/** What the request body carries for the audit: the reason, when one was asked. */
export type Audit = { reason?: string };

export function useAuditedSave<V>({
  form,
  scoringStarted,
  reasonTitle,
  reasonWarning,
  reload,
}: {
  form: FormInstance<V>;
  scoringStarted: boolean;
  reasonTitle: string;
  reasonWarning: string;
  reload: () => Promise<void>;
}): {
  /** Validates, asks for the reason if needed, then runs `send` with the values and the audit part. */
  save: (send: (values: V, audit: Audit) => Promise<unknown>) => Promise<void>;
  saving: boolean;
  /** The reason dialog; render it somewhere in the tab. */
  reasonModal: ReactNode;
} {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const act = useAction();
  const [ask, reasonModal] = useReasonPrompt();
  const [saving, setSaving] = useState(false);

  const save = async (send: (values: V, audit: Audit) => Promise<unknown>) => {
    let v: V;
    try {
      v = await form.validateFields();
    } catch {
      void message.error(t('form.fixErrors'));
      return;
    }
    let reason: string | undefined;
    if (scoringStarted) {
      const r = await ask(reasonTitle, reasonWarning);
      if (r === null) return;
      reason = r;
    }
    setSaving(true);
    const ok = await act(() => send(v, reason ? { reason } : {}), t('actions.saved'));
    setSaving(false);
    if (ok) await reload();
  };

  return { save, saving, reasonModal };
}
