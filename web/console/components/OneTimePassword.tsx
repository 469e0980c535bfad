// A new or reset password is shown exactly once: the server never returns it again.
import { Alert, Button, Modal, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { CopyButton } from './Copy.tsx';

export function OneTimePasswordModal({
  value,
  onClose,
}: {
  value: { username: string; password: string } | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
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
        <CopyButton text={value?.password} testId="otp-copy" />
      </Space>
    </Modal>
  );
}
