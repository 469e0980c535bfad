// The organizer's view of every unit's showcase report side by side: state, version, when submitted;
// one opens into the editor to review. The whole event's approved decks download as one PPTX.
import { Button, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { reportSummaryView, TemplateView } from '../../../src/modules/reports/schemas.ts';
import { api } from '../../common/api.ts';
import { formatDateTime } from '../../common/format.ts';
import { DownloadButton } from '../components/DownloadButton.tsx';
import { ExcelImportButton } from '../components/ExcelImport.tsx';
import { useTableScroll } from '../components/responsive.ts';
import { LoadError } from '../components/States.tsx';
import { rowData } from '../components/testId.ts';
import { useLoad } from '../hooks.ts';
import { ReportEditor, StatusTag } from './ReportEditor.tsx';
import { TemplatePanel } from './TemplatePanel.tsx';

type Summary = z.infer<typeof reportSummaryView>;
const NS = 'reports-web';

export function ReportsTab({ eventId }: { eventId: string }) {
  const { t } = useTranslation(NS);
  const [open, setOpen] = useState<string | null>(null);
  const list = useLoad(() => api.get<Summary[]>(`/api/events/${eventId}/reports`), [eventId, open]);
  const template = useLoad(() => api.get<TemplateView>(`/api/events/${eventId}/reports/template`), [eventId]);
  const scroll = useTableScroll();
  if (open)
    return (
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Button onClick={() => setOpen(null)} data-testid="reports-back">
          {t('back')}
        </Button>
        <ReportEditor eventId={eventId} unitId={open} organizer />
      </Space>
    );
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="reports-tab">
      <Space wrap>
        {template.data?.deadline ? (
          <Typography.Text>{t('deadline', { date: template.data.deadline })}</Typography.Text>
        ) : null}
        {template.data && template.data.periodKey === null ? (
          <Typography.Text type="warning">{t('noPeriod')}</Typography.Text>
        ) : null}
        <ExcelImportButton
          path={`/api/events/${eventId}/reports/required-import`}
          onImported={() => void list.reload()}
          testId="required-import"
          disabled={template.data?.locked}
        />
        <Typography.Text type="secondary">{t('required.importHint')}</Typography.Text>
        <DownloadButton
          path={`/api/events/${eventId}/reports/deck.pptx`}
          fileName="reports.pptx"
          testId="reports-event-pptx"
        >
          {t('eventPptx')}
        </DownloadButton>
      </Space>
      {template.data ? (
        <TemplatePanel eventId={eventId} template={template.data} onSaved={(v) => template.setData(v)} />
      ) : null}
      {list.error ? <LoadError error={list.error} onRetry={() => void list.reload()} /> : null}
      <Table<Summary>
        rowKey="unitId"
        size="small"
        loading={list.loading}
        dataSource={list.data ?? []}
        pagination={false}
        scroll={scroll}
        onRow={(r) => rowData({ 'data-testid': `report-row-${r.unitId}` })}
        columns={[
          { title: t('list.position'), dataIndex: 'position', width: 70 },
          { title: t('list.unit'), dataIndex: 'unitName' },
          {
            title: t('list.status'),
            key: 'status',
            render: (_, r) => <StatusTag status={r.status} />,
            width: 110,
          },
          {
            title: t('list.version'),
            dataIndex: 'version',
            width: 80,
            render: (v: number) => (v > 0 ? `v${v}` : '—'),
          },
          {
            title: t('list.submittedAt'),
            dataIndex: 'submittedAt',
            render: (v: string | null) => (v ? formatDateTime(v) : '—'),
          },
          {
            title: '',
            key: 'open',
            width: 90,
            render: (_, r) => (
              <Button size="small" onClick={() => setOpen(r.unitId)} data-testid={`report-open-${r.unitId}`}>
                {t('list.open')}
              </Button>
            ),
          },
        ]}
      />
    </Space>
  );
}
