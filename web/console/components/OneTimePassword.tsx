// A new or reset password is shown exactly once: the server never returns it again.
import { CopyOutlined } from '@ant-design/icons';
import { Alert, App, Button, Modal, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { copyText } from '../../common/api.ts';

export function OneTimePasswordModal({
  value,
  onClose,
}: {
  value: { username: string; password: string } | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return (
    <Modal
      open={value !== null}
      title={t('accounts.otpTitle')}
      closable={false}
      mask={{ closable: false }}
      footer={
        <Button type="primary" onClick={onClose} data-testid="otp-close">
          {t('accounts.otpDone')}
        </Button>
      }
    >
      <Alert type="warning" showIcon title={t('accounts.otpOnce')} style={{ marginBottom: 16 }} />
      <Typography.Paragraph>
        {t('accounts.username')}: <Typography.Text strong>{value?.username}</Typography.Text>
      </Typography.Paragraph>
      <Space>
        <Typography.Text code style={{ fontSize: 20 }} data-testid="one-time-password">
          {value?.password}
        </Typography.Text>
        <Button
          icon={<CopyOutlined />}
          data-testid="otp-copy"
          onClick={async () => {
            if (value && (await copyText(value.password))) void message.success(t('actions.copied'));
            else void message.error(t('actions.copyFailed'));
          }}
        >
          {t('actions.copy')}
        </Button>
      </Space>
    </Modal>
  );
}
