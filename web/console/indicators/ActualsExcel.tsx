// 数据填报 the Excel way: download the template (expected values filled in), fill it, upload it (with
// progress); every rejected row comes back with its row, column and reason, the good rows are applied.
import { UploadOutlined } from '@ant-design/icons';
import { Button, Progress, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { XLSX_MIME } from '../../common/api.ts';
import { DownloadButton } from '../components/DownloadButton.tsx';
import { useFilePicker, XLSX_ACCEPT } from '../components/FilePicker.tsx';
import { useErrorText } from '../hooks.ts';
import { type IndicatorImportResult, NS, type PeriodView } from './common.tsx';
import { failedImport, type ImportOutcome, ImportResultModal } from './ImportResult.tsx';
import { type UploadProgress, uploadFile } from './upload.ts';

/** Template download and upload (with progress) for a unit or, for organizers, every unit. */
export function ExcelButtons({
  period,
  unitId,
  disabled,
  onImported,
}: {
  period: PeriodView;
  unitId: string | null;
  disabled: boolean;
  onImported: () => void;
}) {
  const { t } = useTranslation(NS);
  const errorText = useErrorText();
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [result, setResult] = useState<ImportOutcome | null>(null);

  const upload = async (file: File) => {
    setProgress({ sent: 0, processing: false });
    try {
      const r = await uploadFile<IndicatorImportResult>(
        `/api/indicators/actuals/import?period=${encodeURIComponent(period.key)}`,
        file,
        { contentType: XLSX_MIME, onProgress: setProgress },
      );
      setResult(r);
    } catch (e) {
      setResult(failedImport(e, errorText(e)));
    } finally {
      setProgress(null);
      onImported();
    }
  };
  const file = useFilePicker({ accept: XLSX_ACCEPT, testId: 'actuals-import-input', onFile: upload });

  const q = new URLSearchParams({ period: period.key });
  if (unitId) q.set('unitId', unitId);
  return (
    <>
      <DownloadButton
        path={`/api/indicators/template.xlsx?${q}`}
        fileName={`${period.key}.xlsx`}
        testId="actuals-template"
      >
        {t('actuals.template')}
      </DownloadButton>
      {file.input}
      <Button
        icon={<UploadOutlined />}
        data-testid="actuals-import"
        loading={progress !== null}
        disabled={disabled}
        onClick={file.pick}
      >
        {t('actuals.upload')}
      </Button>
      {progress ? (
        <Space data-testid="actuals-import-progress">
          <Progress
            type="line"
            size="small"
            style={{ width: 160, margin: 0 }}
            percent={Math.round(progress.sent * 100)}
            status="active"
          />
          <Typography.Text type="secondary">
            {progress.processing ? t('import.processing') : t('import.uploading')}
          </Typography.Text>
        </Space>
      ) : null}
      <ImportResultModal result={result} onClose={() => setResult(null)} />
    </>
  );
}
