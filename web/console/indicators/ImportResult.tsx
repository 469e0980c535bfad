// The result of an Excel upload: how many rows were applied, unchanged or rejected, and every rejected
// row with its row number, column and reason (in the user's language), so the sheet can be fixed in one
// pass. A file refused as a whole (not a template, wrong period…) shows its reason the same way.
import { Alert, Button, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ImportRowError } from '../../../src/kernel/schemas.ts';
import { isApiError } from '../../common/api.ts';
import { ImportErrorTable } from '../components/ExcelImport.tsx';
import { type IndicatorImportResult, NS } from './common.tsx';

export type ImportOutcome = IndicatorImportResult & { failure?: string };

/** The outcome of a failed upload: the server's row errors when it listed them. */
export function failedImport(e: unknown, message: string): ImportOutcome {
  const rows = rowErrorsOf(e);
  return {
    applied: 0,
    unchanged: 0,
    rejected: rows?.length ?? 0,
    errors: rows ?? [],
    warnings: [],
    failure: message,
  };
}

function rowErrorsOf(e: unknown): ImportRowError[] | null {
  if (!isApiError(e)) return null;
  const errors = (e.details as { errors?: unknown } | undefined)?.errors;
  return Array.isArray(errors) ? (errors as ImportRowError[]) : null;
}

/** The result of an upload: counts, and every rejected row with its row number, column and reason. */
export function ImportResultModal({
  result,
  onClose,
}: {
  result: ImportOutcome | null;
  onClose: () => void;
}) {
  const { t } = useTranslation(NS);
  return (
    <Modal
      open={result !== null}
      title={t('import.resultTitle')}
      onCancel={onClose}
      width={760}
      footer={
        <Button type="primary" onClick={onClose} data-testid="actuals-import-close">
          {t('actions.close')}
        </Button>
      }
    >
      {result ? (
        <div data-testid="actuals-import-result">
          {result.failure ? (
            <Alert type="error" showIcon title={result.failure} style={{ marginBottom: 12 }} />
          ) : (
            <Alert
              type={result.rejected > 0 ? 'warning' : 'success'}
              showIcon
              style={{ marginBottom: 12 }}
              title={t('import.summary', {
                applied: result.applied,
                unchanged: result.unchanged,
                rejected: result.rejected,
              })}
              description={result.rejected > 0 ? t('import.rejectedHint') : undefined}
            />
          )}
          {result.errors.length > 0 ? <ImportErrorTable errors={result.errors} redReasons /> : null}
          {result.warnings.length > 0 ? (
            <>
              <Alert
                type="warning"
                showIcon
                style={{ margin: '12px 0' }}
                title={t('import.warningsTitle', { count: result.warnings.length })}
                data-testid="actuals-import-warnings-title"
              />
              <ImportErrorTable errors={result.warnings} testId="import-warnings" />
            </>
          ) : null}
        </div>
      ) : null}
    </Modal>
  );
}
