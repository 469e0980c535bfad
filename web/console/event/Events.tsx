// 活动: the list of events; an organizer creates one here, optionally copying an earlier event's setup.
import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Form, Input, Select, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { TrackView } from '../../../src/modules/accounts/schemas.ts';
import type { EventDetail, EventSummary } from '../../../src/modules/event/schemas.ts';
import { api } from '../../common/api.ts';
import { formatDate, formatDateRange } from '../../common/format.ts';
import { trackLabel } from '../accounts/Units.tsx';
import { isOrganizer, useAuth } from '../auth.tsx';
import { DateRangeItem } from '../components/DateItems.tsx';
import { FilterBar, SearchBox } from '../components/Filters.tsx';
import { FormModal } from '../components/FormModal.tsx';
import { useTableScroll } from '../components/responsive.ts';
import { requiredText } from '../components/rules.ts';
import { LoadError } from '../components/States.tsx';
import { rowData } from '../components/testId.ts';
import { useAction, useLoad } from '../hooks.ts';

/**
 * The status an event is shown with: published once its results are (publishedAt; withdrawn, it shows
 * its stored status again), else the stored one. Derived, not stored: the stored status says what may
 * still change (a locked event is the filed record), publication says what is public — they are
 * independent, and the API's `status` keeps meaning the first.
 */
export type ShownEventStatus = EventSummary['status'] | 'published';
export const shownEventStatuses = [
  'draft',
  'active',
  'published',
  'locked',
] as const satisfies readonly ShownEventStatus[];

export const shownStatus = (e: Pick<EventSummary, 'status' | 'publishedAt'>): ShownEventStatus =>
  e.publishedAt ? 'published' : e.status;

export const statusColor: Record<ShownEventStatus, string> = {
  draft: 'default',
  active: 'processing',
  published: 'green',
  locked: 'purple',
};

/** The status tag of an event (the list and the event page). */
export function EventStatusTag({
  event,
  testId,
}: {
  event: Pick<EventSummary, 'status' | 'publishedAt'>;
  testId?: string;
}) {
  const { t } = useTranslation();
  const s = shownStatus(event);
  return (
    <Tag color={statusColor[s]} data-testid={testId} data-status={s}>
      {t(`events.statuses.${s}`)}
    </Tag>
  );
}

interface CreateForm {
  title: string;
  dates: [Dayjs, Dayjs];
  venue?: string;
  trackIds?: string[];
  copyFromEventId?: string;
}

export function EventsPage() {
  const { t, i18n } = useTranslation();
  const tableScroll = useTableScroll();
  const { user } = useAuth();
  const organizer = isOrganizer(user);
  const navigate = useNavigate();
  const act = useAction();
  const events = useLoad(() => api.get<EventSummary[]>('/api/events'), []);
  const tracks = useLoad(
    () => (organizer ? api.get<TrackView[]>('/api/tracks') : Promise.resolve([])),
    [organizer],
  );
  const [creating, setCreating] = useState(false);
  const [busy, setBusy] = useState(false);
  const [search, setSearch] = useState('');
  const [form] = Form.useForm<CreateForm>();
  const copyFrom = Form.useWatch('copyFromEventId', form);

  const rows = useMemo(() => {
    const q = search.trim().toLowerCase();
    const all = [...(events.data ?? [])].sort((a, b) => b.startDate.localeCompare(a.startDate));
    return q
      ? all.filter((e) => e.title.toLowerCase().includes(q) || e.venue.toLowerCase().includes(q))
      : all;
  }, [events.data, search]);

  const openCreate = () => {
    form.resetFields();
    form.setFieldsValue({ dates: [dayjs(), dayjs()], trackIds: (tracks.data ?? []).map((tr) => tr.id) });
    setCreating(true);
  };

  const create = async (v: CreateForm) => {
    setBusy(true);
    const detail = await act(() =>
      api.post<EventDetail>('/api/events', {
        title: v.title.trim(),
        startDate: v.dates[0].format('YYYY-MM-DD'),
        endDate: v.dates[1].format('YYYY-MM-DD'),
        venue: (v.venue ?? '').trim(),
        trackIds: v.copyFromEventId ? [] : (v.trackIds ?? []),
        ...(v.copyFromEventId ? { copyFromEventId: v.copyFromEventId } : {}),
      }),
    );
    setBusy(false);
    if (detail) {
      setCreating(false);
      navigate(`/events/${detail.event.id}/settings`);
    }
  };

  return (
    <Card>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('menu.events')}
      </Typography.Title>
      <FilterBar>
        <SearchBox placeholder={t('events.searchPlaceholder')} onSearch={setSearch} width={280} />
        {organizer ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={openCreate} data-testid="events-create">
            {t('events.create')}
          </Button>
        ) : null}
      </FilterBar>
      {events.error ? <LoadError error={events.error} onRetry={() => void events.reload()} /> : null}
      <Table<EventSummary>
        scroll={tableScroll}
        rowKey="id"
        loading={events.loading}
        dataSource={rows}
        pagination={{ pageSize: 20, showTotal: (n) => t('app.total', { count: n }) }}
        onRow={(e) => rowData({ 'data-testid': `event-row-${e.id}` })}
        columns={[
          {
            title: t('events.title'),
            dataIndex: 'title',
            sorter: (a, b) => a.title.localeCompare(b.title, 'zh-CN'),
            render: (title: string, e) => (
              <Link to={`/events/${e.id}`} data-testid="event-link">
                {title}
              </Link>
            ),
          },
          {
            title: t('events.dates'),
            key: 'dates',
            sorter: (a, b) => a.startDate.localeCompare(b.startDate),
            render: (_v, e) => formatDateRange(e.startDate, e.endDate),
          },
          { title: t('events.venue'), dataIndex: 'venue' },
          {
            title: t('events.status'),
            key: 'status',
            filters: shownEventStatuses.map((s) => ({ text: t(`events.statuses.${s}`), value: s })),
            onFilter: (v, e) => shownStatus(e) === v,
            render: (_v, e) => <EventStatusTag event={e} />,
          },
          {
            title: t('events.published'),
            dataIndex: 'publishedAt',
            render: (p: string | null) => (p ? <Tag color="green">{formatDate(p)}</Tag> : '—'),
          },
        ]}
      />
      <FormModal
        form={form}
        open={creating}
        title={t('events.create')}
        onCancel={() => setCreating(false)}
        onSubmit={create}
        confirmLoading={busy}
        okTestId="event-create-save"
        width={560}
      >
        <Form.Item name="title" label={t('events.title')} rules={requiredText(t('form.required'), 200)}>
          <Input data-testid="event-title" placeholder={t('events.titlePlaceholder')} />
        </Form.Item>
        <DateRangeItem name="dates" label={t('events.dates')} required testId="event-dates" />
        <Form.Item name="venue" label={t('events.venue')} rules={[{ max: 200 }]}>
          <Input data-testid="event-venue" />
        </Form.Item>
        <Form.Item name="copyFromEventId" label={t('events.copyFrom')} extra={t('events.copyFromHint')}>
          <Select
            allowClear
            data-testid="event-copy-from"
            placeholder={t('events.copyFromNone')}
            options={(events.data ?? []).map((e) => ({
              value: e.id,
              label: t('events.copyFromOption', { title: e.title, date: formatDate(e.startDate) }),
            }))}
          />
        </Form.Item>
        {copyFrom ? null : (
          <Form.Item name="trackIds" label={t('events.tracks')}>
            <Select
              mode="multiple"
              data-testid="event-tracks"
              options={(tracks.data ?? []).map((tr) => ({
                value: tr.id,
                label: trackLabel(tr, i18n.language),
              }))}
            />
          </Form.Item>
        )}
      </FormModal>
    </Card>
  );
}
