// The organizer's settings of the event's reports: the indicator period the numbers come from, the
// deadline, the one look every unit's deck shares (title on the slides, colours, the screen's theme),
// the limits, and copying all of it from a previous event's template.
import { App, Button, Card, Col, Form, Input, InputNumber, Row, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EventSummary } from '../../../src/modules/event/schemas.ts';
import type { PeriodView } from '../../../src/modules/indicators/schemas.ts';
import { limitBounds } from '../../../src/modules/reports/domain/template.ts';
import type { TemplateView } from '../../../src/modules/reports/schemas.ts';
import { api } from '../../common/api.ts';
import { useFilePicker } from '../components/FilePicker.tsx';
import { useUnsavedChanges } from '../components/UnsavedChanges.tsx';
import { useAction, useLoad } from '../hooks.ts';
import { uploadFile } from '../indicators/upload.ts';

const NS = 'reports-web';
type Limits = TemplateView['template']['limits'];
const limitKeys = Object.keys(limitBounds) as (keyof Limits)[];

export function TemplatePanel({
  eventId,
  template,
  onSaved,
}: {
  eventId: string;
  template: TemplateView;
  onSaved: (t: TemplateView) => void;
}) {
  const { t } = useTranslation(NS);
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const act = useAction(form);
  const [dirty, setDirty] = useState(false);
  const [copyFrom, setCopyFrom] = useState<string | null>(null);
  useUnsavedChanges(dirty);
  const periods = useLoad(() => api.get<PeriodView[]>('/api/periods'), []);
  const events = useLoad(() => api.get<EventSummary[]>('/api/events'), []);
  const locked = template.locked;

  const fill = (v: Pick<TemplateView, 'template' | 'periodKey' | 'deadline'>) =>
    form.setFieldsValue({
      periodKey: v.periodKey,
      deadline: v.deadline ?? '',
      look: v.template.look,
      limits: v.template.limits,
    });
  // biome-ignore lint/correctness/useExhaustiveDependencies: the form shows the saved template once it loads.
  useEffect(() => fill(template), [template]);

  const copy = async () => {
    if (!copyFrom) return;
    const other = await act(() => api.get<TemplateView>(`/api/events/${copyFrom}/reports/template`));
    if (!other) return;
    // The look and limits come over; this event keeps its own title on the slides.
    fill({
      template: {
        ...other.template,
        look: { ...other.template.look, eventTitle: template.template.look.eventTitle },
      },
      periodKey: other.periodKey,
      deadline: null,
    });
    setDirty(true);
    void message.info(t('template.copied'));
  };
  const save = async () => {
    const v = await form.validateFields();
    const saved = await act(
      () =>
        api.put<TemplateView>(`/api/events/${eventId}/reports/template`, {
          template: { ...template.template, look: v.look, limits: v.limits },
          periodKey: v.periodKey ?? null,
          deadline: v.deadline ? v.deadline : null,
        }),
      t('template.saved'),
    );
    if (saved) {
      setDirty(false);
      onSaved(saved);
    }
  };

  return (
    <Card size="small" title={t('template.title')} data-testid="report-template">
      <Form form={form} layout="vertical" disabled={locked} onValuesChange={() => setDirty(true)}>
        <Row gutter={12}>
          <Col xs={24} md={8}>
            <Form.Item
              name="periodKey"
              label={t('template.period')}
              rules={[{ required: true, message: t('template.periodRequired') }]}
            >
              <Select
                data-testid="template-period"
                options={(periods.data ?? []).map((p) => ({ value: p.key, label: p.label }))}
                placeholder={t('template.periodPlaceholder')}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item
              name="deadline"
              label={t('template.deadline')}
              rules={[{ pattern: /^\d{4}-\d{2}-\d{2}$/, message: t('template.dateFormat') }]}
            >
              <Input data-testid="template-deadline" placeholder="2023-07-27" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item
              name={['look', 'eventTitle']}
              label={t('template.eventTitle')}
              rules={[{ required: true, max: 100 }]}
            >
              <Input data-testid="template-event-title" />
            </Form.Item>
          </Col>
          <Col xs={12} md={4}>
            <Form.Item name={['look', 'primaryColor']} label={t('template.primaryColor')}>
              <Input type="color" data-testid="template-primary" />
            </Form.Item>
          </Col>
          <Col xs={12} md={4}>
            <Form.Item name={['look', 'accentColor']} label={t('template.accentColor')}>
              <Input type="color" data-testid="template-accent" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name={['look', 'theme']} label={t('template.theme')}>
              <Select
                data-testid="template-theme"
                options={[
                  { value: 'red', label: t('template.themes.red') },
                  { value: 'neutral', label: t('template.themes.neutral') },
                ]}
              />
            </Form.Item>
          </Col>
          {limitKeys.map((k) => (
            <Col xs={12} md={4} key={k}>
              <Form.Item
                name={['limits', k]}
                label={t(`template.limits.${k}`)}
                rules={[{ required: true, type: 'number', min: limitBounds[k].min, max: limitBounds[k].max }]}
              >
                <InputNumber
                  min={limitBounds[k].min}
                  max={limitBounds[k].max}
                  precision={0}
                  style={{ width: '100%' }}
                  data-testid={`template-limit-${k}`}
                />
              </Form.Item>
            </Col>
          ))}
        </Row>
      </Form>
      <Space wrap>
        <Button
          type="primary"
          onClick={() => void save()}
          disabled={locked || !dirty}
          data-testid="template-save"
        >
          {t('template.save')}
        </Button>
        <Select
          style={{ minWidth: 240 }}
          placeholder={t('template.copyFrom')}
          value={copyFrom}
          onChange={setCopyFrom}
          disabled={locked}
          data-testid="template-copy-from"
          options={(events.data ?? [])
            .filter((e) => e.id !== eventId)
            .map((e) => ({ value: e.id, label: e.title }))}
        />
        <Button onClick={() => void copy()} disabled={locked || !copyFrom} data-testid="template-copy">
          {t('template.copy')}
        </Button>
        {locked ? <Typography.Text type="secondary">{t('locked')}</Typography.Text> : null}
      </Space>
      <LogoControl
        eventId={eventId}
        hasLogo={template.hasLogo}
        locked={locked}
        onChanged={(hasLogo) => onSaved({ ...template, hasLogo })}
      />
    </Card>
  );
}

/** The event's logo on every cover: upload (checked and scaled by the server) or remove. */
function LogoControl({
  eventId,
  hasLogo,
  locked,
  onChanged,
}: {
  eventId: string;
  hasLogo: boolean;
  locked: boolean;
  onChanged: (hasLogo: boolean) => void;
}) {
  const { t } = useTranslation(NS);
  const act = useAction();
  const [version, setVersion] = useState(0);
  const url = `/api/events/${eventId}/reports/template/logo`;
  const picker = useFilePicker({
    accept: 'image/png,image/jpeg,image/webp',
    testId: 'template-logo-input',
    onFile: async (f) => {
      const done = await act(
        () =>
          uploadFile<{ ok: true }>(url, f, {
            contentType: f.type || 'application/octet-stream',
            method: 'PUT',
          }),
        t('template.logoSaved'),
      );
      if (done) {
        setVersion((v) => v + 1);
        onChanged(true);
      }
    },
  });
  return (
    <Space wrap style={{ marginTop: 12 }} data-testid="template-logo" data-has-logo={hasLogo}>
      <Typography.Text>{t('template.logo')}</Typography.Text>
      {hasLogo ? (
        <img src={`${url}?v=${version}`} alt="" style={{ height: 32, background: '#fafafa' }} />
      ) : null}
      {picker.input}
      <Button size="small" disabled={locked} onClick={picker.pick} data-testid="template-logo-upload">
        {t(hasLogo ? 'template.logoReplace' : 'template.logoUpload')}
      </Button>
      {hasLogo ? (
        <Button
          size="small"
          danger
          disabled={locked}
          data-testid="template-logo-remove"
          onClick={() =>
            void act(() => api.delete(url), t('template.logoRemoved')).then((r) => {
              if (r !== undefined) onChanged(false);
            })
          }
        >
          {t('template.logoRemove')}
        </Button>
      ) : null}
    </Space>
  );
}
