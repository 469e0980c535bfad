// 必晒内容 of one unit, set by the organizer: the indicators it must show (from its own indicators) and
// the work items it must answer, in the order the deck shows them.
import { Button, Card, Input, List, Select, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IndicatorView } from '../../../src/modules/indicators/schemas.ts';
import type { RequiredItem } from '../../../src/modules/reports/domain/report.ts';
import { api } from '../../common/api.ts';
import { useUnsavedChanges } from '../components/UnsavedChanges.tsx';
import { useAction, useLoad } from '../hooks.ts';

type Item = Pick<RequiredItem, 'kind' | 'indicatorId' | 'title'>;

export function RequiredPanel({
  eventId,
  unitId,
  required,
  editable,
  onSaved,
}: {
  eventId: string;
  unitId: string;
  required: RequiredItem[];
  editable: boolean;
  onSaved: () => void;
}) {
  const { t } = useTranslation('reports-web');
  const act = useAction();
  const [items, setItems] = useState<Item[]>(required);
  const [dirty, setDirty] = useState(false);
  const [indicator, setIndicator] = useState<string | null>(null);
  const [work, setWork] = useState('');
  useUnsavedChanges(dirty);
  const indicators = useLoad(
    () => api.get<IndicatorView[]>(`/api/indicators?unitId=${encodeURIComponent(unitId)}`),
    [unitId],
  );
  const change = (next: Item[]) => {
    setItems(next);
    setDirty(true);
  };
  const chosen = new Set(items.map((i) => i.indicatorId));
  const save = async () => {
    const saved = await act(
      () => api.put<RequiredItem[]>(`/api/events/${eventId}/reports/${unitId}/required`, { items }),
      t('required.saved'),
    );
    if (saved) {
      setDirty(false);
      onSaved();
    }
  };
  return (
    <Card size="small" title={t('required.title')} data-testid="report-required">
      <List
        size="small"
        dataSource={items}
        locale={{ emptyText: t('required.empty') }}
        renderItem={(it, i) => (
          <List.Item
            data-testid={`required-item-${i}`}
            actions={
              editable
                ? [
                    <Button
                      key="remove"
                      size="small"
                      danger
                      onClick={() => change(items.filter((_, j) => j !== i))}
                    >
                      {t('remove')}
                    </Button>,
                  ]
                : []
            }
          >
            <Space>
              <Tag color={it.kind === 'indicator' ? 'blue' : 'purple'}>{t(`required.kinds.${it.kind}`)}</Tag>
              {it.title}
            </Space>
          </List.Item>
        )}
      />
      {editable ? (
        <Space orientation="vertical" style={{ width: '100%', marginTop: 8 }}>
          <Space.Compact style={{ width: '100%' }}>
            <Select
              style={{ width: '100%' }}
              placeholder={t('required.pickIndicator')}
              value={indicator}
              onChange={setIndicator}
              data-testid="required-indicator"
              options={(indicators.data ?? [])
                .filter((x) => !chosen.has(x.id))
                .map((x) => ({ value: x.id, label: `${x.code} ${x.name}` }))}
            />
            <Button
              disabled={!indicator}
              data-testid="required-add-indicator"
              onClick={() => {
                const x = indicators.data?.find((d) => d.id === indicator);
                if (!x) return;
                change([...items, { kind: 'indicator', indicatorId: x.id, title: x.name }]);
                setIndicator(null);
              }}
            >
              {t('add')}
            </Button>
          </Space.Compact>
          <Space.Compact style={{ width: '100%' }}>
            <Input
              value={work}
              maxLength={100}
              placeholder={t('required.workPlaceholder')}
              onChange={(e) => setWork(e.target.value)}
              data-testid="required-work"
            />
            <Button
              disabled={work.trim() === ''}
              data-testid="required-add-work"
              onClick={() => {
                change([...items, { kind: 'work', indicatorId: null, title: work.trim() }]);
                setWork('');
              }}
            >
              {t('add')}
            </Button>
          </Space.Compact>
          <Button type="primary" disabled={!dirty} onClick={() => void save()} data-testid="required-save">
            {t('required.save')}
          </Button>
        </Space>
      ) : null}
    </Card>
  );
}
