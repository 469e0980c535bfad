// 亮灯规则: when a light turns yellow or red, the rank rules for indicators lit by their ranking, and the
// star bands of the assessment. Each save is a new version; every light says which version it used.
// Shares and completions are edited as percentages and stored as fractions.
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Switch,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../common/api.ts';
import { formatDateTime } from '../../common/format.ts';
import { Confirm } from '../components/Confirm.tsx';
import { LoadError, PageLoading } from '../components/States.tsx';
import { useAction, useLoad, validValues } from '../hooks.ts';
import { choices, type LightRulesView, NS, useAccess } from './common.tsx';

interface RulesForm {
  yellowWithinPoints: number;
  rankRedOn: boolean;
  rankRedPercent: number;
  rankYellowOn: boolean;
  rankYellowPercent: number;
  starsOn: boolean;
  starsSource: 'completion' | 'rank';
  bands: { stars: number; minPercent: number }[];
}

const pct = (f: number) => Number((f * 100).toFixed(4));
/** Back to a fraction; an unchanged percentage keeps the stored value, so 1/3 stays exactly a third. */
const frac = (p: number, stored?: number | null) =>
  stored !== undefined && stored !== null && pct(stored) === p ? stored : Number((p / 100).toFixed(8));

function toForm(r: LightRulesView): RulesForm {
  return {
    yellowWithinPoints: r.yellowWithinPoints,
    rankRedOn: r.rankRed !== null,
    rankRedPercent: pct(r.rankRed?.bottomShare ?? 1 / 3),
    rankYellowOn: r.rankYellow !== null,
    rankYellowPercent: pct(r.rankYellow?.bottomShare ?? 0.5),
    starsOn: r.stars !== null,
    starsSource: r.stars?.source ?? 'completion',
    bands: (
      r.stars?.bands ?? [
        { stars: 5, min: 1 },
        { stars: 4, min: 0.9 },
        { stars: 3, min: 0.8 },
      ]
    ).map((b) => ({ stars: b.stars, minPercent: pct(b.min) })),
  };
}

/** One rank rule: its switch, and the bottom share it lights (editable only while switched on). */
function RankRuleFields({
  on,
  percent,
  label,
  editable,
}: {
  on: 'rankRedOn' | 'rankYellowOn';
  percent: 'rankRedPercent' | 'rankYellowPercent';
  label: string;
  editable: boolean;
}) {
  const { t } = useTranslation(NS);
  return (
    <Space align="start" wrap>
      <Form.Item name={on} label={label} valuePropName="checked">
        <Switch />
      </Form.Item>
      <Form.Item
        name={percent}
        label={t('rules.bottomShare')}
        rules={[{ required: true, message: t('form.required') }]}
      >
        <InputNumber min={0} max={100} suffix="%" disabled={!editable} style={{ width: 140 }} />
      </Form.Item>
    </Space>
  );
}

export function RulesPage() {
  const { t } = useTranslation(NS);
  const { canEdit } = useAccess();
  const act = useAction();
  const rules = useLoad(() => api.get<LightRulesView>('/api/light-rules'), []);
  const [form] = Form.useForm<RulesForm>();
  const [saving, setSaving] = useState(false);
  const rankRedOn = Form.useWatch('rankRedOn', form);
  const rankYellowOn = Form.useWatch('rankYellowOn', form);
  const starsOn = Form.useWatch('starsOn', form);
  const starsSource = Form.useWatch('starsSource', form);

  useEffect(() => {
    if (rules.data) form.setFieldsValue(toForm(rules.data));
  }, [rules.data, form]);

  const save = async () => {
    const v = await validValues(form);
    const r = rules.data;
    if (!v || !r) return;
    const body = {
      yellowWithinPoints: v.yellowWithinPoints,
      rankRed: v.rankRedOn ? { bottomShare: frac(v.rankRedPercent, r.rankRed?.bottomShare) } : null,
      rankYellow: v.rankYellowOn
        ? { bottomShare: frac(v.rankYellowPercent, r.rankYellow?.bottomShare) }
        : null,
      stars: v.starsOn
        ? {
            source: v.starsSource,
            bands: v.bands
              .map((b, i) => ({ stars: b.stars, min: frac(b.minPercent, r.stars?.bands[i]?.min) }))
              .sort((a, b) => b.stars - a.stars),
          }
        : null,
    };
    setSaving(true);
    const saved = await act(() => api.put<LightRulesView>('/api/light-rules', body), t('rules.saved'));
    setSaving(false);
    if (saved) rules.setData(saved);
  };

  if (rules.error) return <LoadError error={rules.error} onRetry={() => void rules.reload()} />;
  if (!rules.data) return <PageLoading />;
  const r = rules.data;
  return (
    <Card>
      <Space wrap style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('rules.title')}{' '}
          <Tag color="red" data-testid="rules-version">
            {r.version === 0 ? t('rules.defaultVersion') : t('rules.version', { version: r.version })}
          </Tag>
        </Typography.Title>
        {r.version > 0 ? (
          <Typography.Text type="secondary">
            {t('rules.savedAt', { at: formatDateTime(r.createdAt) })}
          </Typography.Text>
        ) : null}
      </Space>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title={t('rules.howTitle')}
        description={t('rules.how')}
      />
      <Form<RulesForm> form={form} layout="vertical" disabled={!canEdit}>
        <Row gutter={24}>
          <Col xs={24} lg={12}>
            <Card size="small" title={t('rules.completionTitle')} style={{ marginBottom: 16 }}>
              <Form.Item
                name="yellowWithinPoints"
                label={t('rules.yellowWithin')}
                extra={t('rules.yellowWithinHint')}
                rules={[{ required: true, message: t('form.required') }]}
              >
                <InputNumber
                  min={0}
                  max={100}
                  suffix={t('rules.points')}
                  style={{ width: 200 }}
                  data-testid="rules-yellow"
                />
              </Form.Item>
            </Card>
            <Card size="small" title={t('rules.rankTitle')} style={{ marginBottom: 16 }}>
              <Typography.Paragraph type="secondary">{t('rules.rankHint')}</Typography.Paragraph>
              <RankRuleFields
                on="rankRedOn"
                percent="rankRedPercent"
                label={t('rules.rankRed')}
                editable={canEdit && Boolean(rankRedOn)}
              />
              <RankRuleFields
                on="rankYellowOn"
                percent="rankYellowPercent"
                label={t('rules.rankYellow')}
                editable={canEdit && Boolean(rankYellowOn)}
              />
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card
              size="small"
              title={t('rules.starsTitle')}
              extra={
                <Form.Item name="starsOn" valuePropName="checked" noStyle>
                  <Switch data-testid="rules-stars-on" />
                </Form.Item>
              }
              style={{ marginBottom: 16 }}
            >
              <Typography.Paragraph type="secondary">{t('rules.starsHint')}</Typography.Paragraph>
              <Form.Item name="starsSource" label={t('rules.starsSource')}>
                <Radio.Group
                  disabled={!canEdit || !starsOn}
                  options={choices(t, 'lightSource', ['completion', 'rank'])}
                />
              </Form.Item>
              <Form.List name="bands">
                {(fields, { add, remove }) => (
                  <>
                    {fields.map((f) => (
                      <Space key={f.key} align="baseline" wrap>
                        <Form.Item
                          name={[f.name, 'stars']}
                          rules={[{ required: true, message: t('form.required') }]}
                        >
                          <Select
                            style={{ width: 110 }}
                            disabled={!canEdit || !starsOn}
                            options={[5, 4, 3, 2, 1].map((n) => ({
                              value: n,
                              label: t('rules.stars', { count: n }),
                            }))}
                          />
                        </Form.Item>
                        <Typography.Text>
                          {starsSource === 'rank' ? t('rules.bandRank') : t('rules.bandCompletion')}
                        </Typography.Text>
                        <Form.Item
                          name={[f.name, 'minPercent']}
                          rules={[{ required: true, message: t('form.required') }]}
                        >
                          <InputNumber suffix="%" disabled={!canEdit || !starsOn} style={{ width: 140 }} />
                        </Form.Item>
                        {canEdit ? (
                          <Button
                            type="text"
                            danger
                            icon={<DeleteOutlined />}
                            disabled={!starsOn || fields.length <= 1}
                            onClick={() => remove(f.name)}
                            aria-label={t('actions.delete')}
                          />
                        ) : null}
                      </Space>
                    ))}
                    {canEdit ? (
                      <Button
                        type="dashed"
                        icon={<PlusOutlined />}
                        disabled={!starsOn || fields.length >= 5}
                        onClick={() => add({ stars: Math.max(1, 5 - fields.length), minPercent: 0 })}
                      >
                        {t('rules.addBand')}
                      </Button>
                    ) : null}
                  </>
                )}
              </Form.List>
            </Card>
          </Col>
        </Row>
      </Form>
      <Descriptions
        size="small"
        column={1}
        title={t('rules.examplesTitle')}
        items={(['green', 'yellow', 'red', 'grey', 'overdue'] as const).map((l) => ({
          key: l,
          label: t(`lights.${l}`),
          children: t(`rules.examples.${l}`, { threshold: r.yellowWithinPoints }),
        }))}
      />
      {canEdit ? (
        <Space style={{ marginTop: 16 }}>
          <Confirm title={t('rules.saveConfirm', { version: r.version + 1 })} onConfirm={() => void save()}>
            <Button type="primary" loading={saving} data-testid="rules-save">
              {t('rules.save')}
            </Button>
          </Confirm>
          <Button onClick={() => form.setFieldsValue(toForm(r))}>{t('actions.reset')}</Button>
        </Space>
      ) : (
        <Alert type="info" showIcon style={{ marginTop: 16 }} title={t('rules.readOnly')} />
      )}
    </Card>
  );
}
