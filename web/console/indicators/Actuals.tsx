// 数据填报: a unit's indicators for a period, each with what is expected by now (序时进度), the actual to
// enter, a note and evidence; save as a draft or submit. A returned value shows its reason at the top.
// The Excel way: download the template (expected values filled in), fill it, upload it — every rejected
// row comes back with its row, column and reason, the good rows are applied. Organizers also review:
// verify, or return with a reason. This file is the page and its tabs; the entry tab is ActualsEntry.tsx
// (Excel in ActualsExcel.tsx), the review tab ActualsReview.tsx, the cells both show ActualsCells.tsx.
import { Card, Empty, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { LoadError, PageLoading } from '../components/States.tsx';
import { EntryTab } from './ActualsEntry.tsx';
import { ReviewTab } from './ActualsReview.tsx';
import { NS, useAccess, usePeriod } from './common.tsx';

export function ActualsPage() {
  const { t } = useTranslation(NS);
  const access = useAccess();
  const ps = usePeriod();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'review' && access.role === 'organizer' ? 'review' : 'entry';

  if (ps.error) return <LoadError error={ps.error} onRetry={() => void ps.reload()} />;
  if (ps.loading) return <PageLoading />;
  return (
    <Card>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('menu.actuals')}
      </Typography.Title>
      {ps.periods.length === 0 ? (
        <Empty description={t('period.noneYet')} />
      ) : access.role === 'organizer' ? (
        <Tabs
          activeKey={tab}
          destroyOnHidden
          onChange={(k) =>
            setParams((prev) => {
              const next = new URLSearchParams(prev);
              next.set('tab', k);
              return next;
            })
          }
          items={[
            {
              key: 'entry',
              label: <span data-testid="tab-actuals-entry">{t('actuals.tabEntry')}</span>,
              children: <EntryTab ps={ps} access={access} />,
            },
            {
              key: 'review',
              label: <span data-testid="tab-actuals-review">{t('actuals.tabReview')}</span>,
              children: <ReviewTab ps={ps} />,
            },
          ]}
        />
      ) : (
        <EntryTab ps={ps} access={access} />
      )}
    </Card>
  );
}
