// 评分细则 and 评委组: the rubric (criteria with max points and step) and the judge panels with their
// weights. After scoring began, each save asks for a reason; the server keeps criteria that have scores.
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Empty, Form, Input, InputNumber, Row, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CriterionView, EventDetail, PanelView } from '../../../src/modules/event/schemas.ts';
import { api } from '../../common/api.ts';
import { useReasonPrompt } from '../components/ReasonPrompt.tsx';
import { useAction } from '../hooks.ts';
import { type EventTabProps, requireDetail } from './types.ts';

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

function useReason(d: EventDetail) {
  const { t } = useTranslation();
  const [ask, element] = useReasonPrompt();
  /** undefined = no reason needed; null = cancelled. */
  const reasonIfNeeded = async (): Promise<string | undefined | null> =>
    d.event.scoringStarted ? ask(t('rubric.reasonTitle'), t('rubric.reasonWarning')) : undefined;
  return [reasonIfNeeded, element] as const;
}

function CriteriaCard({
  eventId,
  d,
  reload,
  readOnly,
}: {
  eventId: string;
  d: EventDetail;
  reload: () => Promise<void>;
  readOnly: boolean;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const act = useAction();
  const [form] = Form.useForm<{ criteria: CriterionRow[] }>();
  const rows = Form.useWatch('criteria', form) as CriterionRow[] | undefined;
  const [reasonIfNeeded, reasonModal] = useReason(d);
  const [saving, setSaving] = useState(false);
  const initial = {
    criteria: d.criteria.map((c) => ({
      id: c.id,
      nameZh: c.nameZh,
      nameEn: c.nameEn,
      maxPoints: c.maxPoints,
      step: c.step,
    })),
  };

  // Keyed on the content, so reloading after saving the panels does not wipe unsaved criteria edits.
  const savedKey = JSON.stringify(initial);
  useEffect(() => {
    form.setFieldsValue(JSON.parse(savedKey) as { criteria: CriterionRow[] });
  }, [savedKey, form]);

  const total = (rows ?? []).reduce((s, r) => s + (Number(r?.maxPoints) || 0), 0);

  const save = async () => {
    let v: { criteria: CriterionRow[] };
    try {
      v = await form.validateFields();
    } catch {
      void message.error(t('form.fixErrors'));
      return;
    }
    const reason = await reasonIfNeeded();
    if (reason === null) return;
    setSaving(true);
    const ok = await act(
      () =>
        api.put<CriterionView[]>(`/api/events/${eventId}/criteria`, {
          criteria: v.criteria.map((c) => ({
            ...(c.id ? { id: c.id } : {}),
            nameZh: c.nameZh.trim(),
            nameEn: (c.nameEn ?? '').trim(),
            maxPoints: c.maxPoints,
            step: c.step,
          })),
          ...(reason ? { reason } : {}),
        }),
      t('actions.saved'),
    );
    setSaving(false);
    if (ok) await reload();
  };

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
        <Form.List
          name="criteria"
          rules={[
            {
              validator: async (_r, list: CriterionRow[] | undefined) => {
                if (!list || list.length === 0) throw new Error(t('rubric.criteriaRequired'));
              },
            },
          ]}
        >
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
                    <Form.Item
                      name={[field.name, 'nameZh']}
                      rules={[
                        { required: true, whitespace: true, message: t('form.required') },
                        { max: 200 },
                      ]}
                    >
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
                      rules={[
                        { required: true, message: t('form.required') },
                        { type: 'number', min: 0.01, max: 1000, message: t('rubric.maxRange') },
                      ]}
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
                      rules={[
                        { required: true, message: t('form.required') },
                        { type: 'number', min: 0.01, max: 100, message: t('rubric.stepRange') },
                      ]}
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
                    <Space size={4}>
                      <Button
                        size="small"
                        icon={<ArrowUpOutlined />}
                        disabled={i === 0}
                        onClick={() => move(i, i - 1)}
                        aria-label={t('actions.moveUp')}
                      />
                      <Button
                        size="small"
                        icon={<ArrowDownOutlined />}
                        disabled={i === fields.length - 1}
                        onClick={() => move(i, i + 1)}
                        aria-label={t('actions.moveDown')}
                      />
                      <Button
                        size="small"
                        danger
                        icon={<DeleteOutlined />}
                        onClick={() => remove(field.name)}
                        aria-label={t('actions.remove')}
                      />
                    </Space>
                  </Col>
                </Row>
              ))}
              <Form.ErrorList errors={errors} />
              {readOnly ? null : (
                <Space style={{ marginTop: 8 }}>
                  <Button
                    type="dashed"
                    icon={<PlusOutlined />}
                    onClick={() => add({ nameZh: '', nameEn: '', maxPoints: 10, step: 1 })}
                    data-testid="criterion-add"
                    disabled={fields.length >= 20}
                  >
                    {t('rubric.addCriterion')}
                  </Button>
                  <Button
                    type="primary"
                    loading={saving}
                    onClick={() => void save()}
                    data-testid="criteria-save"
                  >
                    {t('rubric.saveCriteria')}
                  </Button>
                </Space>
              )}
            </>
          )}
        </Form.List>
      </Form>
    </Card>
  );
}

function PanelsCard({
  eventId,
  d,
  reload,
  readOnly,
}: {
  eventId: string;
  d: EventDetail;
  reload: () => Promise<void>;
  readOnly: boolean;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const act = useAction();
  const [form] = Form.useForm<{ panels: PanelRow[] }>();
  const rows = Form.useWatch('panels', form) as PanelRow[] | undefined;
  const [reasonIfNeeded, reasonModal] = useReason(d);
  const [saving, setSaving] = useState(false);
  const initial = { panels: d.panels.map((p) => ({ id: p.id, name: p.name, weight: p.weight })) };

  const savedKey = JSON.stringify(initial);
  useEffect(() => {
    form.setFieldsValue(JSON.parse(savedKey) as { panels: PanelRow[] });
  }, [savedKey, form]);

  const total = (rows ?? []).reduce((s, r) => s + (Number(r?.weight) || 0), 0);

  const save = async () => {
    let v: { panels: PanelRow[] };
    try {
      v = await form.validateFields();
    } catch {
      void message.error(t('form.fixErrors'));
      return;
    }
    const reason = await reasonIfNeeded();
    if (reason === null) return;
    setSaving(true);
    const ok = await act(
      () =>
        api.put<PanelView[]>(`/api/events/${eventId}/panels`, {
          panels: v.panels.map((p) => ({
            ...(p.id ? { id: p.id } : {}),
            name: p.name.trim(),
            weight: p.weight,
          })),
          ...(reason ? { reason } : {}),
        }),
      t('actions.saved'),
    );
    setSaving(false);
    if (ok) await reload();
  };

  return (
    <Card size="small" title={t('rubric.panels')}>
      {reasonModal}
      <Typography.Paragraph type="secondary">{t('rubric.panelsHint')}</Typography.Paragraph>
      <Form form={form} initialValues={initial} disabled={readOnly}>
        <Form.List
          name="panels"
          rules={[
            {
              validator: async (_r, list: PanelRow[] | undefined) => {
                if (!list || list.length === 0) throw new Error(t('rubric.panelsRequired'));
              },
            },
          ]}
        >
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
                      <Form.Item
                        name={[field.name, 'name']}
                        rules={[
                          { required: true, whitespace: true, message: t('form.required') },
                          { max: 200 },
                        ]}
                      >
                        <Input placeholder={t('rubric.panelName')} data-testid={`panel-name-${i}`} />
                      </Form.Item>
                    </Col>
                    <Col span={5}>
                      <Form.Item
                        name={[field.name, 'weight']}
                        rules={[
                          { required: true, message: t('form.required') },
                          { type: 'number', min: 0.0001, max: 1000, message: t('rubric.weightRange') },
                        ]}
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
              {readOnly ? null : (
                <Space style={{ marginTop: 8 }}>
                  <Button
                    type="dashed"
                    icon={<PlusOutlined />}
                    onClick={() => add({ name: '', weight: 1 })}
                    data-testid="panel-add"
                    disabled={fields.length >= 20}
                  >
                    {t('rubric.addPanel')}
                  </Button>
                  <Button
                    type="primary"
                    loading={saving}
                    onClick={() => void save()}
                    data-testid="panels-save"
                  >
                    {t('rubric.savePanels')}
                  </Button>
                </Space>
              )}
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
