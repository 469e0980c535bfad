// 群机器人 (organizer): the DingTalk, WeCom and Feishu robots of the units', the office's and the
// leaders' groups — what each receives, what it mutes, its quiet hours, daily digest — a test message,
// the delivery log with failures and a retry, and the supervision settings (when lights turn and tasks
// escalate). A robot's address and secret are typed once and never shown again.
import { PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Switch,
  Table,
  type TableColumnsType,
  Tag,
  TimePicker,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AUDIENCES, MUTABLE_KINDS } from '../../../src/modules/notifications/domain/notices.ts';
import { CHANNEL_KINDS } from '../../../src/modules/notifications/domain/robots.ts';
import type { ChannelBody, ChannelView, DeliveryView } from '../../../src/modules/notifications/schemas.ts';
import type { SupervisionSettings } from '../../../src/modules/supervision/domain/deadlines.ts';
import { api } from '../../common/api.ts';
import { formatDateTime } from '../../common/format.ts';
import { Confirm } from '../components/Confirm.tsx';
import { FormModal } from '../components/FormModal.tsx';
import { useTableScroll } from '../components/responsive.ts';
import { LoadError } from '../components/States.tsx';
import { useAction, useLoad, validValues } from '../hooks.ts';
import { NS, useUnitList } from './common.tsx';

type ChannelForm = Omit<ChannelBody, 'quietFrom' | 'quietTo'> & {
  quiet?: [dayjs.Dayjs, dayjs.Dayjs] | null;
  removeSecret?: boolean;
};

export function ChannelsPage() {
  const { t } = useTranslation(NS);
  const { message } = App.useApp();
  const act = useAction();
  const scroll = useTableScroll();
  const channels = useLoad(() => api.get<ChannelView[]>('/api/notifications/channels'), []);
  const log = useLoad(() => api.get<DeliveryView[]>('/api/notifications/deliveries?limit=100'), []);
  const [editing, setEditing] = useState<ChannelView | 'new' | null>(null);
  const columns: TableColumnsType<ChannelView> = [
    { title: t('channels.name'), dataIndex: 'name' },
    { title: t('channels.kind'), dataIndex: 'kind', render: (k: string) => t(`channels.kinds.${k}`) },
    {
      title: t('channels.audience'),
      key: 'aud',
      render: (_: unknown, c) => (c.audience === 'unit' ? c.unitName : t(`channels.audiences.${c.audience}`)),
    },
    {
      title: t('channels.webhook'),
      dataIndex: 'webhookHint',
      render: (h: string, c) => (
        <Space wrap size={4}>
          <Typography.Text code>{h}</Typography.Text>
          <Tag color={c.signed ? 'success' : 'default'}>
            {t(c.signed ? 'channels.signed' : 'channels.unsigned')}
          </Tag>
          {!c.enabled && <Tag>{t('channels.enabled')} ✗</Tag>}
        </Space>
      ),
    },
    { title: t('channels.log'), key: 'recent', render: (_: unknown, c) => t('channels.recent', c.recent) },
    {
      title: t('console:actions.title'),
      key: 'actions',
      render: (_: unknown, c) => (
        <Space wrap size={4}>
          <Button size="small" onClick={() => setEditing(c)}>
            {t('console:actions.edit')}
          </Button>
          <Button
            size="small"
            data-testid="channel-test"
            onClick={() =>
              void act(async () => {
                await api.post(`/api/notifications/channels/${c.id}/test`);
                void message.success(t('channels.testSent'));
                setTimeout(() => void log.reload(), 2_000);
              })
            }
          >
            {t('channels.test')}
          </Button>
          <Confirm
            danger
            title={t('channels.delete')}
            onConfirm={() =>
              void act(() => api.delete(`/api/notifications/channels/${c.id}`)).then(() => channels.reload())
            }
          >
            <Button size="small" danger>
              {t('console:actions.delete')}
            </Button>
          </Confirm>
        </Space>
      ),
    },
  ];
  const logColumns: TableColumnsType<DeliveryView> = [
    {
      title: t('channels.time'),
      dataIndex: 'createdAt',
      render: (x: string) => formatDateTime(x),
      width: 170,
    },
    { title: t('channels.name'), dataIndex: 'channelName' },
    { title: '', dataIndex: 'kind', render: (k: string) => t(`notice.${k}`) },
    { title: t('task.title'), dataIndex: 'title' },
    {
      title: t('task.state'),
      dataIndex: 'state',
      render: (s: string) => (
        <Tag color={s === 'sent' ? 'success' : s === 'failed' ? 'error' : 'default'}>
          {t(`channels.state.${s}`)}
        </Tag>
      ),
    },
    { title: t('channels.attempts'), dataIndex: 'attempts' },
    { title: t('channels.error'), dataIndex: 'lastError', render: (e: string | null) => e ?? '' },
    {
      title: '',
      key: 'retry',
      render: (_: unknown, d) =>
        d.state === 'failed' ? (
          <Button
            size="small"
            onClick={() =>
              void act(() => api.post(`/api/notifications/deliveries/${d.id}/retry`)).then(() => log.reload())
            }
          >
            {t('channels.retry')}
          </Button>
        ) : null,
    },
  ];
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('channels.title')}
        </Typography.Title>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          data-testid="channel-new"
          onClick={() => setEditing('new')}
        >
          {t('channels.add')}
        </Button>
      </Space>
      {channels.error ? (
        <LoadError error={channels.error} onRetry={channels.reload} />
      ) : (
        <Table
          rowKey="id"
          data-testid="channels-table"
          loading={channels.loading}
          dataSource={channels.data ?? []}
          columns={columns}
          scroll={scroll}
          pagination={false}
        />
      )}
      <Card
        title={t('channels.log')}
        size="small"
        extra={
          <Button size="small" onClick={() => void log.reload()}>
            {t('console:actions.refresh')}
          </Button>
        }
      >
        <Table
          rowKey="id"
          size="small"
          data-testid="deliveries-table"
          loading={log.loading}
          dataSource={log.data ?? []}
          columns={logColumns}
          scroll={{ x: 'max-content' }}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
        />
      </Card>
      <SettingsCard />
      <ChannelModal
        editing={editing}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          void channels.reload();
        }}
      />
    </Space>
  );
}

function ChannelModal({
  editing,
  onClose,
  onSaved,
}: {
  editing: ChannelView | 'new' | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation(NS);
  const [form] = Form.useForm<ChannelForm>();
  const act = useAction(form);
  const units = useUnitList();
  const audience = Form.useWatch('audience', form);
  const existing = editing && editing !== 'new' ? editing : null;
  // Filled as the dialog opens, before anyone can type (not after its opening animation).
  // biome-ignore lint/correctness/useExhaustiveDependencies: filled once per opening, from what it opened with
  useEffect(() => {
    if (!(editing !== null)) return;
    form.resetFields();
    form.setFieldsValue(
      existing
        ? {
            ...existing,
            webhook: '',
            secret: '',
            mutedKinds: existing.mutedKinds as ChannelForm['mutedKinds'],
            quiet:
              existing.quietFrom && existing.quietTo
                ? [dayjs(existing.quietFrom, 'HH:mm'), dayjs(existing.quietTo, 'HH:mm')]
                : null,
          }
        : {
            kind: 'dingtalk',
            audience: 'unit',
            unitId: null,
            mutedKinds: [],
            digest: false,
            enabled: true,
            quiet: null,
          },
    );
  }, [editing]);
  return (
    <FormModal
      form={form}
      open={editing !== null}
      title={existing ? existing.name : t('channels.add')}
      okTestId="channel-form-ok"
      destroyOnHidden
      width={640}
      onCancel={onClose}
      onSubmit={async (v) => {
        const body = {
          ...v,
          unitId: v.audience === 'unit' ? v.unitId : null,
          webhook: v.webhook?.trim() ? v.webhook.trim() : undefined,
          // An empty secret on an edit keeps the stored one (unless it is to be removed); on a new robot it means "not signed".
          secret: v.secret?.trim() ? v.secret.trim() : existing && !v.removeSecret ? undefined : '',
          removeSecret: undefined,
          quietFrom: v.quiet ? v.quiet[0].format('HH:mm') : null,
          quietTo: v.quiet ? v.quiet[1].format('HH:mm') : null,
          quiet: undefined,
        };
        const ok = await act(() =>
          existing
            ? api.put(`/api/notifications/channels/${existing.id}`, body)
            : api.post('/api/notifications/channels', body),
        );
        if (ok) onSaved();
      }}
    >
      <Form.Item
        name="name"
        label={t('channels.name')}
        rules={[{ required: true, whitespace: true, max: 60 }]}
      >
        <Input data-testid="channel-form-name" />
      </Form.Item>
      <Space wrap align="start">
        <Form.Item name="kind" label={t('channels.kind')}>
          <Select
            style={{ width: 180 }}
            data-testid="channel-form-kind"
            options={CHANNEL_KINDS.map((k) => ({ value: k, label: t(`channels.kinds.${k}`) }))}
          />
        </Form.Item>
        <Form.Item name="audience" label={t('channels.audience')}>
          <Select
            style={{ width: 180 }}
            data-testid="channel-form-audience"
            options={AUDIENCES.map((a) => ({ value: a, label: t(`channels.audiences.${a}`) }))}
          />
        </Form.Item>
        {audience === 'unit' && (
          <Form.Item name="unitId" label={t('channels.unit')} rules={[{ required: true }]}>
            <Select
              style={{ width: 220 }}
              showSearch={{ optionFilterProp: 'label' }}
              data-testid="channel-form-unit"
              options={(units.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
            />
          </Form.Item>
        )}
      </Space>
      <Form.Item
        name="webhook"
        label={t('channels.webhook')}
        extra={
          existing
            ? `${t('channels.webhookHint', { hint: existing.webhookHint })} · ${t('channels.webhookKeep')}`
            : undefined
        }
        rules={[{ required: !existing, whitespace: true }, { type: 'url' }]}
      >
        <Input.Password visibilityToggle={false} autoComplete="off" data-testid="channel-form-webhook" />
      </Form.Item>
      <Form.Item name="secret" label={t('channels.secret')} extra={t('channels.secretKeep')}>
        <Input.Password visibilityToggle={false} autoComplete="off" data-testid="channel-form-secret" />
      </Form.Item>
      {existing?.signed && (
        <Form.Item name="removeSecret" valuePropName="checked">
          <Checkbox>{t('channels.removeSecret')}</Checkbox>
        </Form.Item>
      )}
      <Form.Item name="mutedKinds" label={t('channels.muted')}>
        <Select mode="multiple" options={MUTABLE_KINDS.map((k) => ({ value: k, label: t(`notice.${k}`) }))} />
      </Form.Item>
      <Space wrap align="start">
        <Form.Item name="quiet" label={t('channels.quiet')}>
          <TimePicker.RangePicker format="HH:mm" minuteStep={15} order={false} />
        </Form.Item>
        <Form.Item name="digest" label={t('channels.digest')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="enabled" label={t('channels.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Space>
    </FormModal>
  );
}

function SettingsCard() {
  const { t } = useTranslation(NS);
  const [form] = Form.useForm<SupervisionSettings>();
  const act = useAction(form);
  const settings = useLoad(() => api.get<SupervisionSettings>('/api/supervision/settings'), []);
  useEffect(() => {
    if (settings.data) form.setFieldsValue(settings.data);
  }, [settings.data, form]);
  return (
    <Card title={t('channels.settings')} size="small">
      <Form form={form} layout="vertical">
        <Space wrap align="start">
          {(
            [
              ['dueSoonDays', 0, 30],
              ['escalateAfterDays', 1, 60],
              ['reportGraceDays', 0, 30],
              ['atRiskDays', 0, 60],
            ] as const
          ).map(([k, min, max]) => (
            <Form.Item key={k} name={k} label={t(`channels.${k}`)} rules={[{ required: true }]}>
              <InputNumber min={min} max={max} precision={0} />
            </Form.Item>
          ))}
        </Space>
        <Button
          type="primary"
          onClick={async () => {
            const v = await validValues(form);
            if (v) await act(() => api.put('/api/supervision/settings', v), t('channels.saved'));
          }}
        >
          {t('console:actions.save')}
        </Button>
      </Form>
    </Card>
  );
}
