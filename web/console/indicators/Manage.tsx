// 指标管理: the indicators of a year (search; filter by unit, program and the light of a period; sort),
// created and edited in a drawer — direction, kind, baseline, target and tiers, co-units, frequency,
// the plan (linear, or a value expected per period), weight and light source; Excel out and in. The
// work framework and the periods are tabs of the same page. Leaders and observers read, never edit.
// This file is the page and its tabs; the indicators tab is IndicatorsTab.tsx, its drawer
// IndicatorDrawer.tsx.
import { Card, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { api } from '../../common/api.ts';
import { LoadError } from '../components/States.tsx';
import { useLoad } from '../hooks.ts';
import { type IndicatorView, NS, useAccess, useFramework, usePeriod, useUnits } from './common.tsx';
import { FrameworkEditor } from './Framework.tsx';
import { IndicatorsTab } from './IndicatorsTab.tsx';
import { PeriodsEditor } from './Periods.tsx';

export function ManagePage() {
  const { t } = useTranslation(NS);
  const { tab = 'indicators' } = useParams();
  const navigate = useNavigate();
  const access = useAccess();
  const ps = usePeriod();
  const units = useUnits();
  const framework = useFramework();
  const indicators = useLoad(() => api.get<IndicatorView[]>('/api/indicators'), []);

  return (
    <Card>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('menu.manage')}
      </Typography.Title>
      {units.error ? <LoadError error={units.error} onRetry={() => void units.reload()} /> : null}
      <Tabs
        activeKey={tab}
        destroyOnHidden
        onChange={(k) => navigate(`/indicators/manage/${k}${ps.key ? `?period=${ps.key}` : ''}`)}
        items={[
          {
            key: 'indicators',
            label: <span data-testid="tab-indicators">{t('manage.tabIndicators')}</span>,
            children: (
              <IndicatorsTab
                ps={ps}
                indicators={indicators}
                nodes={framework.data ?? []}
                units={units.data ?? []}
                canEdit={access.canEdit}
              />
            ),
          },
          {
            key: 'framework',
            label: <span data-testid="tab-framework">{t('manage.tabFramework')}</span>,
            children: (
              <FrameworkEditor
                nodes={framework.data ?? []}
                indicators={indicators.data ?? []}
                loading={framework.loading}
                error={framework.error}
                reload={() => void framework.reload()}
                canEdit={access.canEdit}
              />
            ),
          },
          {
            key: 'periods',
            label: <span data-testid="tab-periods">{t('manage.tabPeriods')}</span>,
            children: (
              <PeriodsEditor
                periods={ps.periods}
                loading={ps.loading}
                error={ps.error}
                reload={() => void ps.reload()}
                canEdit={access.canEdit}
                defaultYear={ps.period?.year ?? new Date().getFullYear()}
              />
            ),
          },
        ]}
      />
    </Card>
  );
}
