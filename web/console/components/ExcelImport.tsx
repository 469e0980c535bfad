// Excel import as people expect it: pick a file, all or nothing; on failure every bad row is listed
// with its row number, column and reason, so the sheet can be fixed in one pass.
import { UploadOutlined } from '@ant-design/icons';
import { App, Button, Modal, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportRowError } from '../../../src/kernel/schemas.ts';
import { api, isApiError } from '../../common/api.ts';
import { useErrorText } from '../hooks.ts';
import { useFilePicker, XLSX_ACCEPT } from './FilePicker.tsx';
import { rowData } from './testId.ts';

interface ImportCounts {
  created?: number;
  updated?: number;
  unchanged?: number;
}

function rowErrorsOf(e: unknown): ImportRowError[] | null {
  if (!isApiError(e) || e.code !== 'import_failed') return null;
  const errors = (e.details as { errors?: unknown } | undefined)?.errors;
  return Array.isArray(errors) ? (errors as ImportRowError[]) : [];
}

/** Every rejected row of an upload: row number, column and reason (in red when `redReasons`). */
export function ImportErrorTable({
  errors,
  redReasons,
  testId = 'import-errors',
}: {
  errors: ImportRowError[];
  redReasons?: boolean;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <Table<ImportRowError & { key: number }>
      data-testid={testId}
      size="small"
      pagination={false}
      scroll={{ y: 360 }}
      dataSource={errors.map((e, i) => ({ ...e, key: i }))}
      rowKey="key"
      onRow={() => rowData({ 'data-testid': `${testId === 'import-errors' ? 'import-error' : testId}-row` })}
      columns={[
        { title: t('import.row'), dataIndex: 'row', width: 80 },
        {
          title: t('import.column'),
          dataIndex: 'column',
          width: 140,
          render: (v: string | null) => v ?? '—',
        },
        redReasons
          ? {
              title: t('import.reason'),
              dataIndex: 'message',
              render: (v: string) => <Typography.Text type="danger">{v}</Typography.Text>,
            }
          : { title: t('import.reason'), dataIndex: 'message' },
      ]}
    />
  );
}

export function ExcelImportButton({
  path,
  onImported,
  testId,
  disabled,
}: {
  path: string;
  onImported: () => void;
  testId: string;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<{ message: string; errors: ImportRowError[] } | null>(null);

  const upload = async (file: File) => {
    setBusy(true);
    try {
      const r = await api.uploadXlsx<ImportCounts>(path, file);
      void message.success(
        t('import.done', { created: r.created ?? 0, updated: r.updated ?? 0, unchanged: r.unchanged ?? 0 }),
      );
      onImported();
    } catch (e) {
      const rows = rowErrorsOf(e);
      if (rows) setFailed({ message: errorText(e), errors: rows });
      else void message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const file = useFilePicker({ accept: XLSX_ACCEPT, testId: `${testId}-input`, onFile: upload });

  return (
    <>
      {file.input}
      <Button
        icon={<UploadOutlined />}
        loading={busy}
        disabled={disabled}
        data-testid={testId}
        onClick={file.pick}
      >
        {t('actions.import')}
      </Button>
      <Modal
        open={failed !== null}
        title={t('import.failedTitle')}
        onCancel={() => setFailed(null)}
        footer={
          <Button type="primary" onClick={() => setFailed(null)}>
            {t('actions.close')}
          </Button>
        }
        width={720}
      >
        <Typography.Paragraph type="danger">{failed?.message}</Typography.Paragraph>
        <Typography.Paragraph type="secondary">{t('import.nothingImported')}</Typography.Paragraph>
        <ImportErrorTable errors={failed?.errors ?? []} />
      </Modal>
    </>
  );
}
