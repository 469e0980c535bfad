// 单位与组别: the units that present and the tracks (组别) they compete in, with Excel in and out.
import { PlusOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Form,
  Input,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tabs,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TrackView, UnitKind, UnitView } from '../../../src/modules/accounts/schemas.ts';
import { api } from '../../common/api.ts';
import { DownloadButton } from '../components/DownloadButton.tsx';
import { FormDrawer } from '../components/EditorDrawer.tsx';
import { ExcelImportButton } from '../components/ExcelImport.tsx';
import { FilterBar, SearchBox } from '../components/Filters.tsx';
import { CodeNameItems, SortItem } from '../components/FormItems.tsx';
import { FormModal } from '../components/FormModal.tsx';
import { DeleteButton, EditButton } from '../components/RowButtons.tsx';
import { useTableScroll } from '../components/responsive.ts';
import { requiredText } from '../components/rules.ts';
import { LoadError } from '../components/States.tsx';
import { rowData } from '../components/testId.ts';
import { useAction, useLoad, validValues } from '../hooks.ts';

const unitKinds: UnitKind[] = ['town', 'street', 'zone', 'department'];

interface UnitForm {
  code: string;
  name: string;
  shortName?: string;
  kind: UnitKind;
  trackId?: string | null;
  sort?: number;
}

export const trackLabel = (tr: TrackView | undefined, lang: string): string =>
  tr ? (lang === 'en-US' && tr.nameEn ? tr.nameEn : tr.nameZh) : '';

function UnitsTab({ tracks, reloadTracks }: { tracks: TrackView[]; reloadTracks: () => void }) {
  const { t, i18n } = useTranslation();
  const tableScroll = useTableScroll();
  const units = useLoad(() => api.get<UnitView[]>('/api/units'), []);
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState<UnitView | 'new' | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<UnitForm>();
  const act = useAction(form);
  const trackById = useMemo(() => new Map(tracks.map((tr) => [tr.id, tr])), [tracks]);

  const rows = useMemo(() => {
    const q = search.trim().toLowerCase();
    const all = units.data ?? [];
    if (!q) return all;
    return all.filter((u) => [u.code, u.name, u.shortName].some((s) => s.toLowerCase().includes(q)));
  }, [units.data, search]);

  const openEditor = (u: UnitView | 'new') => {
    setEditing(u);
    form.resetFields();
    if (u === 'new') form.setFieldsValue({ kind: 'town', sort: 0, trackId: null });
    else form.setFieldsValue({ ...u });
  };

  const save = async () => {
    const v = await validValues(form);
    if (!v) return;
    const body = {
      code: v.code.trim(),
      name: v.name.trim(),
      shortName: (v.shortName ?? '').trim(),
      kind: v.kind,
      trackId: v.trackId ?? null,
      sort: v.sort ?? 0,
    };
    setSaving(true);
    const ok = await act(
      () =>
        editing === 'new'
          ? api.post('/api/units', body)
          : api.patch(`/api/units/${(editing as UnitView).id}`, body),
      t('actions.saved'),
    );
    setSaving(false);
    if (ok !== undefined) {
      setEditing(null);
      void units.reload();
    }
  };

  const columns: TableColumnsType<UnitView> = [
    { title: t('units.code'), dataIndex: 'code', width: 110, sorter: (a, b) => a.code.localeCompare(b.code) },
    {
      title: t('units.name'),
      dataIndex: 'name',
      sorter: (a, b) => a.name.localeCompare(b.name, 'zh-CN'),
    },
    { title: t('units.shortName'), dataIndex: 'shortName', width: 140 },
    {
      title: t('units.kind'),
      dataIndex: 'kind',
      width: 110,
      filters: unitKinds.map((k) => ({ text: t(`common:unitKinds.${k}`), value: k })),
      onFilter: (value, u) => u.kind === value,
      render: (k: UnitKind) => t(`common:unitKinds.${k}`),
    },
    {
      title: t('units.track'),
      dataIndex: 'trackId',
      width: 160,
      filters: [
        ...tracks.map((tr) => ({ text: trackLabel(tr, i18n.language), value: tr.id })),
        { text: t('units.noTrack'), value: '' },
      ],
      onFilter: (value, u) => (u.trackId ?? '') === value,
      render: (id: string | null) => (id ? trackLabel(trackById.get(id), i18n.language) : '—'),
    },
    { title: t('units.sort'), dataIndex: 'sort', width: 90, sorter: (a, b) => a.sort - b.sort },
    {
      title: t('actions.title'),
      key: 'actions',
      width: 170,
      render: (_v, u) => (
        <Space size="small">
          <EditButton testId="unit-edit" onClick={() => openEditor(u)} />
          <DeleteButton
            path={`/api/units/${u.id}`}
            confirmTitle={t('units.deleteConfirm', { name: u.name })}
            testId="unit-delete"
            onDeleted={() => void units.reload()}
          />
        </Space>
      ),
    },
  ];

  return (
    <>
      <FilterBar>
        <SearchBox
          placeholder={t('units.searchPlaceholder')}
          onSearch={setSearch}
          width={280}
          testId="units-search"
        />
        <Space wrap>
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => openEditor('new')}
            data-testid="units-create"
          >
            {t('units.create')}
          </Button>
          <ExcelImportButton
            path="/api/units/import"
            testId="units-import"
            onImported={() => {
              void units.reload();
              reloadTracks();
            }}
          />
          <DownloadButton path={'/api/units/export.xlsx'} fileName="units.xlsx" testId="units-export">
            {t('actions.export')}
          </DownloadButton>
        </Space>
      </FilterBar>
      {units.error ? <LoadError error={units.error} onRetry={() => void units.reload()} /> : null}
      <Table<UnitView>
        scroll={tableScroll}
        rowKey="id"
        size="middle"
        loading={units.loading}
        dataSource={rows}
        columns={columns}
        pagination={{ pageSize: 20, showSizeChanger: true, showTotal: (n) => t('app.total', { count: n }) }}
        onRow={(u) => rowData({ 'data-testid': `unit-row-${u.code}` })}
      />
      <FormDrawer
        form={form}
        open={editing !== null}
        title={editing === 'new' ? t('units.create') : t('units.edit')}
        size={440}
        saving={saving}
        saveTestId="unit-save"
        onClose={() => setEditing(null)}
        onSave={() => void save()}
      >
        <CodeNameItems codeLabel={t('units.code')} nameLabel={t('units.name')} testIdPrefix="unit" />
        <Form.Item
          name="shortName"
          label={t('units.shortName')}
          extra={t('units.shortNameHint')}
          rules={[{ max: 50 }]}
        >
          <Input data-testid="unit-short-name" />
        </Form.Item>
        <Form.Item
          name="kind"
          label={t('units.kind')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <Select
            data-testid="unit-kind"
            options={unitKinds.map((k) => ({ value: k, label: t(`common:unitKinds.${k}`) }))}
          />
        </Form.Item>
        <Form.Item name="trackId" label={t('units.track')}>
          <Select
            allowClear
            data-testid="unit-track"
            placeholder={t('units.noTrack')}
            options={tracks.map((tr) => ({ value: tr.id, label: trackLabel(tr, i18n.language) }))}
          />
        </Form.Item>
        <SortItem label={t('units.sort')} />
      </FormDrawer>
    </>
  );
}

function TracksTab({
  tracks,
  loading,
  reload,
}: {
  tracks: TrackView[];
  loading: boolean;
  reload: () => void;
}) {
  const { t } = useTranslation();
  const tableScroll = useTableScroll();
  const [editing, setEditing] = useState<TrackView | 'new' | null>(null);
  const [form] = Form.useForm<{ nameZh: string; nameEn?: string; sort?: number }>();
  const act = useAction(form);

  const open = (tr: TrackView | 'new') => {
    setEditing(tr);
    form.resetFields();
    if (tr === 'new') form.setFieldsValue({ sort: tracks.length });
    else form.setFieldsValue(tr);
  };

  return (
    <>
      <Space style={{ marginBottom: 16 }}>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => open('new')}
          data-testid="tracks-create"
        >
          {t('tracks.create')}
        </Button>
      </Space>
      <Table<TrackView>
        scroll={tableScroll}
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={tracks}
        pagination={false}
        columns={[
          { title: t('tracks.nameZh'), dataIndex: 'nameZh' },
          { title: t('tracks.nameEn'), dataIndex: 'nameEn' },
          { title: t('tracks.sort'), dataIndex: 'sort', width: 100, sorter: (a, b) => a.sort - b.sort },
          {
            title: t('actions.title'),
            key: 'a',
            width: 120,
            render: (_v, tr) => <EditButton onClick={() => open(tr)} />,
          },
        ]}
      />
      <FormModal
        form={form}
        open={editing !== null}
        title={editing === 'new' ? t('tracks.create') : t('tracks.edit')}
        onCancel={() => setEditing(null)}
        okTestId="track-save"
        onSubmit={async (v) => {
          const body = { nameZh: v.nameZh.trim(), nameEn: (v.nameEn ?? '').trim(), sort: v.sort ?? 0 };
          const ok = await act(
            () =>
              editing === 'new'
                ? api.post('/api/tracks', body)
                : api.patch(`/api/tracks/${(editing as TrackView).id}`, body),
            t('actions.saved'),
          );
          if (ok !== undefined) {
            setEditing(null);
            reload();
          }
        }}
      >
        <Form.Item name="nameZh" label={t('tracks.nameZh')} rules={requiredText(t('form.required'))}>
          <Input data-testid="track-name-zh" />
        </Form.Item>
        <Form.Item name="nameEn" label={t('tracks.nameEn')}>
          <Input data-testid="track-name-en" />
        </Form.Item>
        <SortItem label={t('tracks.sort')} />
      </FormModal>
    </>
  );
}

export function UnitsPage() {
  const { t } = useTranslation();
  const tracks = useLoad(() => api.get<TrackView[]>('/api/tracks'), []);
  return (
    <Card>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('menu.units')}
      </Typography.Title>
      {tracks.error ? <LoadError error={tracks.error} onRetry={() => void tracks.reload()} /> : null}
      <Tabs
        items={[
          {
            key: 'units',
            label: <span data-testid="tab-units">{t('units.tab')}</span>,
            children: <UnitsTab tracks={tracks.data ?? []} reloadTracks={() => void tracks.reload()} />,
          },
          {
            key: 'tracks',
            label: <span data-testid="tab-tracks">{t('tracks.tab')}</span>,
            children: (
              <TracksTab
                tracks={tracks.data ?? []}
                loading={tracks.loading}
                reload={() => void tracks.reload()}
              />
            ),
          },
        ]}
      />
    </Card>
  );
}
