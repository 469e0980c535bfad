// The centered card around the sign-in and password pages, with the language switch.
import { Card, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';

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
