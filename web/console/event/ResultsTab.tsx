// 结果: per track ranking with each panel's score, penalties, grade and participation; the expanded row
// shows per-criterion averages and the trimmed values. Reveal per track, publish (irreversible),
// downloads, and a bar chart (ECharts, loaded only here).
import { FileTextOutlined, PrinterOutlined, ReloadOutlined, SendOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Space,
  Switch,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { lazy, Suspense, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { mayExport, type ResultsFile } from '../../../src/modules/event/domain/export-access.ts';
import type { EventDetail, ResultsView, UnitResultView } from '../../../src/modules/event/schemas.ts';
import { api, isApiError } from '../../common/api.ts';
import { formatDateTime, formatScore } from '../../common/format.ts';
import { useAuth } from '../auth.tsx';
import { useConfirmRefusal } from '../components/ConfirmRefusal.tsx';
import { DownloadButton } from '../components/DownloadButton.tsx';
import { useReasonPrompt } from '../components/ReasonPrompt.tsx';
import { LoadError, PageLoading } from '../components/States.tsx';
import { rowData, withTestId } from '../components/testId.ts';
import { Cancelled, useAction, useLoad } from '../hooks.ts';
import type { EventTabProps } from './types.ts';

const ScoreChart = lazy(() => import('./ScoreChart.tsx').then((m) => ({ default: m.ScoreChart })));

type Track = ResultsView['tracks'][number];

function Expanded({
  row,
  detail,
  decimals,
}: {
  row: UnitResultView;
  detail: EventDetail | null;
  decimals: number;
}) {
  const { t, i18n } = useTranslation();
  const criterionName = (id: string, i: number) => {
    const c = detail?.criteria.find((x) => x.id === id);
    if (!c) return t('results.criterionN', { n: i + 1 });
    return i18n.language === 'en-US' && c.nameEn ? c.nameEn : c.nameZh;
  };
  const panelName = (id: string, i: number) =>
    detail?.panels.find((p) => p.id === id)?.name ?? t('results.panelN', { n: i + 1 });
  const criteriaOrder = detail ? detail.criteria.map((c) => c.id) : Object.keys(row.criterionAverages);
  return (
    <div style={{ padding: '4px 8px' }} data-testid="result-detail">
      <Descriptions
        size="small"
        title={t('results.criterionAverages')}
        column={{ xs: 1, sm: 2, lg: 4 }}
        items={criteriaOrder.map((id, i) => ({
          key: id,
          label: criterionName(id, i),
          children: formatScore(row.criterionAverages[id] ?? null, decimals) || '—',
        }))}
      />
      <Table
        size="small"
        style={{ marginTop: 8 }}
        pagination={false}
        rowKey="panelId"
        dataSource={row.panels}
        columns={[
          {
            title: t('results.panel'),
            dataIndex: 'panelId',
            render: (id: string, _p, i) => panelName(id, i),
          },
          {
            title: t('results.panelScore'),
            dataIndex: 'score',
            render: (v: number | null) => formatScore(v, decimals) || '—',
          },
          { title: t('results.exact'), dataIndex: 'exact', render: (v: string | null) => v ?? '—' },
          { title: t('results.scoredEligible'), key: 'se', render: (_v, p) => `${p.scored}/${p.eligible}` },
          { title: t('results.counted'), dataIndex: 'counted' },
          {
            title: t('results.trimmedHigh'),
            dataIndex: 'trimmedHigh',
            render: (v: number[]) =>
              v.length ? v.map((x) => formatScore(x, decimals)).join(t('results.sep')) : '—',
          },
          {
            title: t('results.trimmedLow'),
            dataIndex: 'trimmedLow',
            render: (v: number[]) =>
              v.length ? v.map((x) => formatScore(x, decimals)).join(t('results.sep')) : '—',
          },
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
        {t('results.penaltyBreakdown', {
          overtime: formatScore(row.overtimePenalty, decimals),
          manual: formatScore(row.manualPenalty, decimals),
          raw: formatScore(row.raw, decimals) || '—',
        })}
      </Typography.Paragraph>
    </div>
  );
}

function TrackResults({
  track,
  index,
  detail,
  decimals,
  canReveal,
  onReveal,
}: {
  track: Track;
  index: number;
  detail: EventDetail | null;
  decimals: number;
  canReveal: boolean;
  onReveal: (revealed: boolean) => void;
}) {
  const { t, i18n } = useTranslation();
  const panelIds = track.rows[0]?.panels.map((p) => p.panelId) ?? detail?.panels.map((p) => p.id) ?? [];
  const panelName = (id: string, i: number) =>
    detail?.panels.find((p) => p.id === id)?.name ?? t('results.panelN', { n: i + 1 });
  // Ranked rows first by rank; units not ranked yet keep their agenda order.
  const position = new Map((detail?.slots ?? []).map((s) => [s.id, s.position]));
  const rows = [...track.rows].sort(
    (a, b) =>
      (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER) ||
      (position.get(a.slotId) ?? 0) - (position.get(b.slotId) ?? 0),
  );

  const columns: TableColumnsType<UnitResultView> = [
    {
      title: t('results.rank'),
      dataIndex: 'rank',
      width: 70,
      sorter: (a, b) => (a.rank ?? 9999) - (b.rank ?? 9999),
      render: (r: number | null) => (r === null ? '—' : <Typography.Text strong>{r}</Typography.Text>),
    },
    {
      title: t('results.unit'),
      dataIndex: 'unitName',
      render: (name: string, row) =>
        row.quorumMet ? (
          name
        ) : (
          <Space size={4} wrap>
            {name}
            <Tag color="orange" data-testid="below-quorum">
              {t('results.belowQuorum')}
            </Tag>
          </Space>
        ),
    },
    {
      title: t('results.score'),
      dataIndex: 'score',
      sorter: (a, b) => (a.score ?? -1) - (b.score ?? -1),
      render: (v: number | null) => (
        <Typography.Text strong>{formatScore(v, decimals) || '—'}</Typography.Text>
      ),
    },
    ...panelIds.map((id, i) => ({
      title: panelName(id, i),
      key: `p-${id}`,
      render: (_v: unknown, r: UnitResultView) =>
        formatScore(r.panels.find((p) => p.panelId === id)?.score ?? null, decimals) || '—',
    })),
    {
      title: t('results.penalty'),
      dataIndex: 'penalty',
      render: (v: number) =>
        v > 0 ? <Typography.Text type="danger">−{formatScore(v, decimals)}</Typography.Text> : '0',
    },
    {
      title: t('results.grade'),
      dataIndex: 'grade',
      render: (g: UnitResultView['grade']) =>
        g ? <Tag color="gold">{i18n.language === 'en-US' && g.labelEn ? g.labelEn : g.labelZh}</Tag> : '—',
    },
    {
      title: t('results.participation'),
      dataIndex: 'participation',
      render: (p: UnitResultView['participation']) => (
        <span title={t('results.recusedCount', { count: p.recused })}>
          {p.scored}/{p.eligible}
          {p.recused > 0 ? (
            <Typography.Text type="secondary">
              {t('results.recusedShort', { count: p.recused })}
            </Typography.Text>
          ) : null}
        </span>
      ),
    },
  ];

  return (
    <Card
      size="small"
      style={{ marginBottom: 16 }}
      data-testid={`results-track-${index}`}
      title={track.trackName}
      extra={
        <Space>
          <Typography.Text type="secondary">{t('results.revealed')}</Typography.Text>
          <Switch
            checked={track.revealed}
            disabled={!canReveal}
            onChange={onReveal}
            data-testid={`reveal-${index}`}
          />
        </Space>
      }
    >
      <Table<UnitResultView>
        rowKey="slotId"
        size="middle"
        scroll={{ x: 'max-content' }}
        pagination={false}
        dataSource={rows}
        columns={columns}
        onRow={(r) =>
          rowData({
            'data-testid': `result-row-${r.unitName}`,
            'data-rank': r.rank ?? '',
            'data-score': r.score ?? '',
          })
        }
        expandable={{ expandedRowRender: (r) => <Expanded row={r} detail={detail} decimals={decimals} /> }}
      />
      {rows.some((r) => r.score !== null) ? (
        <Suspense fallback={<PageLoading />}>
          <ScoreChart rows={rows} decimals={decimals} />
        </Suspense>
      ) : null}
    </Card>
  );
}

export function ResultsTab({ eventId, detail, reload, organizer }: EventTabProps) {
  const { t } = useTranslation();
  const { user } = useAuth();
  const { modal } = App.useApp();
  const act = useAction();
  const confirmRefusal = useConfirmRefusal();
  const [ask, reasonModal] = useReasonPrompt();
  const results = useLoad(() => api.get<ResultsView>(`/api/events/${eventId}/results`), [eventId]);
  const decimals = detail?.event.settings.decimals ?? 2;
  const r = results.data;
  const allClosed = useMemo(
    () => (detail ? detail.slots.length > 0 && detail.slots.every((s) => s.state === 'closed') : false),
    [detail],
  );

  const reveal = (track: Track, revealed: boolean) =>
    modal.confirm({
      title: revealed
        ? t('results.revealConfirm', { track: track.trackName })
        : t('results.hideConfirm', { track: track.trackName }),
      content: revealed ? t('results.revealWarning') : undefined,
      okButtonProps: withTestId('confirm-ok'),
      onOk: async () => {
        const next = await act(() =>
          confirmRefusal('reveal_incomplete', (confirmIncomplete) =>
            api.post<ResultsView>(`/api/events/${eventId}/reveal`, {
              trackId: track.trackId,
              revealed,
              confirmIncomplete,
            }),
          ),
        );
        if (next) {
          results.setData(next);
          void reload();
        }
      },
    });

  const publish = () =>
    modal.confirm({
      title: t('results.publishConfirm'),
      content: t('results.publishWarning'),
      okText: t('results.publish'),
      okButtonProps: withTestId('confirm-ok', { danger: true }),
      onOk: async () => {
        const next = await act(async () => {
          try {
            return await api.post<ResultsView>(`/api/events/${eventId}/publish`);
          } catch (e) {
            // Units below the quorum: published only with the organizer's written reason.
            if (!isApiError(e) || e.code !== 'quorum_reason_required') throw e;
            const quorumReason = await ask(t('results.quorumReasonTitle'), e.message);
            if (quorumReason === null) throw new Cancelled();
            return api.post<ResultsView>(`/api/events/${eventId}/publish`, { quorumReason });
          }
        }, t('results.published'));
        if (next) {
          results.setData(next);
          void reload();
        }
      },
    });

  if (results.error && !r) return <LoadError error={results.error} onRetry={() => void results.reload()} />;
  if (!r) return <PageLoading />;
  // The buttons a role can use, by the rule the server applies (a leader's appear with the publication).
  const role = user?.role ?? '';
  const may = (file: ResultsFile) => mayExport(role, file, r.published);

  return (
    <>
      {reasonModal}
      <Card size="small" style={{ marginBottom: 16 }}>
        <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
          <Space orientation="vertical" size={2}>
            <Space wrap>
              {r.published ? (
                <Tag color="green" data-testid="results-published">
                  {t('results.publishedAt', { time: formatDateTime(r.publishedAt), version: r.version ?? 1 })}
                </Tag>
              ) : (
                <Tag color="blue">{t('results.live', { time: formatDateTime(r.computedAt) })}</Tag>
              )}
            </Space>
            <Typography.Text type="secondary">
              {t('results.ledger', { count: r.ledgerLength })}{' '}
              <Typography.Text
                code
                copyable={{ text: r.ledgerHead }}
                data-testid="ledger-head"
                style={{ fontSize: 12 }}
              >
                {r.ledgerHead}
              </Typography.Text>
            </Typography.Text>
          </Space>
          <Space wrap>
            <Button
              icon={<ReloadOutlined />}
              onClick={() => void results.reload()}
              loading={results.loading}
              data-testid="results-refresh"
            >
              {t('actions.refresh')}
            </Button>
            {may('xlsx') ? (
              <DownloadButton
                path={`/api/events/${eventId}/export.xlsx`}
                fileName="results.xlsx"
                testId="results-export-xlsx"
              >
                {t('results.exportXlsx')}
              </DownloadButton>
            ) : null}
            {may('json') ? (
              <DownloadButton
                path={`/api/events/${eventId}/export.json`}
                fileName="event.json"
                testId="results-export-json"
                icon={<FileTextOutlined />}
              >
                {t('results.exportJson')}
              </DownloadButton>
            ) : null}
            {may('print') ? (
              <Button
                icon={<PrinterOutlined />}
                data-testid="results-print"
                onClick={() => window.open(`/api/events/${eventId}/results/print`, '_blank', 'noopener')}
              >
                {t('results.print')}
              </Button>
            ) : null}
            {organizer && !r.published ? (
              <Button
                type="primary"
                danger
                icon={<SendOutlined />}
                onClick={publish}
                disabled={detail !== null && !allClosed}
                data-testid="results-publish"
              >
                {t('results.publish')}
              </Button>
            ) : null}
          </Space>
        </Space>
        {organizer && !r.published && detail && !allClosed ? (
          <Alert type="info" showIcon title={t('results.publishNeedsClosed')} style={{ marginTop: 12 }} />
        ) : null}
      </Card>
      {r.tracks.length === 0 ? <Empty description={t('results.none')} /> : null}
      {r.tracks.map((tr, i) => (
        <TrackResults
          key={tr.trackId}
          track={tr}
          index={i}
          detail={detail}
          decimals={decimals}
          canReveal={organizer && !(r.published && tr.revealed)}
          onReveal={(v) => reveal(tr, v)}
        />
      ))}
    </>
  );
}
