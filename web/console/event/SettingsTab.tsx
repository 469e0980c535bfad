// 基本设置: title, dates, venue, tracks and the aggregation rule (trim, decimals, overtime penalty,
// grade bands, tie-break). Once scoring has begun, saving asks for a reason (the change is audited).
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  Divider,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TrackView } from '../../../src/modules/accounts/schemas.ts';
import type { EventDetail, ScoringSettingsView } from '../../../src/modules/event/schemas.ts';
import { api } from '../../common/api.ts';
import { trackLabel } from '../accounts/Units.tsx';
import { DateRangeItem } from '../components/DateItems.tsx';
import { nonEmptyList, requiredText } from '../components/rules.ts';
import { useUnsavedChanges } from '../components/UnsavedChanges.tsx';
import { useLoad } from '../hooks.ts';
import { type EventTabProps, requireDetail } from './types.ts';
import { useAuditedSave } from './useAuditedSave.ts';

type BandKind = ScoringSettingsView['gradeBands']['kind'];

interface BandRow {
  key: string;
  labelZh: string;
  labelEn?: string;
  /** Percent of ranked units (rankShare). */
  sharePct?: number;
  /** Minimum score (threshold). */
  min?: number;
}

interface SettingsForm {
  title: string;
  dates: [Dayjs, Dayjs];
  venue?: string;
  trackIds: string[];
  trimK: number;
  trimMinRemaining: number;
  quorumPercent: number;
  decimals: number;
  penaltyPoints: number;
  penaltyPerSeconds: number;
  bandKind: BandKind;
  bands: BandRow[];
  tieBreakPanelId: string | null;
}

function toForm(d: EventDetail): SettingsForm {
  const s = d.event.settings;
  const g = s.gradeBands;
  return {
    title: d.event.title,
    dates: [dayjs(d.event.startDate), dayjs(d.event.endDate)],
    venue: d.event.venue,
    trackIds: d.tracks.map((tr) => tr.id),
    trimK: s.trimK,
    trimMinRemaining: s.trimMinRemaining,
    quorumPercent: s.quorumPercent,
    decimals: s.decimals,
    penaltyPoints: s.overtimePenalty.points,
    penaltyPerSeconds: s.overtimePenalty.perSeconds,
    bandKind: g.kind,
    bands:
      g.kind === 'rankShare'
        ? g.bands.map((b) => ({
            key: b.key,
            labelZh: b.labelZh,
            labelEn: b.labelEn,
            sharePct: Math.round(b.share * 10000) / 100,
          }))
        : g.kind === 'threshold'
          ? g.bands.map((b) => ({ key: b.key, labelZh: b.labelZh, labelEn: b.labelEn, min: b.min }))
          : [],
    tieBreakPanelId: s.tieBreakPanelId,
  };
}

function toSettings(v: SettingsForm): ScoringSettingsView {
  const band = (b: BandRow) => ({
    key: b.key.trim(),
    labelZh: b.labelZh.trim(),
    labelEn: (b.labelEn ?? '').trim(),
  });
  const gradeBands: ScoringSettingsView['gradeBands'] =
    v.bandKind === 'rankShare'
      ? { kind: 'rankShare', bands: v.bands.map((b) => ({ ...band(b), share: (b.sharePct ?? 0) / 100 })) }
      : v.bandKind === 'threshold'
        ? { kind: 'threshold', bands: v.bands.map((b) => ({ ...band(b), min: b.min ?? 0 })) }
        : { kind: 'none' };
  return {
    trimK: v.trimK,
    trimMinRemaining: v.trimMinRemaining,
    quorumPercent: v.quorumPercent,
    decimals: v.decimals,
    overtimePenalty: { points: v.penaltyPoints, perSeconds: v.penaltyPerSeconds },
    gradeBands,
    tieBreakPanelId: v.tieBreakPanelId ?? null,
  };
}

export function SettingsTab({ eventId, detail, reload, readOnly }: EventTabProps) {
  const d = requireDetail(detail);
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<SettingsForm>();
  const { save, saving, reasonModal } = useAuditedSave({
    form,
    scoringStarted: d.event.scoringStarted,
    reasonTitle: t('settings.reasonTitle'),
    reasonWarning: t('settings.reasonWarning'),
    reload,
  });
  const [dirty, setDirty] = useState(false);
  useUnsavedChanges(dirty && !readOnly);
  const tracks = useLoad(() => api.get<TrackView[]>('/api/tracks'), []);
  const bandKind = Form.useWatch('bandKind', form);
  const bands = Form.useWatch('bands', form) as BandRow[] | undefined;

  useEffect(() => {
    form.setFieldsValue(toForm(d));
    setDirty(false);
  }, [d, form]);

  const saveSettings = () =>
    save((v, audit) =>
      api.patch<EventDetail>(`/api/events/${eventId}`, {
        title: v.title.trim(),
        startDate: v.dates[0].format('YYYY-MM-DD'),
        endDate: v.dates[1].format('YYYY-MM-DD'),
        venue: (v.venue ?? '').trim(),
        trackIds: v.trackIds,
        settings: toSettings(v),
        ...audit,
      }),
    );

  const shareTotal = (bands ?? []).reduce((s, b) => s + (b?.sharePct ?? 0), 0);
  const trackOptions = [
    ...(tracks.data ?? []),
    ...d.tracks.filter((x) => !(tracks.data ?? []).some((y) => y.id === x.id)),
  ];

  return (
    <>
      {reasonModal}
      {d.event.scoringStarted && !readOnly ? (
        <Alert type="warning" showIcon title={t('settings.scoringStarted')} style={{ marginBottom: 16 }} />
      ) : null}
      <Form<SettingsForm>
        form={form}
        initialValues={toForm(d)}
        layout="vertical"
        disabled={readOnly}
        onValuesChange={() => setDirty(true)}
        data-testid="settings-form"
      >
        <Card size="small" title={t('settings.basics')} style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="title" label={t('events.title')} rules={requiredText(t('form.required'), 200)}>
                <Input data-testid="settings-title" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <DateRangeItem name="dates" label={t('events.dates')} required testId="settings-dates" />
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="venue" label={t('events.venue')} rules={[{ max: 200 }]}>
                <Input />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="trackIds" label={t('events.tracks')} extra={t('settings.tracksHint')}>
                <Select
                  mode="multiple"
                  data-testid="settings-tracks"
                  loading={tracks.loading}
                  options={trackOptions.map((tr) => ({ value: tr.id, label: trackLabel(tr, i18n.language) }))}
                />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card size="small" title={t('settings.aggregation')} style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={12} md={6}>
              <Form.Item
                name="trimK"
                label={t('settings.trimK')}
                rules={[{ required: true, message: t('form.required') }]}
              >
                <InputNumber
                  min={0}
                  max={10}
                  precision={0}
                  style={{ width: '100%' }}
                  data-testid="settings-trim-k"
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item
                name="trimMinRemaining"
                label={t('settings.trimMinRemaining')}
                rules={[{ required: true, message: t('form.required') }]}
              >
                <InputNumber min={1} max={100} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item
                name="quorumPercent"
                label={t('settings.quorumPercent')}
                extra={t('settings.quorumHint')}
                rules={[{ required: true, message: t('form.required') }]}
              >
                <InputNumber
                  min={0}
                  max={100}
                  precision={0}
                  suffix="%"
                  style={{ width: '100%' }}
                  data-testid="settings-quorum"
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item
                name="decimals"
                label={t('settings.decimals')}
                rules={[{ required: true, message: t('form.required') }]}
              >
                <InputNumber min={0} max={4} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item
                name="tieBreakPanelId"
                label={t('settings.tieBreak')}
                extra={t('settings.tieBreakHint')}
              >
                <Select
                  allowClear
                  placeholder={t('settings.tieBreakNone')}
                  options={d.panels.map((p) => ({ value: p.id, label: p.name }))}
                />
              </Form.Item>
            </Col>
          </Row>
          <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
            {t('settings.trimHint')}
          </Typography.Paragraph>
          <Divider style={{ margin: '12px 0' }} />
          <Row gutter={16}>
            <Col xs={12} md={6}>
              <Form.Item
                name="penaltyPoints"
                label={t('settings.penaltyPoints')}
                rules={[{ required: true, message: t('form.required') }]}
              >
                <InputNumber
                  min={0}
                  max={100}
                  step={0.1}
                  style={{ width: '100%' }}
                  suffix={t('settings.points')}
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item
                name="penaltyPerSeconds"
                label={t('settings.penaltyPerSeconds')}
                rules={[{ required: true, message: t('form.required') }]}
              >
                <InputNumber
                  min={1}
                  max={3600}
                  precision={0}
                  style={{ width: '100%' }}
                  suffix={t('settings.seconds')}
                />
              </Form.Item>
            </Col>
          </Row>
          <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
            {t('settings.penaltyHint')}
          </Typography.Paragraph>
        </Card>
        <Card size="small" title={t('settings.grades')} style={{ marginBottom: 16 }}>
          <Form.Item name="bandKind">
            <Radio.Group
              optionType="button"
              options={(['none', 'rankShare', 'threshold'] as const).map((k) => ({
                value: k,
                label: t(`settings.bandKinds.${k}`),
              }))}
              onChange={(e) => {
                const kind = e.target.value as BandKind;
                const current = form.getFieldValue('bands') as BandRow[] | undefined;
                if (kind !== 'none' && (!current || current.length === 0)) {
                  form.setFieldValue('bands', [
                    {
                      key: 'A',
                      labelZh: t('settings.defaultBands.a'),
                      labelEn: 'Excellent',
                      sharePct: 20,
                      min: 90,
                    },
                    {
                      key: 'B',
                      labelZh: t('settings.defaultBands.b'),
                      labelEn: 'Good',
                      sharePct: 50,
                      min: 80,
                    },
                    {
                      key: 'C',
                      labelZh: t('settings.defaultBands.c'),
                      labelEn: 'Fair',
                      sharePct: 30,
                      min: 0,
                    },
                  ]);
                }
              }}
            />
          </Form.Item>
          {bandKind && bandKind !== 'none' ? (
            <>
              <Typography.Paragraph type="secondary">
                {t(`settings.bandHints.${bandKind}`)}
              </Typography.Paragraph>
              <Form.List name="bands" rules={nonEmptyList(t('settings.bandsRequired'))}>
                {(fields, { add, remove }, { errors }) => (
                  <>
                    {fields.map((field) => (
                      <Space key={field.key} align="start" wrap style={{ display: 'flex' }}>
                        <Form.Item
                          name={[field.name, 'key']}
                          rules={[{ required: true, message: t('form.required') }, { max: 32 }]}
                        >
                          <Input placeholder={t('settings.bandKey')} style={{ width: 90 }} />
                        </Form.Item>
                        <Form.Item
                          name={[field.name, 'labelZh']}
                          rules={[{ required: true, message: t('form.required') }, { max: 32 }]}
                        >
                          <Input placeholder={t('settings.bandLabelZh')} style={{ width: 140 }} />
                        </Form.Item>
                        <Form.Item name={[field.name, 'labelEn']} rules={[{ max: 32 }]}>
                          <Input placeholder={t('settings.bandLabelEn')} style={{ width: 140 }} />
                        </Form.Item>
                        {bandKind === 'rankShare' ? (
                          <Form.Item
                            name={[field.name, 'sharePct']}
                            rules={[{ required: true, message: t('form.required') }]}
                          >
                            <InputNumber
                              min={0}
                              max={100}
                              placeholder={t('settings.bandShare')}
                              suffix="%"
                              style={{ width: 120 }}
                            />
                          </Form.Item>
                        ) : (
                          <Form.Item
                            name={[field.name, 'min']}
                            rules={[{ required: true, message: t('form.required') }]}
                          >
                            <InputNumber
                              placeholder={t('settings.bandMin')}
                              prefix="≥"
                              style={{ width: 120 }}
                            />
                          </Form.Item>
                        )}
                        <Button
                          icon={<DeleteOutlined />}
                          onClick={() => remove(field.name)}
                          aria-label={t('actions.remove')}
                        />
                      </Space>
                    ))}
                    <Form.ErrorList errors={errors} />
                    {fields.length < 10 ? (
                      <Button
                        type="dashed"
                        icon={<PlusOutlined />}
                        onClick={() => add({ key: '', labelZh: '', labelEn: '' })}
                      >
                        {t('settings.addBand')}
                      </Button>
                    ) : null}
                    {bandKind === 'rankShare' ? (
                      <Typography.Paragraph
                        type={Math.abs(shareTotal - 100) < 0.001 ? 'secondary' : 'warning'}
                        style={{ marginTop: 8 }}
                      >
                        {t('settings.shareTotal', { total: Math.round(shareTotal * 100) / 100 })}
                      </Typography.Paragraph>
                    ) : null}
                  </>
                )}
              </Form.List>
            </>
          ) : null}
        </Card>
        {readOnly ? null : (
          <Space>
            <Button
              type="primary"
              loading={saving}
              onClick={() => void saveSettings()}
              data-testid="settings-save"
            >
              {t('actions.save')}
            </Button>
            <Button
              disabled={!dirty}
              onClick={() => {
                form.setFieldsValue(toForm(d));
                setDirty(false);
              }}
            >
              {t('actions.reset')}
            </Button>
          </Space>
        )}
      </Form>
    </>
  );
}
