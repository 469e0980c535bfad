// The buttons of a table row or list row that more than one page has: edit, delete (asks first, then
// tells the page to reload) and move up / move down / remove.
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { Button, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../common/api.ts';
import { useAction } from '../hooks.ts';
import { Confirm } from './Confirm.tsx';

/** A link-style edit; what it opens is the page's (a drawer, a modal). */
export function EditButton({ testId, onClick }: { testId?: string; onClick: () => void }) {
  const { t } = useTranslation();
  return (
    <Button size="small" type="link" icon={<EditOutlined />} data-testid={testId} onClick={onClick}>
      {t('actions.edit')}
    </Button>
  );
}

/** A link-style delete: confirms, DELETEs `path`, then `onDeleted` (awaited, so the OK spinner lasts). */
export function DeleteButton({
  path,
  confirmTitle,
  testId,
  onDeleted,
}: {
  path: string;
  confirmTitle: string;
  testId: string;
  onDeleted: () => Promise<void> | void;
}) {
  const { t } = useTranslation();
  const act = useAction();
  return (
    <Confirm
      title={confirmTitle}
      danger
      onConfirm={async () => {
        const ok = await act(() => api.delete(path), t('actions.deleted'));
        if (ok !== undefined) await onDeleted();
      }}
    >
      <Button size="small" type="link" danger icon={<DeleteOutlined />} data-testid={testId}>
        {t('actions.delete')}
      </Button>
    </Confirm>
  );
}

/** Up, down and remove for row `index` of `count` rows in an ordered list. */
export function RowOrderButtons({
  index,
  count,
  onMove,
  onRemove,
  removeDisabled,
}: {
  index: number;
  count: number;
  onMove: (from: number, to: number) => void;
  onRemove: () => void;
  removeDisabled?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Space size={4}>
      <Button
        size="small"
        icon={<ArrowUpOutlined />}
        disabled={index === 0}
        onClick={() => onMove(index, index - 1)}
        aria-label={t('actions.moveUp')}
      />
      <Button
        size="small"
        icon={<ArrowDownOutlined />}
        disabled={index === count - 1}
        onClick={() => onMove(index, index + 1)}
        aria-label={t('actions.moveDown')}
      />
      <Button
        size="small"
        danger
        icon={<DeleteOutlined />}
        disabled={removeDisabled}
        onClick={onRemove}
        aria-label={t('actions.remove')}
      />
    </Space>
  );
}
