// 议程: per track, the order in which units present and their time limits. The order can be set by
// hand or drawn by lot; the draw's seed is recorded and shown so anyone can re-run it.
import { PlusOutlined, ThunderboltOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TrackView, UnitView } from '../../../src/modules/accounts/schemas.ts';
import type { EventDetail, SlotView } from '../../../src/modules/event/schemas.ts';
import { api } from '../../common/api.ts';
import { trackLabel } from '../accounts/Units.tsx';
import { RowOrderButtons } from '../components/RowButtons.tsx';
import { useTableScroll } from '../components/responsive.ts';
import { rowData, withTestId } from '../components/testId.ts';
import { useUnsavedChanges } from '../components/UnsavedChanges.tsx';
import { useAction, useLoad, validValues } from '../hooks.ts';
import { type EventTabProps, requireDetail } from './types.ts';

const DEFAULT_LIMIT_SEC = 300;

interface Row {
  key: string;
  unitId: string;
  trackId: string;
  timeLimitSec: number;
  /** The saved slot, when this row is one. */
  slot?: SlotView;
}

function rowsOf(d: EventDetail): Row[] {
  return [...d.slots]
    .sort((a, b) => a.position - b.position)
    .map((s) => ({ key: s.id, unitId: s.unitId, trackId: s.trackId, timeLimitSec: s.timeLimitSec, slot: s }));
}

export const mmss = (sec: number): string => `${Math.floor(sec / 60)}:${String(sec % 60).padStart(2, '0')}`;

export const slotStateColor: Record<SlotView['state'], string> = {
  pending: 'default',
  open: 'green',
  closed: 'blue',
};

function TrackAgenda({
  index,
  track,
  rows,
  units,
  usedUnitIds,
  readOnly,
  onChange,
}: {
  index: number;
  track: TrackView;
  rows: Row[];
  units: UnitView[];
  usedUnitIds: Set<string>;
  readOnly: boolean;
  onChange: (rows: Row[]) => void;
}) {
  const { t, i18n } = useTranslation();
  const tableScroll = useTableScroll();
  const [picked, setPicked] = useState<string | undefined>();
  const available = units.filter((u) => !usedUnitIds.has(u.id));
  // Units of this track first; any other unit can still be added (mixed agendas exist).
  const ordered = [...available].sort(
    (a, b) => Number(b.trackId === track.id) - Number(a.trackId === track.id),
  );
  const ofTrack = available.filter((u) => u.trackId === track.id);

  const add = (unitIds: string[]) => {
    const added = unitIds.map((unitId) => ({
      key: `new-${unitId}`,
      unitId,
      trackId: track.id,
      timeLimitSec: rows.at(-1)?.timeLimitSec ?? DEFAULT_LIMIT_SEC,
    }));
    onChange([...rows, ...added]);
    setPicked(undefined);
  };
  const move = (i: number, j: number) => {
    const next = [...rows];
    const [r] = next.splice(i, 1);
    if (r) next.splice(j, 0, r);
    onChange(next);
  };
  const unitName = (id: string) =>
    units.find((u) => u.id === id)?.name ?? rows.find((r) => r.unitId === id)?.slot?.unitName ?? id;

  return (
    <Card
      size="small"
      title={trackLabel(track, i18n.language)}
      style={{ marginBottom: 16 }}
      data-testid={`agenda-track-${index}`}
    >
      <Table<Row>
        scroll={tableScroll}
        rowKey="key"
        size="small"
        pagination={false}
        dataSource={rows}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('agenda.empty')} /> }}
        onRow={(r) => rowData({ 'data-testid': `agenda-row-${unitName(r.unitId)}` })}
        columns={[
          { title: t('agenda.position'), key: 'pos', width: 70, render: (_v, _r, i) => i + 1 },
          { title: t('agenda.unit'), dataIndex: 'unitId', render: (id: string) => unitName(id) },
          {
            title: t('agenda.timeLimit'),
            dataIndex: 'timeLimitSec',
            width: 220,
            render: (v: number, r, i) =>
              readOnly ? (
                mmss(v)
              ) : (
                <Space>
                  <InputNumber
                    size="small"
                    min={30}
                    max={7200}
                    step={30}
                    precision={0}
                    value={v}
                    suffix={t('settings.seconds')}
                    style={{ width: 120 }}
                    onChange={(x) => {
                      const next = [...rows];
                      next[i] = { ...r, timeLimitSec: typeof x === 'number' ? x : DEFAULT_LIMIT_SEC };
                      onChange(next);
                    }}
                  />
                  <Typography.Text type="secondary">{mmss(v)}</Typography.Text>
                </Space>
              ),
          },
          {
            title: t('agenda.state'),
            key: 'state',
            width: 100,
            render: (_v, r) =>
              r.slot ? (
                <Tag color={slotStateColor[r.slot.state]}>{t(`live.states.${r.slot.state}`)}</Tag>
              ) : (
                <Tag>{t('agenda.unsaved')}</Tag>
              ),
          },
          ...(readOnly
            ? []
            : [
                {
                  title: t('actions.title'),
                  key: 'a',
                  width: 130,
                  render: (_v: unknown, r: Row, i: number) => (
                    <RowOrderButtons
                      index={i}
                      count={rows.length}
                      onMove={move}
                      onRemove={() => onChange(rows.filter((x) => x !== r))}
                      removeDisabled={r.slot !== undefined && r.slot.state !== 'pending'}
                    />
                  ),
                },
              ]),
        ]}
      />
      {readOnly ? null : (
        <Space wrap style={{ marginTop: 12 }}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('agenda.pickUnit')}
            value={picked}
            onChange={setPicked}
            style={{ width: 260 }}
            data-testid={`agenda-pick-${index}`}
            options={ordered.map((u) => ({ value: u.id, label: u.name }))}
          />
          <Button
            icon={<PlusOutlined />}
            disabled={!picked}
            onClick={() => picked && add([picked])}
            data-testid={`agenda-add-${index}`}
          >
            {t('actions.add')}
          </Button>
          <Button
            disabled={ofTrack.length === 0}
            onClick={() => add(ofTrack.map((u) => u.id))}
            data-testid={`agenda-add-all-${index}`}
          >
            {t('agenda.addAll', { count: ofTrack.length })}
          </Button>
        </Space>
      )}
    </Card>
  );
}

export function AgendaTab({ eventId, detail, reload, readOnly }: EventTabProps) {
  const d = requireDetail(detail);
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const act = useAction();
  const units = useLoad(() => api.get<UnitView[]>('/api/units'), []);
  const [rows, setRows] = useState<Row[]>(() => rowsOf(d));
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);
  const [drawOpen, setDrawOpen] = useState(false);
  const [drawing, setDrawing] = useState(false);
  const [seedForm] = Form.useForm<{ seed?: string }>();

  useEffect(() => {
    setRows(rowsOf(d));
    setDirty(false);
  }, [d]);
  // Leaving with unsaved changes asks first.
  useUnsavedChanges(dirty && !readOnly);

  const used = useMemo(() => new Set(rows.map((r) => r.unitId)), [rows]);
  const update = (trackId: string, next: Row[]) => {
    setRows((prev) => [...prev.filter((r) => r.trackId !== trackId), ...next]);
    setDirty(true);
  };
  const byTrack = (trackId: string) => rows.filter((r) => r.trackId === trackId);
  const orphanRows = rows.filter((r) => !d.tracks.some((tr) => tr.id === r.trackId));

  const save = async () => {
    setSaving(true);
    // Order = array order per track.
    const slots = [...d.tracks.flatMap((tr) => byTrack(tr.id)), ...orphanRows].map((r) => ({
      unitId: r.unitId,
      trackId: r.trackId,
      timeLimitSec: r.timeLimitSec,
    }));
    const ok = await act(
      () => api.put<SlotView[]>(`/api/events/${eventId}/agenda`, { slots }),
      t('actions.saved'),
    );
    setSaving(false);
    if (ok) await reload();
  };

  const draw = async () => {
    const v = await validValues(seedForm);
    if (!v) return;
    setDrawing(true);
    const seed = (v.seed ?? '').trim();
    const ok = await act(
      () => api.post<SlotView[]>(`/api/events/${eventId}/agenda/draw`, seed ? { seed } : {}),
      t('agenda.drawn'),
    );
    setDrawing(false);
    if (ok) {
      setDrawOpen(false);
      await reload();
    }
  };

  return (
    <>
      {d.event.drawSeed ? (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('agenda.drawSeedTitle')}
          description={
            <Typography.Text
              strong
              copyable
              style={{ fontSize: 22, letterSpacing: 1 }}
              data-testid="draw-seed"
            >
              {d.event.drawSeed}
            </Typography.Text>
          }
        />
      ) : null}
      {d.tracks.length === 0 ? (
        <Alert type="info" showIcon title={t('agenda.noTracks')} style={{ marginBottom: 16 }} />
      ) : null}
      {readOnly ? null : (
        <Space wrap style={{ marginBottom: 16 }}>
          <Button
            type="primary"
            loading={saving}
            disabled={!dirty}
            onClick={() => void save()}
            data-testid="agenda-save"
          >
            {t('agenda.save')}
          </Button>
          <Button
            icon={<ThunderboltOutlined />}
            data-testid="agenda-draw"
            disabled={d.slots.length === 0}
            onClick={() => {
              if (dirty) {
                modal.warning({ title: t('agenda.saveBeforeDraw') });
                return;
              }
              seedForm.resetFields();
              setDrawOpen(true);
            }}
          >
            {t('agenda.draw')}
          </Button>
          {dirty ? <Typography.Text type="warning">{t('agenda.unsavedChanges')}</Typography.Text> : null}
        </Space>
      )}
      {d.tracks.map((tr, i) => (
        <TrackAgenda
          key={tr.id}
          index={i}
          track={tr}
          rows={byTrack(tr.id)}
          units={units.data ?? []}
          usedUnitIds={used}
          readOnly={readOnly}
          onChange={(next) => update(tr.id, next)}
        />
      ))}
      <Modal
        open={drawOpen}
        title={t('agenda.drawTitle')}
        onCancel={() => setDrawOpen(false)}
        onOk={() => void draw()}
        confirmLoading={drawing}
        okText={t('agenda.drawOk')}
        okButtonProps={withTestId('draw-ok')}
        forceRender
      >
        <Alert type="warning" showIcon title={t('agenda.drawWarning')} style={{ marginBottom: 16 }} />
        <Form form={seedForm} layout="vertical">
          <Form.Item name="seed" label={t('agenda.seed')} extra={t('agenda.seedHint')} rules={[{ max: 64 }]}>
            <Input data-testid="draw-seed-input" placeholder={t('agenda.seedPlaceholder')} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
