// 指标管理's drawer an indicator is created and edited in: code, name, task, year, units and co-units;
// measure, direction, kind, baseline, target and tiers; frequency and the plan (linear, or a value
// expected per period); weight, light source and sort.
import {
  AutoComplete,
  Card,
  Col,
  Divider,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  TreeSelect,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { periodsOfYear } from '../../../src/modules/indicators/domain/periods.ts';
import { api } from '../../common/api.ts';
import { FormDrawer } from '../components/EditorDrawer.tsx';
import { SortItem } from '../components/FormItems.tsx';
import { requiredText } from '../components/rules.ts';
import { useAction, validValues } from '../hooks.ts';
import { choices, type FrameworkNodeView, type IndicatorView, NS, type UnitView } from './common.tsx';
import { frameworkTree } from './Framework.tsx';

const measures = ['亩', '个', '项', '家', '户', '人', '%', '万元', '亿元', '名'];

interface IndicatorForm {
  nodeId: string;
  code: string;
  name: string;
  measure: string;
  direction: 'higher' | 'lower';
  kind: 'cumulative' | 'point';
  year: number;
  baseline: number;
  target: number;
  tierFloor: number | null;
  tierStretch: number | null;
  unitId: string;
  coUnitIds: string[];
  frequency: 'monthly' | 'quarterly';
  planKind: 'linear' | 'phased';
  planValues: Record<string, number | null>;
  weight: number;
  lightSource: 'completion' | 'rank';
  sort: number;
}

/** The period keys a plan has values for: 2023-Q1…Q4 or 2023-M01…M12. */
export function planKeys(year: number, frequency: 'monthly' | 'quarterly'): string[] {
  return periodsOfYear(year, frequency).map((p) => p.key);
}

export function IndicatorDrawer({
  editing,
  onClose,
  onSaved,
  nodes,
  units,
  periodLabel,
  defaultYear,
}: {
  editing: IndicatorView | 'new' | null;
  onClose: () => void;
  onSaved: () => void;
  nodes: FrameworkNodeView[];
  units: UnitView[];
  periodLabel: (key: string) => string;
  defaultYear: number;
}) {
  const { t } = useTranslation(NS);
  const [form] = Form.useForm<IndicatorForm>();
  const act = useAction(form);
  const [saving, setSaving] = useState(false);
  const planKind = Form.useWatch('planKind', form);
  const year = Form.useWatch('year', form);
  const frequency = Form.useWatch('frequency', form);
  const measure = Form.useWatch('measure', form);
  // Fill the form each time the drawer opens on an indicator (or on a new one).
  useEffect(() => {
    if (editing === null) return;
    form.resetFields();
    if (editing === 'new') {
      form.setFieldsValue({
        direction: 'higher',
        kind: 'cumulative',
        year: defaultYear,
        baseline: 0,
        frequency: 'quarterly',
        planKind: 'linear',
        planValues: {},
        weight: 1,
        lightSource: 'completion',
        sort: 0,
        coUnitIds: [],
        tierFloor: null,
        tierStretch: null,
      });
    } else {
      form.setFieldsValue({
        ...editing,
        planKind: editing.plan.kind,
        planValues: editing.plan.kind === 'phased' ? editing.plan.expected : {},
      });
    }
  }, [editing, form, defaultYear]);

  const nodeTree = useMemo(
    () =>
      frameworkTree(
        nodes,
        (n) => `${n.code} ${n.name}`,
        (n) => n.kind === 'task',
      ),
    [nodes],
  );
  const unitOptions = units.map((u) => ({ value: u.id, label: u.name }));
  const keys = year && frequency ? planKeys(year, frequency) : [];

  const save = async () => {
    const v = await validValues(form);
    if (!v) return;
    const plan =
      v.planKind === 'phased'
        ? {
            kind: 'phased' as const,
            expected: Object.fromEntries(
              planKeys(v.year, v.frequency)
                .map((k) => [k, v.planValues?.[k]] as const)
                .filter((e): e is readonly [string, number] => typeof e[1] === 'number'),
            ),
          }
        : { kind: 'linear' as const };
    const body = {
      nodeId: v.nodeId,
      code: v.code.trim(),
      name: v.name.trim(),
      measure: v.measure.trim(),
      direction: v.direction,
      kind: v.kind,
      baseline: v.baseline,
      target: v.target,
      tierFloor: v.tierFloor ?? null,
      tierStretch: v.tierStretch ?? null,
      unitId: v.unitId,
      coUnitIds: (v.coUnitIds ?? []).filter((u) => u !== v.unitId),
      frequency: v.frequency,
      plan,
      weight: v.weight ?? 1,
      lightSource: v.lightSource,
      sort: v.sort ?? 0,
    };
    setSaving(true);
    const ok = await act(
      () =>
        editing === 'new' || editing === null
          ? api.post('/api/indicators', { ...body, year: v.year })
          : api.patch(`/api/indicators/${editing.id}`, body),
      t('actions.saved'),
    );
    setSaving(false);
    if (ok !== undefined) onSaved();
  };

  const required = { required: true, message: t('form.required') };
  return (
    <FormDrawer
      form={form}
      open={editing !== null}
      title={editing === 'new' ? t('manage.create') : t('manage.edit')}
      size={720}
      saving={saving}
      saveTestId="indicator-save"
      onClose={onClose}
      onSave={() => void save()}
    >
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item name="code" label={t('fields.code')} rules={requiredText(t('form.required'), 32)}>
            <Input data-testid="indicator-code" />
          </Form.Item>
        </Col>
        <Col span={16}>
          <Form.Item name="name" label={t('fields.name')} rules={requiredText(t('form.required'), 200)}>
            <Input data-testid="indicator-name" />
          </Form.Item>
        </Col>
        <Col span={16}>
          <Form.Item name="nodeId" label={t('fields.task')} rules={[required]}>
            <TreeSelect
              treeData={nodeTree}
              treeDefaultExpandAll
              showSearch
              treeNodeFilterProp="title"
              data-testid="indicator-node"
            />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="year" label={t('fields.year')} rules={[required]}>
            <InputNumber
              min={2000}
              max={2100}
              precision={0}
              style={{ width: '100%' }}
              disabled={editing !== 'new'}
            />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="unitId" label={t('fields.unit')} rules={[required]}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={unitOptions}
              data-testid="indicator-unit"
            />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="coUnitIds" label={t('fields.coUnits')}>
            <Select mode="multiple" showSearch={{ optionFilterProp: 'label' }} options={unitOptions} />
          </Form.Item>
        </Col>
      </Row>
      <Divider titlePlacement="start">{t('manage.measureAndTarget')}</Divider>
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item name="measure" label={t('fields.measure')} rules={requiredText(t('form.required'), 20)}>
            <AutoComplete options={measures.map((m) => ({ value: m }))} data-testid="indicator-measure" />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="direction" label={t('fields.direction')}>
            <Radio.Group optionType="button" options={choices(t, 'direction', ['higher', 'lower'])} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="kind" label={t('fields.kind')} tooltip={t('manage.kindHint')}>
            <Radio.Group optionType="button" options={choices(t, 'kind', ['cumulative', 'point'])} />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="baseline" label={t('fields.baseline')} rules={[required]}>
            <InputNumber style={{ width: '100%' }} suffix={measure} data-testid="indicator-baseline" />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item
            name="target"
            label={t('fields.target')}
            dependencies={['baseline', 'direction']}
            rules={[
              required,
              ({ getFieldValue }) => ({
                validator: (_r, value: number | null) => {
                  const b = getFieldValue('baseline') as number | null;
                  if (value === null || value === undefined || b === null || b === undefined)
                    return Promise.resolve();
                  const dir = getFieldValue('direction') as string;
                  if (dir === 'higher' ? value < b : value > b)
                    return Promise.reject(new Error(t('manage.targetAgainstDirection')));
                  return Promise.resolve();
                },
              }),
            ]}
          >
            <InputNumber style={{ width: '100%' }} suffix={measure} data-testid="indicator-target" />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="tierFloor" label={t('fields.tierFloor')}>
            <InputNumber style={{ width: '100%' }} suffix={measure} />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="tierStretch" label={t('fields.tierStretch')}>
            <InputNumber style={{ width: '100%' }} suffix={measure} />
          </Form.Item>
        </Col>
      </Row>
      <Divider titlePlacement="start">{t('manage.planAndReporting')}</Divider>
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item name="frequency" label={t('fields.frequency')}>
            <Radio.Group optionType="button" options={choices(t, 'frequency', ['quarterly', 'monthly'])} />
          </Form.Item>
        </Col>
        <Col span={16}>
          <Form.Item name="planKind" label={t('fields.plan')} tooltip={t('manage.planHint')}>
            <Radio.Group
              optionType="button"
              data-testid="indicator-plan-kind"
              options={choices(t, 'plan', ['linear', 'phased'])}
            />
          </Form.Item>
        </Col>
      </Row>
      {planKind === 'phased' ? (
        <Card size="small" style={{ marginBottom: 16 }} data-testid="indicator-plan-editor">
          <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
            {t('manage.phasedHint')}
          </Typography.Paragraph>
          <Row gutter={[8, 8]}>
            {keys.map((k) => (
              <Col key={k} span={frequency === 'monthly' ? 4 : 6}>
                <Form.Item name={['planValues', k]} label={periodLabel(k)} style={{ marginBottom: 0 }}>
                  <InputNumber style={{ width: '100%' }} data-testid={`indicator-plan-${k}`} />
                </Form.Item>
              </Col>
            ))}
          </Row>
        </Card>
      ) : null}
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item name="weight" label={t('fields.weight')} tooltip={t('manage.weightHint')}>
            <InputNumber min={0} max={1000} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="lightSource" label={t('fields.lightSource')} tooltip={t('manage.lightSourceHint')}>
            <Radio.Group optionType="button" options={choices(t, 'lightSource', ['completion', 'rank'])} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <SortItem label={t('fields.sort')} />
        </Col>
      </Row>
    </FormDrawer>
  );
}
