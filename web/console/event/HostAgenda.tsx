// 主控台's agenda: the slots per track in agenda order, each with its state, how many judges scored it,
// and whether it is on stage or next; a click picks the slot the console shows.
import { CheckCircleOutlined } from '@ant-design/icons';
import { Badge, Card, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { EventDetail, SlotProgress } from '../../../src/modules/event/schemas.ts';
import { trackLabel } from '../accounts/Units.tsx';
import { slotStateColor } from './AgendaTab.tsx';
import type { HostSlot } from './types.ts';

export function HostAgenda({
  tracks,
  slots,
  progressOf,
  selected,
  stage,
  next,
  onPick,
}: {
  tracks: EventDetail['tracks'];
  slots: HostSlot[];
  progressOf: Map<string, SlotProgress>;
  selected: HostSlot | undefined;
  stage: HostSlot | undefined;
  next: HostSlot | undefined;
  onPick: (slotId: string) => void;
}) {
  const { t, i18n } = useTranslation();
  return (
    // The agenda scrolls on its own so the controls stay in view.
    <div style={{ maxHeight: 'calc(100vh - 280px)', minHeight: 240, overflowY: 'auto', marginBottom: 12 }}>
      {tracks.map((tr) => {
        const items = slots.filter((s) => s.trackId === tr.id);
        if (items.length === 0) return null;
        return (
          <Card key={tr.id} size="small" title={trackLabel(tr, i18n.language)} style={{ marginBottom: 12 }}>
            {items.map((s, i) => {
              const p = progressOf.get(s.id);
              const active = selected?.id === s.id;
              const onStage = stage?.id === s.id;
              const isNext = next?.id === s.id;
              return (
                <button
                  type="button"
                  key={s.id}
                  onClick={() => onPick(s.id)}
                  data-testid={`live-slot-${s.unitName}`}
                  data-slot-state={s.state}
                  data-current={onStage}
                  data-next={isNext}
                  data-selected={active}
                  style={{
                    display: 'block',
                    width: '100%',
                    cursor: 'pointer',
                    background: onStage ? '#fff1f0' : active ? '#fafafa' : 'transparent',
                    border: 'none',
                    borderLeft: active ? '3px solid #b71c1c' : '3px solid transparent',
                    borderBottom: '1px solid #f0f0f0',
                    padding: '6px 6px',
                    textAlign: 'left',
                    font: 'inherit',
                  }}
                >
                  {/* Two lines, so long unit names never squeeze the state into a column. */}
                  <span style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
                    <span
                      style={{
                        flex: 1,
                        minWidth: 0,
                        overflow: 'hidden',
                        textOverflow: 'ellipsis',
                        whiteSpace: 'nowrap',
                        fontWeight: active || onStage ? 600 : 400,
                      }}
                      title={s.unitName}
                    >
                      <span style={{ color: '#8c8c8c' }}>{i + 1}. </span>
                      {s.unitName}
                    </span>
                    {onStage ? (
                      <Tag color="red" style={{ marginInlineEnd: 0 }}>
                        {t('host.stage.onStageTag')}
                      </Tag>
                    ) : null}
                    {isNext ? (
                      <Tag color="gold" style={{ marginInlineEnd: 0 }}>
                        {t('host.stage.nextTag')}
                      </Tag>
                    ) : null}
                  </span>
                  <span
                    style={{
                      display: 'flex',
                      alignItems: 'center',
                      gap: 6,
                      marginTop: 2,
                      fontSize: 12,
                    }}
                  >
                    {s.state === 'open' ? <Badge status="processing" /> : null}
                    {s.state === 'closed' ? <CheckCircleOutlined style={{ color: '#1677ff' }} /> : null}
                    <Tag color={slotStateColor[s.state]} style={{ marginInlineEnd: 0, fontSize: 12 }}>
                      {t(`live.states.${s.state}`)}
                    </Tag>
                    {p && s.state !== 'pending' ? (
                      <span style={{ color: '#8c8c8c' }}>
                        {t('host.stage.scoredShort', { scored: p.scored, eligible: p.eligible })}
                      </span>
                    ) : null}
                  </span>
                </button>
              );
            })}
          </Card>
        );
      })}
    </div>
  );
}
