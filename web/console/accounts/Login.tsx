import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { useAuth } from '../auth.tsx';
import { AuthFrame, useAuthSubmit } from './AuthFrame.tsx';

export function LoginPage() {
  const { t } = useTranslation();
  const { user, loading, judgeSession, signIn } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  const { busy, error, submit } = useAuthSubmit(async (v: { username: string; password: string }) => {
    const u = await signIn(v.username.trim(), v.password);
    navigate(u.mustChangePassword ? '/change-password' : from, { replace: true });
  });

  if (!loading && user) return <Navigate to={user.mustChangePassword ? '/change-password' : from} replace />;

  return (
    <AuthFrame title={t('login.title')}>
      {judgeSession ? (
        <Alert type="info" showIcon title={t('login.judgeSession')} style={{ marginBottom: 16 }} />
      ) : null}
      {error ? (
        <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />
      ) : null}
      <Form layout="vertical" onFinish={submit} requiredMark={false} autoComplete="on">
        <Form.Item
          name="username"
          label={t('login.username')}
          rules={[{ required: true, message: t('login.usernameRequired') }]}
        >
          <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="login-username" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('login.password')}
          rules={[{ required: true, message: t('login.passwordRequired') }]}
        >
          <Input.Password
            prefix={<LockOutlined />}
            autoComplete="current-password"
            data-testid="login-password"
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
          {t('login.submit')}
        </Button>
      </Form>
    </AuthFrame>
  );
}
