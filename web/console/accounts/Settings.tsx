// 设置: what is running (version) and where the API is described.
import { ApiOutlined } from '@ant-design/icons';
import { Card, Descriptions, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import pkg from '../../../package.json' with { type: 'json' };
import { useAuth } from '../auth.tsx';

export function SettingsPage() {
  const { t } = useTranslation();
  const { user } = useAuth();
  return (
    <Card>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('menu.settings')}
      </Typography.Title>
      <Descriptions
        column={1}
        bordered
        size="small"
        items={[
          { key: 'app', label: t('settingsPage.app'), children: t('app.title') },
          {
            key: 'version',
            label: t('settingsPage.version'),
            children: <span data-testid="app-version">{pkg.version}</span>,
          },
          {
            key: 'api',
            label: t('settingsPage.api'),
            children: (
              <a href="/api/openapi.json" target="_blank" rel="noopener noreferrer">
                <ApiOutlined /> /api/openapi.json
              </a>
            ),
          },
          {
            key: 'user',
            label: t('settingsPage.user'),
            children: user
              ? t('settingsPage.userValue', { name: user.displayName, username: user.username })
              : '',
          },
        ]}
      />
    </Card>
  );
}
