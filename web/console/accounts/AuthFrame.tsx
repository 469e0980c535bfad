// The centered card around the sign-in and password pages, with the language switch, and their submit.
import { Card, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { useErrorText } from '../hooks.ts';

export function AuthFrame({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        flexDirection: 'column',
        alignItems: 'center',
        justifyContent: 'center',
        background: 'linear-gradient(160deg, #7f0000 0%, #b71c1c 45%, #f5f5f5 45%)',
        padding: 16,
      }}
    >
      <Typography.Title level={2} style={{ color: '#ffd54f', marginBottom: 24, letterSpacing: 4 }}>
        {t('app.title')}
      </Typography.Title>
      <Card style={{ width: 380, maxWidth: '100%' }} title={title} extra={<LanguageSwitch />}>
        {children}
      </Card>
    </div>
  );
}

/** A sign-in or password form's submit: busy while `send` runs; its failure as the text to show. */
export function useAuthSubmit<V>(send: (values: V) => Promise<void>): {
  busy: boolean;
  error: string | null;
  submit: (values: V) => Promise<void>;
} {
  const errorText = useErrorText();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (values: V) => {
    setBusy(true);
    setError(null);
    try {
      await send(values);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, submit };
}
