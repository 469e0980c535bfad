// The big screen from the host console: a small live preview of what the hall sees (from the same
// screen state the screen receives), the mode and theme, revealing a track and putting its ranking
// on the screen, and the screen links (QR) that sign a display in.
import { DesktopOutlined, EyeOutlined, QrcodeOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Input, List, Space, Tag, Tooltip, Typography } from 'antd';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  EventDetail,
  HostState,
  ScreenMode,
  ScreenState,
  ScreenTokenView,
} from '../../../src/modules/event/schemas.ts';
import { api } from '../../common/api.ts';
import { formatDateRange, formatDateTime } from '../../common/format.ts';
import { trackLabel } from '../accounts/Units.tsx';
import { useConfirmRefusal } from '../components/ConfirmRefusal.tsx';
import { CopyField } from '../components/Copy.tsx';
import { withTestId } from '../components/testId.ts';
import { useAction, useBusyKey, useLoad } from '../hooks.ts';
import { SlideControls } from '../reports/StageSlides.tsx';
import { TimerDisplay } from './HostTimer.tsx';

export const screenModes: readonly ScreenMode[] = [
  'title',
  'agenda',
  'speaker',
  'slides',
  'progress',
  'reveal',
];

const themes = {
  red: { background: 'linear-gradient(160deg, #a8071a 0%, #5c0011 100%)', color: '#fff', accent: '#ffd666' },
  neutral: {
    background: 'linear-gradient(160deg, #1f2937 0%, #0b1220 100%)',
    color: '#f5f5f5',
    accent: '#91caff',
  },
} as const;

/** What the hall sees, in a few lines: never the full screen app, just enough to check before showing. */
export function ScreenPreview({
  screen,
  serverNow,
}: {
  screen: ScreenState | null;
  serverNow: () => number;
}) {
  const { t } = useTranslation();
  if (!screen) {
    return (
      <div data-testid="screen-preview" data-mode="" style={{ padding: 16, textAlign: 'center' }}>
        <Typography.Text type="secondary">{t('app.loading')}</Typography.Text>
      </div>
    );
  }
  const theme = themes[screen.theme];
  const c = screen.current;
  const small = { color: theme.accent, fontSize: 12 };
  let body: ReactNode;
  switch (screen.mode) {
    case 'title':
      body = (
        <>
          <div style={{ fontSize: 18, fontWeight: 700 }}>{screen.event.title}</div>
          <div style={small}>
            {formatDateRange(screen.event.startDate, screen.event.endDate)}
            {screen.event.venue ? ` · ${screen.event.venue}` : ''}
          </div>
        </>
      );
      break;
    case 'agenda':
      body = (
        <>
          <div>{t('host.preview.now', { unit: c?.unitName ?? '—' })}</div>
          <div style={small}>
            {t('host.preview.upNext', {
              units: screen.upNext.map((u) => u.unitName).join(t('results.sep')) || '—',
            })}
          </div>
        </>
      );
      break;
    case 'slides':
    case 'speaker':
      body = c ? (
        <>
          <div style={{ fontSize: 16, fontWeight: 700 }}>{c.unitName}</div>
          {screen.mode === 'slides' ? (
            <div style={small} data-testid="preview-slide">
              {t('host.preview.slide', { n: c.slide + 1 })}
            </div>
          ) : null}
          <TimerDisplay
            timer={c.timer}
            serverNow={serverNow}
            size={30}
            testId="preview-timer"
            style={{ background: 'rgba(255,255,255,0.92)', borderRadius: 6, margin: '6px auto', width: 150 }}
          />
        </>
      ) : (
        <div>{t('host.preview.noCurrent')}</div>
      );
      break;
    case 'progress':
      body = c ? (
        <>
          <div style={{ fontSize: 16, fontWeight: 700 }}>{c.unitName}</div>
          <div style={{ fontSize: 24, fontWeight: 700 }} data-testid="preview-progress">
            {c.state === 'pending'
              ? t('host.preview.notOpen')
              : t('host.preview.progress', { scored: c.progress.scored, eligible: c.progress.eligible })}
          </div>
        </>
      ) : (
        <div>{t('host.preview.noCurrent')}</div>
      );
      break;
    case 'reveal': {
      const reveal = screen.reveal;
      body = reveal ? (
        <>
          <div style={{ fontWeight: 700 }}>{reveal.trackName}</div>
          <ol style={{ margin: '4px 0 0', paddingLeft: 20, textAlign: 'left', fontSize: 12 }}>
            {reveal.rows.slice(0, 5).map((r) => (
              <li key={`${r.rank}-${r.unitName}`} data-testid="preview-reveal-row" data-score={r.score ?? ''}>
                {r.unitName} · {r.score === null ? '—' : r.score.toFixed(reveal.decimals)}
                {r.penalty > 0 ? ` (${t('host.preview.penalty', { points: r.penalty })})` : ''}
              </li>
            ))}
          </ol>
          {reveal.rows.length > 5 ? (
            <div style={small}>{t('host.preview.more', { count: reveal.rows.length })}</div>
          ) : null}
        </>
      ) : (
        <div>{t('host.preview.revealWaiting')}</div>
      );
      break;
    }
  }
  return (
    <div
      data-testid="screen-preview"
      data-mode={screen.mode}
      data-theme={screen.theme}
      style={{
        aspectRatio: '16 / 9',
        background: theme.background,
        color: theme.color,
        borderRadius: 8,
        padding: '10px 14px',
        display: 'flex',
        flexDirection: 'column',
        justifyContent: 'center',
        alignItems: 'center',
        textAlign: 'center',
        overflow: 'hidden',
        position: 'relative',
      }}
    >
      <div style={{ position: 'absolute', top: 6, left: 10, ...small }}>
        {t(`host.screen.modes.${screen.mode}`)}
      </div>
      {body}
      {c && screen.mode !== 'progress' && c.state !== 'pending' ? (
        <div style={{ position: 'absolute', bottom: 6, right: 10, ...small }}>
          {t('host.preview.progress', { scored: c.progress.scored, eligible: c.progress.eligible })}
        </div>
      ) : null}
    </div>
  );
}

function ScreenLinks({ eventId, canAct }: { eventId: string; canAct: boolean }) {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const act = useAction();
  const tokens = useLoad(() => api.get<ScreenTokenView[]>(`/api/events/${eventId}/screen-tokens`), [eventId]);
  const [label, setLabel] = useState('');
  const [shown, setShown] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);

  const create = async () => {
    setCreating(true);
    const created = await act(
      () => api.post<ScreenTokenView>(`/api/events/${eventId}/screen-tokens`, { label: label.trim() }),
      t('host.links.created'),
    );
    setCreating(false);
    if (!created) return;
    setLabel('');
    setShown(created.id);
    tokens.setData((prev) => [...(prev ?? []).filter((x) => x.id !== created.id), created]);
  };
  const revoke = (token: ScreenTokenView) =>
    modal.confirm({
      title: t('host.links.revokeConfirm', { label: token.label || t('host.links.unnamed') }),
      content: t('host.links.revokeWarning'),
      okText: t('host.links.revoke'),
      okButtonProps: withTestId('confirm-ok', { danger: true }),
      onOk: async () => {
        const ok = await act(
          () => api.delete(`/api/events/${eventId}/screen-tokens/${token.id}`),
          t('host.links.revoked'),
        );
        if (ok === undefined) return;
        if (shown === token.id) setShown(null);
        tokens.setData((prev) => (prev ?? []).filter((x) => x.id !== token.id));
      },
    });

  const list = tokens.data ?? [];
  const current = list.find((x) => x.id === shown) ?? null;
  return (
    <div data-testid="screen-links">
      {canAct ? (
        <Space.Compact style={{ width: '100%', marginBottom: 8 }}>
          <Input
            value={label}
            maxLength={100}
            onChange={(e) => setLabel(e.target.value)}
            placeholder={t('host.links.labelPlaceholder')}
            data-testid="screen-token-label"
          />
          <Button
            type="primary"
            icon={<DesktopOutlined />}
            loading={creating}
            onClick={() => void create()}
            data-testid="screen-token-create"
          >
            {t('host.links.create')}
          </Button>
        </Space.Compact>
      ) : null}
      {current && current.url === null ? (
        <Typography.Paragraph type="warning" data-testid="screen-token-reissue-needed">
          {t('host.links.reissueNeeded')}
        </Typography.Paragraph>
      ) : null}
      {current?.url ? (
        <div style={{ textAlign: 'center', marginBottom: 8 }} data-testid="screen-token-shown">
          <img
            src={`/api/events/${eventId}/screen-tokens/${current.id}/qr.svg`}
            alt={t('host.links.qrAlt')}
            width={160}
            height={160}
            data-testid="screen-token-qr"
            style={{ border: '1px solid #f0f0f0', padding: 6, background: '#fff' }}
          />
          <CopyField
            value={current.url}
            inputTestId="screen-token-url"
            style={{ width: '100%', marginTop: 6 }}
          />
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '4px 0 0' }}>
            {t('host.links.hint')}
          </Typography.Paragraph>
        </div>
      ) : null}
      <List
        size="small"
        locale={{ emptyText: tokens.loading ? t('app.loading') : t('host.links.none') }}
        dataSource={list}
        renderItem={(x) => (
          <List.Item
            data-testid={`screen-token-${x.id}`}
            actions={[
              <Tooltip key="qr" title={t('host.links.show')}>
                <Button
                  size="small"
                  icon={<QrcodeOutlined />}
                  onClick={() => setShown(shown === x.id ? null : x.id)}
                  data-testid="screen-token-show"
                />
              </Tooltip>,
              ...(canAct
                ? [
                    <Button
                      key="revoke"
                      size="small"
                      danger
                      onClick={() => revoke(x)}
                      data-testid="screen-token-revoke"
                    >
                      {t('host.links.revoke')}
                    </Button>,
                  ]
                : []),
            ]}
          >
            <Typography.Text>{x.label || t('host.links.unnamed')}</Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12, marginLeft: 8 }}>
              {formatDateTime(x.createdAt)}
            </Typography.Text>
          </List.Item>
        )}
      />
    </div>
  );
}

export interface ScreenPanelProps {
  eventId: string;
  d: EventDetail;
  host: HostState;
  screen: ScreenState | null;
  serverNow: () => number;
  organizer: boolean;
  /** Screen settings can change (organizer, event not locked). */
  canAct: boolean;
  /** Revealing stays possible on a locked event (organizer). */
  canReveal: boolean;
  onSettings: (patch: {
    mode?: ScreenMode;
    trackId?: string | null;
    theme?: 'red' | 'neutral';
    revealCount?: number | null;
  }) => Promise<boolean>;
  onRevealed: () => void;
  /** A slide turned: the answer is the fresh host state. */
  onHost: (host: HostState) => void;
}

/**
 * The reveal as the hall stages it: from the last place up, one unit per click of the host's button or
 * of a presenter's clicker (they send PageDown/PageUp, or the arrow keys), the top three last; "show
 * all" for a plain reveal. The timing is the host's.
 */
function RevealSteps({
  screen,
  busy,
  onCount,
}: {
  screen: ScreenState | null;
  busy: boolean;
  onCount: (count: number | null) => void;
}) {
  const { t } = useTranslation();
  const reveal = screen?.mode === 'reveal' ? screen.reveal : null;
  const total = reveal?.total ?? 0;
  const shown = reveal?.shown ?? 0;
  const latest = useRef({ total, shown, busy, onCount });
  latest.current = { total, shown, busy, onCount };
  useEffect(() => {
    if (!reveal) return;
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
      const { total: n, shown: k, busy: b, onCount: set } = latest.current;
      if (b) return;
      if (['ArrowRight', 'PageDown', 'ArrowDown'].includes(e.key) && k < n) {
        e.preventDefault();
        set(k + 1);
      } else if (['ArrowLeft', 'PageUp', 'ArrowUp'].includes(e.key) && k > 0) {
        e.preventDefault();
        set(k - 1);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [reveal]);
  if (!reveal) return null;
  const next = total - shown; // the rank about to be shown, counted from the top
  return (
    <div data-testid="reveal-steps" data-shown={shown} data-total={total} style={{ marginTop: 12 }}>
      <Typography.Text strong style={{ display: 'block', marginBottom: 6 }}>
        {t('host.reveal.steps', { shown, total })}
      </Typography.Text>
      <Space wrap size={[6, 6]}>
        <Button onClick={() => onCount(0)} disabled={busy || shown === 0} data-testid="reveal-restart">
          {t('host.reveal.fromLast')}
        </Button>
        <Button onClick={() => onCount(shown - 1)} disabled={busy || shown === 0} data-testid="reveal-back">
          {t('host.reveal.back')}
        </Button>
        <Button
          type="primary"
          onClick={() => onCount(shown + 1)}
          disabled={busy || shown >= total}
          data-testid="reveal-next"
        >
          {shown >= total ? t('host.reveal.allShown') : t('host.reveal.next', { rank: next })}
        </Button>
        <Button onClick={() => onCount(null)} disabled={busy || shown >= total} data-testid="reveal-all">
          {t('host.reveal.showAll')}
        </Button>
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginTop: 6, marginBottom: 0 }}>
        {t('host.reveal.keys')}
      </Typography.Paragraph>
    </div>
  );
}

export function ScreenPanel(props: ScreenPanelProps) {
  const { eventId, d, host, canAct } = props;
  const { t, i18n } = useTranslation();
  const { modal } = App.useApp();
  const act = useAction();
  const confirmRefusal = useConfirmRefusal();
  const { busy, whileBusy } = useBusyKey();
  const revealed = new Set(host.revealedTrackIds);
  const shownTrack = host.screen.mode === 'reveal' ? host.screen.trackId : null;

  const settings = (key: string, patch: Parameters<ScreenPanelProps['onSettings']>[0]) =>
    whileBusy(key, () => props.onSettings(patch));

  // Reveal mode needs a revealed track: the one last chosen if it is revealed, else the only one.
  const revealTarget =
    host.screen.trackId && revealed.has(host.screen.trackId)
      ? host.screen.trackId
      : host.revealedTrackIds.length === 1
        ? host.revealedTrackIds[0]
        : null;

  const revealTrack = (trackId: string, name: string) =>
    modal.confirm({
      title: t('results.revealConfirm', { track: name }),
      content: canAct ? t('host.reveal.warning') : t('results.revealWarning'),
      okText: t('host.reveal.reveal'),
      okButtonProps: withTestId('confirm-ok', { danger: true }),
      onOk: () =>
        whileBusy(`reveal-${trackId}`, async () => {
          const ok = await act(
            () =>
              confirmRefusal('reveal_incomplete', (confirmIncomplete) =>
                api.post(`/api/events/${eventId}/reveal`, { trackId, revealed: true, confirmIncomplete }),
              ),
            t('host.reveal.revealed', { track: name }),
          );
          if (ok === undefined) return;
          props.onRevealed();
          // Revealing is what the hall is waiting for: show it at once.
          // From the last place up: the host steps through it (or shows all at once).
          if (canAct) await props.onSettings({ mode: 'reveal', trackId, revealCount: 0 });
        }),
    });

  return (
    <Card size="small" title={t('host.screen.title')} data-testid="screen-panel">
      <ScreenPreview screen={props.screen} serverNow={props.serverNow} />
      {props.organizer ? (
        <>
          <Typography.Text strong style={{ display: 'block', marginTop: 12, marginBottom: 6 }}>
            {t('host.screen.mode')}
          </Typography.Text>
          <Space wrap size={[6, 6]}>
            {screenModes.map((m) => {
              const active = host.screen.mode === m;
              const blocked = m === 'reveal' && !revealTarget;
              const button = (
                <Button
                  key={m}
                  type={active ? 'primary' : 'default'}
                  disabled={!canAct || blocked}
                  loading={busy === `mode-${m}`}
                  onClick={() =>
                    void settings(
                      `mode-${m}`,
                      m === 'reveal' ? { mode: m, trackId: revealTarget } : { mode: m },
                    )
                  }
                  data-testid={`screen-mode-${m}`}
                  data-active={active}
                >
                  {t(`host.screen.modes.${m}`)}
                </Button>
              );
              return blocked && canAct ? (
                <Tooltip key={m} title={t('host.screen.revealFirst')}>
                  <span>{button}</span>
                </Tooltip>
              ) : (
                button
              );
            })}
          </Space>
          {canAct && host.screen.mode === 'slides' ? (
            <SlideControls eventId={eventId} host={host} onHost={props.onHost} />
          ) : null}
          {canAct ? (
            <RevealSteps
              screen={props.screen}
              busy={busy === 'reveal-step'}
              onCount={(revealCount) => void settings('reveal-step', { revealCount })}
            />
          ) : null}
          <Typography.Text strong style={{ display: 'block', marginTop: 12, marginBottom: 6 }}>
            {t('host.screen.theme')}
          </Typography.Text>
          <Space.Compact data-testid="screen-theme" data-theme={host.screen.theme}>
            {(['red', 'neutral'] as const).map((th) => (
              <Button
                key={th}
                type={host.screen.theme === th ? 'primary' : 'default'}
                disabled={!canAct}
                loading={busy === `theme-${th}`}
                onClick={() => void settings(`theme-${th}`, { theme: th })}
                data-testid={`screen-theme-${th}`}
              >
                {t(`host.screen.themes.${th}`)}
              </Button>
            ))}
          </Space.Compact>

          <Typography.Text strong style={{ display: 'block', marginTop: 16, marginBottom: 6 }}>
            {t('host.reveal.title')}
          </Typography.Text>
          {d.tracks.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
          ) : (
            d.tracks.map((tr, i) => {
              const name = trackLabel(tr, i18n.language);
              const isRevealed = revealed.has(tr.id);
              const onScreen = shownTrack === tr.id;
              return (
                <div
                  key={tr.id}
                  style={{
                    display: 'flex',
                    justifyContent: 'space-between',
                    alignItems: 'center',
                    gap: 8,
                    padding: '4px 0',
                  }}
                >
                  <div style={{ minWidth: 0 }}>
                    <Typography.Text>{name}</Typography.Text>
                    {isRevealed || onScreen ? (
                      <div>
                        {isRevealed ? <Tag color="green">{t('results.revealed')}</Tag> : null}
                        {onScreen ? <Tag color="red">{t('host.reveal.onScreen')}</Tag> : null}
                      </div>
                    ) : null}
                  </div>
                  {isRevealed ? (
                    <Button
                      size="small"
                      icon={<EyeOutlined />}
                      disabled={!canAct || onScreen}
                      loading={busy === `show-${tr.id}`}
                      onClick={() => void settings(`show-${tr.id}`, { mode: 'reveal', trackId: tr.id })}
                      data-testid={`reveal-track-${i}`}
                      data-revealed="true"
                    >
                      {t('host.reveal.show')}
                    </Button>
                  ) : (
                    <Button
                      size="small"
                      danger
                      disabled={!props.canReveal}
                      loading={busy === `reveal-${tr.id}`}
                      onClick={() => revealTrack(tr.id, name)}
                      data-testid={`reveal-track-${i}`}
                      data-revealed="false"
                    >
                      {canAct ? t('host.reveal.revealAndShow') : t('host.reveal.reveal')}
                    </Button>
                  )}
                </div>
              );
            })
          )}

          <Typography.Text strong style={{ display: 'block', marginTop: 16, marginBottom: 6 }}>
            {t('host.links.title')}
          </Typography.Text>
          <ScreenLinks eventId={eventId} canAct={props.organizer} />
        </>
      ) : null}
    </Card>
  );
}
