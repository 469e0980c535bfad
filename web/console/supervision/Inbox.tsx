// 我的待办: what this user must act on now, most urgent first, as cards that work on a phone; and the
// user's own reminder settings (whom the robots @, what not to be @-ed for).
import { RightOutlined } from '@ant-design/icons';
import {
  Badge,
  Button,
  Card,
  Collapse,
  Empty,
  Form,
  Input,
  List,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { MUTABLE_KINDS } from '../../../src/modules/notifications/domain/notices.ts';
import type { ContactView } from '../../../src/modules/notifications/schemas.ts';
import { api } from '../../common/api.ts';
import { formatDate } from '../../common/format.ts';
import { LoadError, PageLoading } from '../components/States.tsx';
import { useAction, useLoad, validValues } from '../hooks.ts';
import { type InboxItem, LightTag, NS } from './common.tsx';

export function InboxPage() {
  const { t } = useTranslation(NS);
  const navigate = useNavigate();
  const inbox = useLoad(() => api.get<{ items: InboxItem[]; count: number }>('/api/supervision/inbox'), []);
  if (inbox.error) return <LoadError error={inbox.error} onRetry={inbox.reload} />;
  if (!inbox.data) return <PageLoading />;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('inbox.title')}{' '}
        <Badge count={inbox.data.count} showZero color="#cf1322" data-testid="inbox-count" />
      </Typography.Title>
      {inbox.data.items.length === 0 ? (
        <Card>
          <Empty description={t('inbox.empty')} />
        </Card>
      ) : (
        <List
          data-testid="inbox-list"
          dataSource={inbox.data.items}
          renderItem={(item) => (
            <Card
              size="small"
              hoverable
              style={{ marginBottom: 8 }}
              data-testid="inbox-item"
              data-kind={item.kind}
              data-id={item.id}
              onClick={() => navigate(item.link)}
            >
              <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                <Space wrap size={4}>
                  <Tag color="red">{t(`inbox.kind.${item.kind}`)}</Tag>
                  {item.light && <LightTag light={item.light} />}
                  {item.urgency !== 'normal' && <Tag color="volcano">{t(`urgency.${item.urgency}`)}</Tag>}
                </Space>
                <Typography.Text strong style={{ fontSize: 16 }}>
                  {item.title}
                </Typography.Text>
                <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
                  <Typography.Text type="secondary">
                    {item.unitName}
                    {item.deadline ? ` · ${t('inbox.due', { date: formatDate(item.deadline) })}` : ''}
                  </Typography.Text>
                  <Button type="link" size="small" icon={<RightOutlined />} iconPlacement="end">
                    {t('inbox.open')}
                  </Button>
                </Space>
              </Space>
            </Card>
          )}
        />
      )}
      <Collapse items={[{ key: 'contact', label: t('contact.title'), children: <ContactForm /> }]} />
    </Space>
  );
}

function ContactForm() {
  const { t } = useTranslation(NS);
  const [form] = Form.useForm<ContactView>();
  const act = useAction(form);
  const contact = useLoad(() => api.get<ContactView>('/api/me/notify-contact'), []);
  useEffect(() => {
    if (contact.data) form.setFieldsValue(contact.data);
  }, [contact.data, form]);
  if (!contact.data) return <PageLoading />;
  return (
    <Form form={form} layout="vertical" style={{ maxWidth: 520 }}>
      <Form.Item
        name="mobile"
        label={t('contact.mobile')}
        rules={[{ pattern: /^\+?\d{6,15}$/ }]}
        normalize={(v) => v || null}
      >
        <Input inputMode="tel" data-testid="contact-mobile" />
      </Form.Item>
      <Form.Item name="imId" label={t('contact.imId')} normalize={(v) => v || null}>
        <Input data-testid="contact-im" />
      </Form.Item>
      <Form.Item name="mutedKinds" label={t('contact.muted')}>
        <Select mode="multiple" options={MUTABLE_KINDS.map((k) => ({ value: k, label: t(`notice.${k}`) }))} />
      </Form.Item>
      <Button
        type="primary"
        data-testid="contact-save"
        onClick={async () => {
          const v = await validValues(form);
          if (v)
            await act(
              () =>
                api.put('/api/me/notify-contact', {
                  mobile: v.mobile ?? null,
                  imId: v.imId ?? null,
                  mutedKinds: v.mutedKinds ?? [],
                }),
              t('contact.saved'),
            );
        }}
      >
        {t('console:actions.save')}
      </Button>
    </Form>
  );
}
