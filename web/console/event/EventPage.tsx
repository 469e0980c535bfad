// One event, one page: tabs for setup, judges, agenda, the live host console, results and the audit
// log. Tabs are in the URL (/events/:id/:tab) so a reload or a shared link lands on the same place.
import { ArrowLeftOutlined } from '@ant-design/icons';
import { Card, Space, Tabs, Typography } from 'antd';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useParams } from 'react-router';
import type { Role } from '../../../src/kernel/schemas.ts';
import type { EventDetail } from '../../../src/modules/event/schemas.ts';
import { api } from '../../common/api.ts';
import { formatDateRange } from '../../common/format.ts';
import { useAuth } from '../auth.tsx';
import { LoadError, PageLoading } from '../components/States.tsx';
import { UnsavedChangesGuard } from '../components/UnsavedChanges.tsx';
import { useLoad } from '../hooks.ts';
import { EventStatusTag } from './Events.tsx';
import type { EventTabProps } from './types.ts';

const SettingsTab = lazy(() => import('./SettingsTab.tsx').then((m) => ({ default: m.SettingsTab })));
const RubricTab = lazy(() => import('./RubricTab.tsx').then((m) => ({ default: m.RubricTab })));
const JudgesTab = lazy(() => import('./JudgesTab.tsx').then((m) => ({ default: m.JudgesTab })));
const AgendaTab = lazy(() => import('./AgendaTab.tsx').then((m) => ({ default: m.AgendaTab })));
const LiveTab = lazy(() => import('./LiveTab.tsx').then((m) => ({ default: m.LiveTab })));
const ResultsTab = lazy(() => import('./ResultsTab.tsx').then((m) => ({ default: m.ResultsTab })));
const AuditTab = lazy(() => import('./AuditTab.tsx').then((m) => ({ default: m.AuditTab })));
const ReportsTab = lazy(() => import('../reports/ReportsTab.tsx').then((m) => ({ default: m.ReportsTab })));
const ReportEditor = lazy(() =>
  import('../reports/ReportEditor.tsx').then((m) => ({ default: m.ReportEditor })),
);

const allTabs = ['settings', 'rubric', 'judges', 'agenda', 'reports', 'live', 'results', 'audit'] as const;
type TabKey = (typeof allTabs)[number];

/** Which tabs each role sees. Only organizers change anything; the others read. */
const tabsByRole: Record<Role, readonly TabKey[]> = {
  organizer: allTabs,
  // Judges are anonymous to all but the organizer: the observer watches counts, not people.
  observer: ['settings', 'rubric', 'agenda', 'live', 'results', 'audit'],
  leader: ['settings', 'rubric', 'agenda', 'results'],
  reporter: ['results'],
};

function renderTab(key: TabKey, props: EventTabProps) {
  switch (key) {
    case 'settings':
      return <SettingsTab {...props} />;
    case 'rubric':
      return <RubricTab {...props} />;
    case 'judges':
      return <JudgesTab {...props} />;
    case 'agenda':
      return <AgendaTab {...props} />;
    case 'live':
      return <LiveTab {...props} />;
    case 'results':
      return <ResultsTab {...props} />;
    case 'audit':
      return <AuditTab {...props} />;
    case 'reports':
      return <ReportsTab eventId={props.eventId} />;
  }
}

/**
 * Reporters see the published results and, when their unit is on the agenda, its showcase report: they
 * get these views without the event detail.
 */
function ReporterEvent({
  eventId,
  unitId,
  tab,
}: {
  eventId: string;
  unitId: string | null;
  tab: string | undefined;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const mine = useLoad(
    () => api.get<{ unitId: string }[]>(`/api/events/${eventId}/reports`).catch(() => []),
    [eventId],
  );
  const onAgenda = unitId !== null && (mine.data ?? []).some((r) => r.unitId === unitId);
  const active = onAgenda && tab === 'report' ? 'report' : 'results';
  return (
    <Card>
      <Space style={{ marginBottom: 16 }}>
        <Link to="/events">
          <ArrowLeftOutlined /> {t('events.back')}
        </Link>
      </Space>
      {onAgenda ? (
        <Tabs
          activeKey={active}
          onChange={(k) => navigate(`/events/${eventId}/${k}`)}
          items={(['report', 'results'] as const).map((k) => ({
            key: k,
            label: <span data-testid={`tab-${k}`}>{t(`event.tabs.${k}`)}</span>,
          }))}
        />
      ) : null}
      <Suspense fallback={<PageLoading />}>
        {active === 'report' && unitId ? (
          <ReportEditor eventId={eventId} unitId={unitId} organizer={false} />
        ) : (
          <ResultsTab eventId={eventId} detail={null} reload={async () => {}} readOnly organizer={false} />
        )}
      </Suspense>
    </Card>
  );
}

export function EventPage() {
  const { t } = useTranslation();
  const { eventId = '', tab } = useParams();
  const { user } = useAuth();
  const navigate = useNavigate();
  const role = user?.role ?? 'reporter';
  const reporter = role === 'reporter';
  const detail = useLoad(
    () => (reporter ? Promise.resolve(null) : api.get<EventDetail>(`/api/events/${eventId}`)),
    [eventId, reporter],
  );

  if (reporter) return <ReporterEvent eventId={eventId} unitId={user?.unitId ?? null} tab={tab} />;
  if (detail.error && !detail.data) {
    return (
      <Card>
        <LoadError error={detail.error} onRetry={() => void detail.reload()} />
      </Card>
    );
  }
  const d = detail.data;
  if (!d) return <PageLoading />;

  const visible = tabsByRole[role];
  const fallback: TabKey =
    role === 'organizer' ? (d.event.status === 'active' ? 'live' : 'settings') : 'results';
  const active = (visible as readonly string[]).includes(tab ?? '') ? (tab as TabKey) : null;
  if (!active) return <Navigate to={`/events/${eventId}/${fallback}`} replace />;

  const props: EventTabProps = {
    eventId,
    detail: d,
    reload: detail.reload,
    readOnly: role !== 'organizer' || d.event.status === 'locked',
    organizer: role === 'organizer',
  };

  return (
    <Card>
      <Space orientation="vertical" size={4} style={{ width: '100%', marginBottom: 8 }}>
        <Link to="/events">
          <ArrowLeftOutlined /> {t('events.back')}
        </Link>
        <Space wrap align="center">
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="event-heading">
            {d.event.title}
          </Typography.Title>
          <EventStatusTag event={d.event} testId="event-status" />
        </Space>
        <Typography.Text type="secondary">
          {formatDateRange(d.event.startDate, d.event.endDate)}
          {d.event.venue ? ` · ${d.event.venue}` : ''}
        </Typography.Text>
      </Space>
      <Tabs
        activeKey={active}
        onChange={(k) => navigate(`/events/${eventId}/${k}`)}
        items={visible.map((k) => ({
          key: k,
          label: <span data-testid={`tab-${k}`}>{t(`event.tabs.${k}`)}</span>,
        }))}
      />
      {/* Unsaved rubric or agenda edits: switching tab or leaving the page asks first. */}
      <UnsavedChangesGuard>
        <Suspense fallback={<PageLoading />}>{renderTab(active, props)}</Suspense>
      </UnsavedChangesGuard>
    </Card>
  );
}
