// 评分细则 and 评委组: the rubric (criteria with max points and step) and the judge panels with their
// weights. After scoring began, each save asks for a reason; the server keeps criteria that have scores.
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  Empty,
  Form,
  type FormInstance,
  type FormRule,
  Input,
  InputNumber,
  Row,
  Space,
  Typography,
} from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { CriterionView, EventDetail, PanelView } from '../../../src/modules/event/schemas.ts';
import { api } from '../../common/api.ts';
import { RowOrderButtons } from '../components/RowButtons.tsx';
import { nonEmptyList, requiredText } from '../components/rules.ts';
import { type EventTabProps, requireDetail } from './types.ts';
import { useAuditedSave } from './useAuditedSave.ts';

interface CriterionRow {
  id?: string;
  nameZh: string;
  nameEn?: string;
  maxPoints: number;
  step: number;
}
interface PanelRow {
  id?: string;
  name: string;
  weight: number;
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** A required number within [min, max]; `rangeMessage` says which range. */
const numberIn = (min: number, max: number, rangeMessage: string, requiredMessage: string): FormRule[] => [
  { required: true, message: requiredMessage },
  { type: 'number', min, max, message: rangeMessage },
];

/** The most rows a list takes (the server's limit). */
const MAX_ROWS = 20;

interface CardProps {
  eventId: string;
  d: EventDetail;
  reload: () => Promise<void>;
  readOnly: boolean;
}

/**
 * The card's form, filled from what is saved. Refilled when that changes, keyed on the content, so
 * reloading after saving the other card does not wipe unsaved edits in this one.
 */
function useSavedForm<F extends object>(initial: F): FormInstance<F> {
  const [form] = Form.useForm<F>();
  const savedKey = JSON.stringify(initial);
  useEffect(() => {
    form.setFieldsValue(JSON.parse(savedKey) as Parameters<FormInstance<F>['setFieldsValue']>[0]);
  }, [savedKey, form]);
  return form;
}

function useRubricSave<F>(form: FormInstance<F>, d: EventDetail, reload: () => Promise<void>) {
  const { t } = useTranslation();
  return useAuditedSave({
    form,
    scoringStarted: d.event.scoringStarted,
    reasonTitle: t('rubric.reasonTitle'),
    reasonWarning: t('rubric.reasonWarning'),
    reload,
  });
}

/** Under a list: add a row (until the list is full) and save the list; nothing when read-only. */
function ListFooter({
  readOnly,
  count,
  onAdd,
  addLabel,
  addTestId,
  saving,
  onSave,
  saveLabel,
  saveTestId,
}: {
  readOnly: boolean;
  count: number;
  onAdd: () => void;
  addLabel: string;
  addTestId: string;
  saving: boolean;
  onSave: () => void;
  saveLabel: string;
  saveTestId: string;
}) {
  if (readOnly) return null;
  return (
    <Space style={{ marginTop: 8 }}>
      <Button
        type="dashed"
        icon={<PlusOutlined />}
        onClick={onAdd}
        data-testid={addTestId}
        disabled={count >= MAX_ROWS}
      >
        {addLabel}
      </Button>
      <Button type="primary" loading={saving} onClick={onSave} data-testid={saveTestId}>
        {saveLabel}
      </Button>
    </Space>
  );
}

function CriteriaCard({ eventId, d, reload, readOnly }: CardProps) {
  const { t } = useTranslation();
  const initial = {
    criteria: d.criteria.map((c) => ({
      id: c.id,
      nameZh: c.nameZh,
      nameEn: c.nameEn,
      maxPoints: c.maxPoints,
      step: c.step,
    })) as CriterionRow[],
  };
  const form = useSavedForm(initial);
  const rows = Form.useWatch('criteria', form) as CriterionRow[] | undefined;
  const { save, saving, reasonModal } = useRubricSave(form, d, reload);

  const total = (rows ?? []).reduce((s, r) => s + (Number(r?.maxPoints) || 0), 0);

  const saveCriteria = () =>
    save((v, audit) =>
      api.put<CriterionView[]>(`/api/events/${eventId}/criteria`, {
        criteria: v.criteria.map((c) => ({
          ...(c.id ? { id: c.id } : {}),
          nameZh: c.nameZh.trim(),
          nameEn: (c.nameEn ?? '').trim(),
          maxPoints: c.maxPoints,
          step: c.step,
        })),
        ...audit,
      }),
    );

  return (
    <Card
      size="small"
      title={t('rubric.criteria')}
      extra={
        <Typography.Text strong data-testid="rubric-total">
          {t('rubric.total', { total: round(total) })}
        </Typography.Text>
      }
      style={{ marginBottom: 16 }}
    >
      {reasonModal}
      <Form form={form} initialValues={initial} disabled={readOnly}>
        <Form.List name="criteria" rules={nonEmptyList(t('rubric.criteriaRequired'))}>
          {(fields, { add, remove, move }, { errors }) => (
            <>
              {fields.length === 0 ? (
                <Empty description={t('rubric.noCriteria')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
              ) : null}
              {fields.length > 0 ? (
                <Row gutter={8} style={{ marginBottom: 4 }}>
                  <Col span={1} />
                  <Col span={7}>
                    <Typography.Text type="secondary">{t('rubric.nameZh')}</Typography.Text>
                  </Col>
                  <Col span={6}>
                    <Typography.Text type="secondary">{t('rubric.nameEn')}</Typography.Text>
                  </Col>
                  <Col span={3}>
                    <Typography.Text type="secondary">{t('rubric.maxPoints')}</Typography.Text>
                  </Col>
                  <Col span={3}>
                    <Typography.Text type="secondary">{t('rubric.step')}</Typography.Text>
                  </Col>
                </Row>
              ) : null}
              {fields.map((field, i) => (
                <Row gutter={8} key={field.key} align="top" data-testid={`criterion-row-${i}`}>
                  <Col span={1} style={{ paddingTop: 5 }}>
                    {i + 1}.
                  </Col>
                  <Col span={7}>
                    <Form.Item name={[field.name, 'id']} hidden>
                      <Input />
                    </Form.Item>
                    <Form.Item name={[field.name, 'nameZh']} rules={requiredText(t('form.required'), 200)}>
                      <Input data-testid={`criterion-name-zh-${i}`} />
                    </Form.Item>
                  </Col>
                  <Col span={6}>
                    <Form.Item name={[field.name, 'nameEn']} rules={[{ max: 200 }]}>
                      <Input data-testid={`criterion-name-en-${i}`} />
                    </Form.Item>
                  </Col>
                  <Col span={3}>
                    <Form.Item
                      name={[field.name, 'maxPoints']}
                      rules={numberIn(0.01, 1000, t('rubric.maxRange'), t('form.required'))}
                    >
                      <InputNumber
                        min={0}
                        max={1000}
                        style={{ width: '100%' }}
                        data-testid={`criterion-max-${i}`}
                      />
                    </Form.Item>
                  </Col>
                  <Col span={3}>
                    <Form.Item
                      name={[field.name, 'step']}
                      dependencies={[['criteria', field.name, 'maxPoints']]}
                      rules={numberIn(0.01, 100, t('rubric.stepRange'), t('form.required'))}
                    >
                      <InputNumber
                        min={0}
                        max={100}
                        step={0.5}
                        style={{ width: '100%' }}
                        data-testid={`criterion-step-${i}`}
                      />
                    </Form.Item>
                  </Col>
                  <Col span={4}>
                    <RowOrderButtons
                      index={i}
                      count={fields.length}
                      onMove={move}
                      onRemove={() => remove(field.name)}
                    />
                  </Col>
                </Row>
              ))}
              <Form.ErrorList errors={errors} />
              <ListFooter
                readOnly={readOnly}
                count={fields.length}
                onAdd={() => add({ nameZh: '', nameEn: '', maxPoints: 10, step: 1 })}
                addLabel={t('rubric.addCriterion')}
                addTestId="criterion-add"
                saving={saving}
                onSave={() => void saveCriteria()}
                saveLabel={t('rubric.saveCriteria')}
                saveTestId="criteria-save"
              />
            </>
          )}
        </Form.List>
      </Form>
    </Card>
  );
}

function PanelsCard({ eventId, d, reload, readOnly }: CardProps) {
  const { t } = useTranslation();
  const initial = {
    panels: d.panels.map((p) => ({ id: p.id, name: p.name, weight: p.weight })) as PanelRow[],
  };
  const form = useSavedForm(initial);
  const rows = Form.useWatch('panels', form) as PanelRow[] | undefined;
  const { save, saving, reasonModal } = useRubricSave(form, d, reload);

  const total = (rows ?? []).reduce((s, r) => s + (Number(r?.weight) || 0), 0);

  const savePanels = () =>
    save((v, audit) =>
      api.put<PanelView[]>(`/api/events/${eventId}/panels`, {
        panels: v.panels.map((p) => ({
          ...(p.id ? { id: p.id } : {}),
          name: p.name.trim(),
          weight: p.weight,
        })),
        ...audit,
      }),
    );

  return (
    <Card size="small" title={t('rubric.panels')}>
      {reasonModal}
      <Typography.Paragraph type="secondary">{t('rubric.panelsHint')}</Typography.Paragraph>
      <Form form={form} initialValues={initial} disabled={readOnly}>
        <Form.List name="panels" rules={nonEmptyList(t('rubric.panelsRequired'))}>
          {(fields, { add, remove }, { errors }) => (
            <>
              {fields.length === 0 ? (
                <Empty description={t('rubric.noPanels')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
              ) : null}
              {fields.map((field, i) => {
                const w = Number(rows?.[i]?.weight) || 0;
                return (
                  <Row gutter={8} key={field.key} align="top" data-testid={`panel-row-${i}`}>
                    <Col span={8}>
                      <Form.Item name={[field.name, 'id']} hidden>
                        <Input />
                      </Form.Item>
                      <Form.Item name={[field.name, 'name']} rules={requiredText(t('form.required'), 200)}>
                        <Input placeholder={t('rubric.panelName')} data-testid={`panel-name-${i}`} />
                      </Form.Item>
                    </Col>
                    <Col span={5}>
                      <Form.Item
                        name={[field.name, 'weight']}
                        rules={numberIn(0.0001, 1000, t('rubric.weightRange'), t('form.required'))}
                      >
                        <InputNumber
                          min={0}
                          max={1000}
                          placeholder={t('rubric.weight')}
                          style={{ width: '100%' }}
                          data-testid={`panel-weight-${i}`}
                        />
                      </Form.Item>
                    </Col>
                    <Col span={5} style={{ paddingTop: 5 }}>
                      <Typography.Text data-testid={`panel-share-${i}`}>
                        {total > 0 ? t('rubric.share', { pct: round((w / total) * 100, 1) }) : '—'}
                      </Typography.Text>
                    </Col>
                    <Col span={2}>
                      <Button
                        size="small"
                        danger
                        icon={<DeleteOutlined />}
                        onClick={() => remove(field.name)}
                        aria-label={t('actions.remove')}
                      />
                    </Col>
                  </Row>
                );
              })}
              <Form.ErrorList errors={errors} />
              <ListFooter
                readOnly={readOnly}
                count={fields.length}
                onAdd={() => add({ name: '', weight: 1 })}
                addLabel={t('rubric.addPanel')}
                addTestId="panel-add"
                saving={saving}
                onSave={() => void savePanels()}
                saveLabel={t('rubric.savePanels')}
                saveTestId="panels-save"
              />
            </>
          )}
        </Form.List>
      </Form>
    </Card>
  );
}

export function RubricTab({ eventId, detail, reload, readOnly }: EventTabProps) {
  const d = requireDetail(detail);
  const { t } = useTranslation();
  return (
    <>
      {d.event.scoringStarted && !readOnly ? (
        <Alert type="warning" showIcon title={t('rubric.scoringStarted')} style={{ marginBottom: 16 }} />
      ) : null}
      <CriteriaCard eventId={eventId} d={d} reload={reload} readOnly={readOnly} />
      <PanelsCard eventId={eventId} d={d} reload={reload} readOnly={readOnly} />
    </>
  );
}
