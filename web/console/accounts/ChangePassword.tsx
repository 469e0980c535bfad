import { Alert, App, Button, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate } from 'react-router';
import type { UserView } from '../../../src/modules/accounts/schemas.ts';
import { api } from '../../common/api.ts';
import { useAuth } from '../auth.tsx';
import { PageLoading } from '../components/States.tsx';
import { AuthFrame, useAuthSubmit } from './AuthFrame.tsx';

interface Values {
  oldPassword: string;
  newPassword: string;
  confirm: string;
}

export function ChangePasswordPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { user, loading, setUser, signOut } = useAuth();
  const navigate = useNavigate();
  const { busy, error, submit } = useAuthSubmit(async (v: Values) => {
    const res = await api.post<{ user: UserView }>('/api/auth/password', {
      oldPassword: v.oldPassword,
      newPassword: v.newPassword,
    });
    setUser(res.user);
    void message.success(t('password.changed'));
    navigate('/', { replace: true });
  });

  if (loading) return <PageLoading />;
  if (!user) return <Navigate to="/login" replace />;

  return (
    <AuthFrame title={t('password.title')}>
      {user.mustChangePassword ? (
        <Alert type="warning" showIcon title={t('password.mustChange')} style={{ marginBottom: 16 }} />
      ) : null}
      {error ? (
        <Alert
          type="error"
          showIcon
          title={error}
          style={{ marginBottom: 16 }}
          data-testid="password-error"
        />
      ) : null}
      <Form<Values> layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item
          name="oldPassword"
          label={t('password.old')}
          rules={[{ required: true, message: t('password.oldRequired') }]}
        >
          <Input.Password autoComplete="current-password" data-testid="password-old" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('password.new')}
          extra={t('password.rule')}
          rules={[
            { required: true, message: t('password.newRequired') },
            { min: 10, message: t('password.rule') },
            ({ getFieldValue }) => ({
              validator: (_r, value: string) =>
                value && (value === getFieldValue('oldPassword') || value === user.username)
                  ? Promise.reject(new Error(t('password.rule')))
                  : Promise.resolve(),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="password-new" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('password.confirm')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('password.confirmRequired') },
            ({ getFieldValue }) => ({
              validator: (_r, value: string) =>
                !value || value === getFieldValue('newPassword')
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('password.mismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="password-confirm" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy} data-testid="password-submit">
          {t('password.submit')}
        </Button>
        <Button type="link" block onClick={() => void signOut()} style={{ marginTop: 8 }}>
          {t('header.signOut')}
        </Button>
      </Form>
    </AuthFrame>
  );
}
