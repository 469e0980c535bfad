// Loading, error and empty states used by every page, so none of them ever shows a blank area.
import { Alert, Button, Result, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

export function PageLoading() {
  return (
    <div style={{ padding: 48, textAlign: 'center' }} data-testid="loading">
      <Spin />
    </div>
  );
}

export function LoadError({ error, onRetry }: { error: Error; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert
      type="error"
      showIcon
      data-testid="load-error"
      title={t('app.loadFailed')}
      description={error.message}
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            {t('app.retry')}
          </Button>
        ) : undefined
      }
    />
  );
}

/** A whole-page refusal with the way back to the start. */
function ErrorResult({ status, subTitle }: { status: '403' | '404'; subTitle: string }) {
  const { t } = useTranslation();
  return (
    <Result
      status={status}
      title={status}
      subTitle={subTitle}
      extra={
        <Link to="/">
          <Button type="primary">{t('app.backHome')}</Button>
        </Link>
      }
    />
  );
}

export function Forbidden() {
  const { t } = useTranslation();
  return <ErrorResult status="403" subTitle={t('app.forbidden')} />;
}

export function NotFound() {
  const { t } = useTranslation();
  return <ErrorResult status="404" subTitle={t('app.notFound')} />;
}
