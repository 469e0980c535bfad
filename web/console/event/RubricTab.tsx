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
  type FormListFieldData,
  type FormListOperation,
  type FormRule,
  Input,
  InputNumber,
  Row,
  Space,
  Typography,
} from 'antd';
import { type CSSProperties, type ReactNode, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { EventDetail } from '../../../src/modules/event/schemas.ts';
import { api } from '../../common/api.ts';
import { RowOrderButtons } from '../components/RowButtons.tsx';
import { nonEmptyList, requiredText } from '../components/rules.ts';
import { useUnsavedChanges } from '../components/UnsavedChanges.tsx';
import { type EventTabProps, requireDetail } from './types.ts';
import { type Audit, useAuditedSave } from './useAuditedSave.ts';

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
 * reloading after saving the other card does not wipe unsaved edits in this one. `savedKey` is that
 * content, to tell unsaved edits by.
 */
function useSavedForm<F extends object>(initial: F): { form: FormInstance<F>; savedKey: string } {
  const [form] = Form.useForm<F>();
  const savedKey = JSON.stringify(initial);
  useEffect(() => {
    form.setFieldsValue(JSON.parse(savedKey) as Parameters<FormInstance<F>['setFieldsValue']>[0]);
  }, [savedKey, form]);
  return { form, savedKey };
}

/** A row's name cell: the row's id (hidden, so saved rows keep it) and its required name. */
function NameCell({
  field,
  name,
  testId,
  placeholder,
}: {
  field: FormListFieldData;
  name: string;
  testId: string;
  placeholder?: string;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item name={[field.name, 'id']} hidden>
        <Input />
      </Form.Item>
      <Form.Item name={[field.name, name]} rules={requiredText(t('form.required'), 200)}>
        <Input placeholder={placeholder} data-testid={testId} />
      </Form.Item>
    </>
  );
}

/** A row's required number cell: the rule's range is [`least`, `max`], the input's [0, `max`]. */
function NumberCell({
  field,
  name,
  least,
  max,
  rangeMessage,
  testId,
  step,
  placeholder,
  dependencies,
}: {
  field: FormListFieldData;
  name: string;
  least: number;
  max: number;
  rangeMessage: string;
  testId: string;
  step?: number;
  placeholder?: string;
  dependencies?: (string | number)[][];
}) {
  const { t } = useTranslation();
  return (
    <Form.Item
      name={[field.name, name]}
      dependencies={dependencies}
      rules={numberIn(least, max, rangeMessage, t('form.required'))}
    >
      <InputNumber
        min={0}
        max={max}
        step={step}
        placeholder={placeholder}
        style={{ width: '100%' }}
        data-testid={testId}
      />
    </Form.Item>
  );
}

/** What a row's renderer gets besides its field: the list's operations and the rows' running total. */
interface RowContext<R> {
  index: number;
  count: number;
  rows: R[] | undefined;
  total: number;
  move: FormListOperation['move'];
  remove: FormListOperation['remove'];
}

/**
 * One saved list of the rubric (criteria or panels) as a card: the form filled from what is saved,
 * empty state, optional column header, the rows, and under them add (until the list is full) and
 * save (audited once scoring began); add and save are gone when read-only.
 */
function ListCard<R extends { id?: string }>({
  eventId,
  d,
  reload,
  readOnly,
  list,
  saved,
  amountOf,
  bodyOf,
  title,
  extra,
  style,
  hint,
  requiredMessage,
  emptyText,
  header,
  renderRow,
  newRow,
  addLabel,
  saveLabel,
  testIds,
}: CardProps & {
  /** The form list's name, also the key of the list in the saved body and the path's last part. */
  list: 'criteria' | 'panels';
  saved: R[];
  /** The figure of a row the card totals (max points, weight). */
  amountOf: (row: R | undefined) => unknown;
  /** What a row sends besides its id (kept for rows that were saved before). */
  bodyOf: (row: R) => object;
  title: string;
  extra?: (total: number) => ReactNode;
  style?: CSSProperties;
  hint?: string;
  requiredMessage: string;
  emptyText: string;
  header?: ReactNode;
  renderRow: (field: FormListFieldData, row: RowContext<R>) => ReactNode;
  newRow: R;
  addLabel: string;
  saveLabel: string;
  /** The add and save buttons' test ids. */
  testIds: { add: string; save: string };
}) {
  const { t } = useTranslation();
  const initial: Record<string, R[]> = { [list]: saved };
  const { form, savedKey } = useSavedForm(initial);
  const rows = Form.useWatch(list, form) as R[] | undefined;
  // Edits differ from what is saved (an edit undone by hand is none); leaving with them asks first.
  useUnsavedChanges(!readOnly && rows !== undefined && JSON.stringify({ [list]: rows }) !== savedKey);
  const { save, saving, reasonModal } = useAuditedSave({
    form,
    scoringStarted: d.event.scoringStarted,
    reasonTitle: t('rubric.reasonTitle'),
    reasonWarning: t('rubric.reasonWarning'),
    reload,
  });

  const total = (rows ?? []).reduce((s, r) => s + (Number(amountOf(r)) || 0), 0);
  const send = (v: Record<string, R[]>, audit: Audit) =>
    api.put(`/api/events/${eventId}/${list}`, {
      [list]: (v[list] ?? []).map((r) => ({ ...(r.id ? { id: r.id } : {}), ...bodyOf(r) })),
      ...audit,
    });

  return (
    <Card size="small" title={title} extra={extra?.(total)} style={style}>
      {reasonModal}
      {hint ? <Typography.Paragraph type="secondary">{hint}</Typography.Paragraph> : null}
      <Form form={form} initialValues={initial} disabled={readOnly}>
        <Form.List name={list} rules={nonEmptyList(requiredMessage)}>
          {(fields, { add, remove, move }, { errors }) => (
            <>
              {fields.length === 0 ? (
                <Empty description={emptyText} image={Empty.PRESENTED_IMAGE_SIMPLE} />
              ) : null}
              {fields.length > 0 ? header : null}
              {fields.map((field, index) =>
                renderRow(field, { index, count: fields.length, rows, total, move, remove }),
              )}
              <Form.ErrorList errors={errors} />
              {readOnly ? null : (
                <Space style={{ marginTop: 8 }}>
                  <Button
                    type="dashed"
                    icon={<PlusOutlined />}
                    onClick={() => add({ ...newRow })}
                    data-testid={testIds.add}
                    disabled={fields.length >= MAX_ROWS}
                  >
                    {addLabel}
                  </Button>
                  <Button
                    type="primary"
                    loading={saving}
                    onClick={() => void save(send)}
                    data-testid={testIds.save}
                  >
                    {saveLabel}
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

/** The criteria list's column titles, with the span of each column. */
const criteriaColumns: [span: number, titleKey: string][] = [
  [7, 'rubric.nameZh'],
  [6, 'rubric.nameEn'],
  [3, 'rubric.maxPoints'],
  [3, 'rubric.step'],
];

function CriteriaCard(card: CardProps) {
  const { t } = useTranslation();
  return (
    <ListCard<CriterionRow>
      {...card}
      list="criteria"
      saved={card.d.criteria.map((c) => ({
        id: c.id,
        nameZh: c.nameZh,
        nameEn: c.nameEn,
        maxPoints: c.maxPoints,
        step: c.step,
      }))}
      newRow={{ nameZh: '', nameEn: '', maxPoints: 10, step: 1 }}
      amountOf={(r) => r?.maxPoints}
      bodyOf={(c) => ({
        nameZh: c.nameZh.trim(),
        nameEn: (c.nameEn ?? '').trim(),
        maxPoints: c.maxPoints,
        step: c.step,
      })}
      title={t('rubric.criteria')}
      extra={(total) => (
        <Typography.Text strong data-testid="rubric-total">
          {t('rubric.total', { total: round(total) })}
        </Typography.Text>
      )}
      style={{ marginBottom: 16 }}
      requiredMessage={t('rubric.criteriaRequired')}
      emptyText={t('rubric.noCriteria')}
      addLabel={t('rubric.addCriterion')}
      saveLabel={t('rubric.saveCriteria')}
      testIds={{ add: 'criterion-add', save: 'criteria-save' }}
      header={
        <Row gutter={8} style={{ marginBottom: 4 }}>
          <Col span={1} />
          {criteriaColumns.map(([span, key]) => (
            <Col key={key} span={span}>
              <Typography.Text type="secondary">{t(key)}</Typography.Text>
            </Col>
          ))}
        </Row>
      }
      renderRow={(field, { index: i, count, move, remove }) => (
        <Row gutter={8} key={field.key} align="top" data-testid={`criterion-row-${i}`}>
          <Col span={1} style={{ paddingTop: 5 }}>
            {i + 1}.
          </Col>
          <Col span={7}>
            <NameCell field={field} name="nameZh" testId={`criterion-name-zh-${i}`} />
          </Col>
          <Col span={6}>
            <Form.Item name={[field.name, 'nameEn']} rules={[{ max: 200 }]}>
              <Input data-testid={`criterion-name-en-${i}`} />
            </Form.Item>
          </Col>
          <Col span={3}>
            <NumberCell
              field={field}
              name="maxPoints"
              least={0.01}
              max={1000}
              rangeMessage={t('rubric.maxRange')}
              testId={`criterion-max-${i}`}
            />
          </Col>
          <Col span={3}>
            <NumberCell
              field={field}
              name="step"
              dependencies={[['criteria', field.name, 'maxPoints']]}
              least={0.01}
              max={100}
              step={0.5}
              rangeMessage={t('rubric.stepRange')}
              testId={`criterion-step-${i}`}
            />
          </Col>
          <Col span={4}>
            <RowOrderButtons index={i} count={count} onMove={move} onRemove={() => remove(field.name)} />
          </Col>
        </Row>
      )}
    />
  );
}

function PanelsCard(card: CardProps) {
  const { t } = useTranslation();
  return (
    <ListCard<PanelRow>
      {...card}
      list="panels"
      saved={card.d.panels.map((p) => ({ id: p.id, name: p.name, weight: p.weight }))}
      newRow={{ name: '', weight: 1 }}
      amountOf={(r) => r?.weight}
      bodyOf={(p) => ({ name: p.name.trim(), weight: p.weight })}
      title={t('rubric.panels')}
      hint={t('rubric.panelsHint')}
      requiredMessage={t('rubric.panelsRequired')}
      emptyText={t('rubric.noPanels')}
      addLabel={t('rubric.addPanel')}
      saveLabel={t('rubric.savePanels')}
      testIds={{ add: 'panel-add', save: 'panels-save' }}
      renderRow={(field, { index: i, rows, total, remove }) => {
        const w = Number(rows?.[i]?.weight) || 0;
        return (
          <Row gutter={8} key={field.key} align="top" data-testid={`panel-row-${i}`}>
            <Col span={8}>
              <NameCell
                field={field}
                name="name"
                placeholder={t('rubric.panelName')}
                testId={`panel-name-${i}`}
              />
            </Col>
            <Col span={5}>
              <NumberCell
                field={field}
                name="weight"
                least={0.0001}
                max={1000}
                placeholder={t('rubric.weight')}
                rangeMessage={t('rubric.weightRange')}
                testId={`panel-weight-${i}`}
              />
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
      }}
    />
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
