// Asks for a reason before an audited change (reopening a slot, editing after scoring began, correcting
// a closed slot). `ask()` resolves to the reason, or null when the user cancels.
import { Alert, Form, Input, Modal } from 'antd';
import { type ReactNode, useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { validValues } from '../hooks.ts';
import { requiredText } from './rules.ts';
import { withTestId } from './testId.ts';

interface Pending {
  title: string;
  warning?: string | undefined;
  resolve: (reason: string | null) => void;
}

export function useReasonPrompt(): [(title: string, warning?: string) => Promise<string | null>, ReactNode] {
  const { t } = useTranslation();
  const [pending, setPending] = useState<Pending | null>(null);
  const [form] = Form.useForm<{ reason: string }>();
  const pendingRef = useRef<Pending | null>(null);

  const ask = useCallback(
    (title: string, warning?: string) =>
      new Promise<string | null>((resolve) => {
        const p = { title, warning, resolve };
        pendingRef.current = p;
        form.resetFields();
        setPending(p);
      }),
    [form],
  );

  const finish = (reason: string | null) => {
    pendingRef.current?.resolve(reason);
    pendingRef.current = null;
    setPending(null);
  };

  const element = (
    <Modal
      open={pending !== null}
      title={pending?.title}
      okText={t('actions.confirm')}
      okButtonProps={withTestId('reason-ok')}
      onOk={async () => {
        const v = await validValues(form);
        if (!v) return;
        finish(v.reason.trim());
      }}
      onCancel={() => finish(null)}
      forceRender
    >
      {pending?.warning ? (
        <Alert type="warning" showIcon title={pending.warning} style={{ marginBottom: 16 }} />
      ) : null}
      <Form form={form} layout="vertical">
        <Form.Item name="reason" label={t('reason.label')} rules={requiredText(t('reason.required'), 500)}>
          <Input.TextArea
            rows={3}
            autoFocus
            data-testid="reason-input"
            placeholder={t('reason.placeholder')}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
  return [ask, element];
}
