// 审计: every organizer action on this event, who, when, why, and the before/after values.
import { Button, Col, Row, Space, Table, Typography } from 'antd';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntryView } from '../../../src/modules/event/schemas.ts';
import { api } from '../../common/api.ts';
import { formatDateTime } from '../../common/format.ts';
import { SearchBox } from '../components/Filters.tsx';
import { LoadError } from '../components/States.tsx';
import { rowData } from '../components/testId.ts';
import { useLoad } from '../hooks.ts';
import type { EventTabProps } from './types.ts';

function Json({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <pre
      style={{ margin: 0, maxHeight: 320, overflow: 'auto', fontSize: 12, background: '#fafafa', padding: 8 }}
    >
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

export function AuditTab({ eventId }: EventTabProps) {
  const { t } = useTranslation();
  const log = useLoad(() => api.get<AuditEntryView[]>(`/api/events/${eventId}/audit`), [eventId]);
  const [search, setSearch] = useState('');
  const actionLabel = useCallback((a: string) => t(`audit.actions.${a}`, { defaultValue: a }), [t]);

  const rows = useMemo(() => {
    const q = search.trim().toLowerCase();
    const all = [...(log.data ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    if (!q) return all;
    return all.filter((e) =>
      [e.actorName, e.action, actionLabel(e.action), e.target ?? '', e.reason ?? ''].some((s) =>
        s.toLowerCase().includes(q),
      ),
    );
  }, [log.data, search, actionLabel]);
  const actions = [...new Set((log.data ?? []).map((e) => e.action))].sort();

  return (
    <>
      <Space style={{ marginBottom: 16 }} wrap>
        <SearchBox placeholder={t('audit.searchPlaceholder')} onSearch={setSearch} width={280} />
        <Button onClick={() => void log.reload()} loading={log.loading}>
          {t('actions.refresh')}
        </Button>
      </Space>
      {log.error ? <LoadError error={log.error} onRetry={() => void log.reload()} /> : null}
      <Table<AuditEntryView>
        rowKey="id"
        size="small"
        loading={log.loading}
        dataSource={rows}
        pagination={{ pageSize: 50, showTotal: (n) => t('app.total', { count: n }) }}
        onRow={() => rowData({ 'data-testid': 'audit-row' })}
        expandable={{
          rowExpandable: (e) => e.before !== null || e.after !== null,
          expandedRowRender: (e) => (
            <Row gutter={16}>
              <Col span={12}>
                <Typography.Text strong>{t('audit.before')}</Typography.Text>
                <Json value={e.before} />
              </Col>
              <Col span={12}>
                <Typography.Text strong>{t('audit.after')}</Typography.Text>
                <Json value={e.after} />
              </Col>
            </Row>
          ),
        }}
        columns={[
          {
            title: t('audit.time'),
            dataIndex: 'createdAt',
            width: 220,
            sorter: (a, b) => a.createdAt.localeCompare(b.createdAt),
            render: (v: string) => formatDateTime(v),
          },
          { title: t('audit.actor'), dataIndex: 'actorName', width: 140 },
          {
            title: t('audit.action'),
            dataIndex: 'action',
            width: 200,
            filters: actions.map((a) => ({ text: actionLabel(a), value: a })),
            onFilter: (v, e) => e.action === v,
            render: (a: string) => actionLabel(a),
          },
          { title: t('audit.target'), dataIndex: 'target', render: (v: string | null) => v ?? '—' },
          { title: t('audit.reason'), dataIndex: 'reason', render: (v: string | null) => v ?? '—' },
        ]}
      />
    </>
  );
}
