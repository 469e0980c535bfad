// The cells of the 数据填报 tables that both the entry and the review tab show: the indicator (to its
// page) and its evidence files.
import { PaperClipOutlined } from '@ant-design/icons';
import { Button, Space, Tooltip, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ActualView } from '../../../src/modules/indicators/schemas.ts';
import { download } from '../../common/api.ts';
import { useFilePicker } from '../components/FilePicker.tsx';
import { useAction } from '../hooks.ts';
import { type IndicatorView, indicatorPath, NS, type PeriodView } from './common.tsx';
import { uploadFile } from './upload.ts';

/** The indicator's name (to its page) over its code, and its own unit when it is not the one shown. */
export function IndicatorCell({
  indicator,
  periodKey,
  otherUnit,
}: {
  indicator: IndicatorView;
  periodKey: string | null;
  otherUnit?: boolean;
}) {
  return (
    <Space orientation="vertical" size={0}>
      <Link to={indicatorPath(indicator.id, periodKey)}>{indicator.name}</Link>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {indicator.code}
        {otherUnit ? ` · ${indicator.unitName}` : ''}
      </Typography.Text>
    </Space>
  );
}

/** An evidence file of an actual, downloaded with the session on a click. */
export function EvidenceLink({ file }: { file: ActualView['evidence'][number] }) {
  const act = useAction();
  return (
    <Typography.Link
      onClick={() => void act(() => download(`/api/evidence/${file.id}`, file.fileName))}
      style={{ fontSize: 12 }}
    >
      <PaperClipOutlined /> {file.fileName}
    </Typography.Link>
  );
}

/** Evidence files of the period's actual; an upload updates this cell only, so unsaved inputs stay. */
export function EvidenceCell({
  row,
  period,
  writable,
}: {
  row: { indicator: IndicatorView; actual: ActualView | null };
  period: PeriodView;
  writable: boolean;
}) {
  const { t } = useTranslation(NS);
  const act = useAction();
  const [busy, setBusy] = useState(false);
  const [uploaded, setUploaded] = useState<ActualView | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a reloaded actual replaces the local copy.
  useEffect(() => setUploaded(null), [row.actual]);
  const code = row.indicator.code;
  const files = (uploaded ?? row.actual)?.evidence ?? [];
  const file = useFilePicker({
    accept: '.pdf,.jpg,.jpeg,.png,.xlsx,.docx',
    testId: `actual-evidence-input-${code}`,
    onFile: async (f) => {
      setBusy(true);
      const a = await act(
        () =>
          uploadFile<ActualView>(
            `/api/indicators/${row.indicator.id}/actuals/${encodeURIComponent(period.key)}/evidence`,
            f,
            {
              contentType: f.type || 'application/octet-stream',
              headers: { 'x-file-name': encodeURIComponent(f.name) },
            },
          ),
        t('actuals.evidenceUploaded'),
      );
      setBusy(false);
      if (a) setUploaded(a);
    },
  });
  return (
    <Space orientation="vertical" size={2}>
      {files.map((f) => (
        <EvidenceLink key={f.id} file={f} />
      ))}
      {writable ? (
        <>
          {file.input}
          <Tooltip title={row.actual ? t('actuals.evidenceHint') : t('actuals.evidenceNeedsValue')}>
            <Button
              size="small"
              icon={<PaperClipOutlined />}
              loading={busy}
              disabled={!row.actual}
              data-testid={`actual-evidence-${code}`}
              onClick={file.pick}
            >
              {t('actuals.evidence')}
            </Button>
          </Tooltip>
        </>
      ) : null}
    </Space>
  );
}
