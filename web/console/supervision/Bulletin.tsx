// 督查通报: a period's tasks by unit — on-time closure, overdue, returns, the handling score — and the
// overdue and returned lists; printable A4 (the server's page) and Excel.
import { PrinterOutlined } from '@ant-design/icons';
import { Button, Card, DatePicker, Space, Table, type TableColumnsType, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api } from '../../common/api.ts';
import { formatDate } from '../../common/format.ts';
import { dateFormats } from '../components/DateItems.tsx';
import { DownloadButton } from '../components/DownloadButton.tsx';
import { useTableScroll } from '../components/responsive.ts';
import { LoadError } from '../components/States.tsx';
import { useLoad } from '../hooks.ts';
import { type BulletinView, NS, type TaskSummary } from './common.tsx';

export function BulletinPage() {
  const { t } = useTranslation(NS);
  const scroll = useTableScroll();
  // The period travels in the URL (?from=&to=), so a bulletin can be linked and reloaded as it is.
  const [params, setParams] = useSearchParams();
  const given = [params.get('from'), params.get('to')].map((d) => (d ? dayjs(d, 'YYYY-MM-DD', true) : null));
  const [range, setRangeState] = useState<[dayjs.Dayjs, dayjs.Dayjs]>(
    given[0]?.isValid() && given[1]?.isValid() && !given[1].isBefore(given[0])
      ? [given[0], given[1]]
      : [dayjs().startOf('month'), dayjs().endOf('month')],
  );
  const setRange = (r: [dayjs.Dayjs, dayjs.Dayjs]) => {
    setRangeState(r);
    setParams({ from: r[0].format('YYYY-MM-DD'), to: r[1].format('YYYY-MM-DD') }, { replace: true });
  };
  const from = range[0].format('YYYY-MM-DD');
  const to = range[1].format('YYYY-MM-DD');
  const b = useLoad(
    () => api.get<BulletinView>(`/api/supervision/bulletin?from=${from}&to=${to}`),
    [from, to],
  );
  const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
  const columns: TableColumnsType<BulletinView['rows'][number]> = [
    { title: t('bulletin.unit'), dataIndex: 'unitName', fixed: 'left' },
    { title: t('bulletin.tasks'), dataIndex: 'tasks' },
    { title: t('bulletin.closed'), dataIndex: 'closed' },
    { title: t('bulletin.closedOnTime'), dataIndex: 'closedOnTime' },
    { title: t('bulletin.onTimeRate'), dataIndex: 'onTimeRate', render: pct },
    { title: t('bulletin.overdueOpen'), dataIndex: 'overdueOpen' },
    { title: t('bulletin.returns'), dataIndex: 'returns' },
    { title: t('bulletin.overdueDays'), dataIndex: 'overdueDays' },
    { title: t('bulletin.score'), dataIndex: 'score', render: (s: number | null) => <b>{s ?? '—'}</b> },
  ];
  const list = (rows: TaskSummary[], extra: (x: TaskSummary) => string) => (
    <Table
      rowKey="id"
      size="small"
      pagination={false}
      scroll={scroll}
      dataSource={rows}
      columns={[
        { title: t('task.unit'), dataIndex: 'unitName' },
        { title: t('task.title'), dataIndex: 'title' },
        { title: t('task.deadline'), dataIndex: 'deadline', render: (d: string) => formatDate(d) },
        { title: '', key: 'x', render: (_: unknown, r) => extra(r) },
      ]}
    />
  );
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('bulletin.title')}
      </Typography.Title>
      <Card size="small">
        <Space wrap>
          <span>{t('bulletin.period')}</span>
          <DatePicker.RangePicker
            format={dateFormats(t('console:app.dateFormat'))}
            value={range}
            allowClear={false}
            onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
            data-testid="bulletin-range"
          />
          <Button
            icon={<PrinterOutlined />}
            href={`/api/supervision/bulletin/print?from=${from}&to=${to}`}
            target="_blank"
            data-testid="bulletin-print"
          >
            {t('bulletin.print')}
          </Button>
          <DownloadButton
            path={`/api/supervision/bulletin/export?from=${from}&to=${to}`}
            fileName={`督查通报-${from}-${to}.xlsx`}
            testId="bulletin-export"
          >
            {t('bulletin.export')}
          </DownloadButton>
        </Space>
      </Card>
      {b.error ? (
        <LoadError error={b.error} onRetry={b.reload} />
      ) : (
        <>
          <Table
            rowKey="unitId"
            data-testid="bulletin-table"
            loading={b.loading}
            dataSource={b.data?.rows ?? []}
            columns={columns}
            scroll={{ x: 'max-content' }}
            pagination={false}
          />
          <Typography.Text type="secondary">{t('bulletin.formula')}</Typography.Text>
          <Card title={t('bulletin.overdueList')} size="small">
            {list(b.data?.overdue ?? [], (x) => t('task.overdueDays', { days: x.overdueDays }))}
          </Card>
          <Card title={t('bulletin.returnedList')} size="small">
            {list(b.data?.returned ?? [], (x) => `${t('task.returns')} ${x.returns}`)}
          </Card>
        </>
      )}
    </Space>
  );
}
