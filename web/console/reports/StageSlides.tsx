// Turning the showcase slides of the unit on stage: the host console's controls and the presenter's
// page (current and next slide, the stage timer, "N / M"), both driven by the keys a presenter's clicker
// sends (PageDown/PageUp, the arrow keys, space). The slide number lives on the server (PUT
// /api/events/:id/screen/slide, an absolute index for the slot on stage), so every screen, the console
// and the presenter's page show the same slide, and a retried click never skips one.
import { Button, Space, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HostState } from '../../../src/modules/event/schemas.ts';
import type { Deck } from '../../../src/modules/reports/domain/layout.ts';
import { api, isApiError } from '../../common/api.ts';
import { useAction } from '../hooks.ts';

export type StageDeck = { kind: 'loading' } | { kind: 'none' } | { kind: 'ready'; deck: Deck };

/** The approved deck of the unit on stage (none when the unit has no approved report). */
export function useStageDeck(eventId: string, unitId: string | null): StageDeck {
  const [deck, setDeck] = useState<StageDeck>({ kind: 'loading' });
  useEffect(() => {
    if (!unitId) {
      setDeck({ kind: 'none' });
      return;
    }
    let cancelled = false;
    setDeck({ kind: 'loading' });
    api
      .get<Deck>(`/api/events/${eventId}/reports/${unitId}/slides`)
      .then((d) => {
        if (!cancelled) setDeck({ kind: 'ready', deck: d });
      })
      .catch((e: unknown) => {
        if (!cancelled) setDeck({ kind: 'none' });
        if (!isApiError(e)) console.warn(e);
      });
    return () => {
      cancelled = true;
    };
  }, [eventId, unitId]);
  return deck;
}

const FORWARD = new Set(['PageDown', 'ArrowRight', 'ArrowDown', ' ', 'Spacebar']);
const BACK = new Set(['PageUp', 'ArrowLeft', 'ArrowUp']);

/** The unit on stage as the host state names it: slides turn only for a slot the host put on stage. */
export function stageOf(host: HostState | null) {
  const slot = host?.currentSlotId ? host.slots.find((s) => s.id === host.currentSlotId) : undefined;
  return slot && host ? { slot, slide: host.screen.slide } : null;
}
export type Stage = ReturnType<typeof stageOf>;

/**
 * The slide shown and a function to go to another one. While an answer is awaited the slide asked for
 * is shown and further clicks count from it, so three quick PageDowns move three slides.
 */
export function useSlideTurner(
  eventId: string,
  stage: Stage,
  count: number,
  onHost: (host: HostState) => void,
): { index: number; go: (index: number) => void } {
  const act = useAction();
  const slotId = stage?.slot.id ?? null;
  const server = stage ? Math.min(stage.slide, Math.max(0, count - 1)) : 0;
  const asked = useRef<{ slotId: string; index: number } | null>(null);
  const [pending, setPending] = useState(0);
  const index =
    asked.current && asked.current.slotId === slotId && pending > 0 ? asked.current.index : server;
  const go = useCallback(
    (target: number) => {
      if (!slotId || count === 0) return;
      const next = Math.max(0, Math.min(count - 1, target));
      if (next === index) return;
      asked.current = { slotId, index: next };
      setPending((n) => n + 1);
      void act(() => api.put<HostState>(`/api/events/${eventId}/screen/slide`, { slotId, index: next }))
        .then((host) => {
          if (host) onHost(host);
        })
        .finally(() => setPending((n) => n - 1));
    },
    [act, count, eventId, index, onHost, slotId],
  );
  const latest = useRef({ index, go });
  latest.current = { index, go };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
      const { index: at, go: to } = latest.current;
      if (FORWARD.has(e.key)) {
        e.preventDefault();
        to(at + 1);
      } else if (BACK.has(e.key)) {
        e.preventDefault();
        to(at - 1);
      } else if (e.key === 'Home') {
        e.preventDefault();
        to(0);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return { index, go };
}

/** The host console's slide controls, shown while the screen is in slides mode. */
export function SlideControls({
  eventId,
  host,
  onHost,
}: {
  eventId: string;
  host: HostState;
  onHost: (host: HostState) => void;
}) {
  const { t } = useTranslation('reports-web');
  const stage = stageOf(host);
  const deck = useStageDeck(eventId, stage?.slot.unitId ?? null);
  const count = deck.kind === 'ready' ? deck.deck.slides.length : 0;
  const { index, go } = useSlideTurner(eventId, stage, count, onHost);
  const current = stage?.slot;
  return (
    <div
      data-testid="slide-controls"
      data-slide={count ? index + 1 : 0}
      data-count={count}
      style={{ marginTop: 12 }}
    >
      <Typography.Text strong style={{ display: 'block', marginBottom: 6 }}>
        {!current
          ? t('present.noCurrent')
          : deck.kind === 'loading'
            ? t('present.loading')
            : deck.kind === 'none'
              ? t('present.noDeck', { unit: current.unitName })
              : t('present.position', { unit: current.unitName, n: index + 1, of: count })}
      </Typography.Text>
      <Space wrap size={[6, 6]}>
        <Button onClick={() => go(index - 1)} disabled={count === 0 || index === 0} data-testid="slide-back">
          {t('present.back')}
        </Button>
        <Button
          type="primary"
          onClick={() => go(index + 1)}
          disabled={count === 0 || index >= count - 1}
          data-testid="slide-next"
        >
          {t('present.next')}
        </Button>
        <Button href={`/present/${eventId}`} target="_blank" rel="noopener" data-testid="open-presenter">
          {t('present.open')}
        </Button>
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginTop: 6, marginBottom: 0 }}>
        {t('present.keys')}
      </Typography.Paragraph>
    </div>
  );
}
