// Slides mode: the approved showcase deck of the unit on stage fills the frame (the deck and the frame
// are both 16:9), the stage timer stays in a corner and the hall sees "N / M". The host console or the
// presenter's page turns the slides; the screen only follows the slide number in its live state. A
// unit without an approved deck gets the speaker's face instead, so the screen is never blank.
import { useEffect, useState } from 'react';
import type { Deck } from '../../src/modules/reports/domain/layout.ts';
import { deckPhotoUrl, SlideView } from '../common/SlideView.tsx';
import { fetchDeck } from './api.ts';
import { type ModeProps, SpeakerView } from './modes.tsx';
import { StageTimer } from './Timer.tsx';

type DeckState = { kind: 'loading' } | { kind: 'none' } | { kind: 'ready'; deck: Deck };

/** Decks already fetched on this screen, by event and unit: a deck does not change once the event runs. */
const decks = new Map<string, Deck | null>();

function useDeck(eventId: string, unitId: string | null, locale: string): DeckState {
  const key = unitId ? `${eventId}/${unitId}` : null;
  const [state, setState] = useState<DeckState>(() => {
    const known = key ? decks.get(key) : null;
    return known ? { kind: 'ready', deck: known } : known === null ? { kind: 'none' } : { kind: 'loading' };
  });
  useEffect(() => {
    if (!key || !unitId) {
      setState({ kind: 'none' });
      return;
    }
    const known = decks.get(key);
    if (known !== undefined) {
      setState(known ? { kind: 'ready', deck: known } : { kind: 'none' });
      return;
    }
    setState({ kind: 'loading' });
    let cancelled = false;
    let timer: number | undefined;
    const attempt = async (n: number) => {
      const res = await fetchDeck(eventId, unitId, locale);
      if (cancelled) return;
      if (res.kind === 'ok') {
        decks.set(key, res.body);
        setState({ kind: 'ready', deck: res.body });
      } else if (res.kind === 'error' && res.status < 500) {
        // No approved deck (404) or not ours to read: final for this unit.
        decks.set(key, null);
        setState({ kind: 'none' });
      } else {
        timer = window.setTimeout(() => void attempt(n + 1), Math.min(5000, 300 * 2 ** n));
      }
    };
    void attempt(0);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [eventId, unitId, key, locale]);
  return state;
}

/** The element's width in px, followed as the window resizes (a callback ref: the element comes and goes). */
function useWidth(): [(el: HTMLElement | null) => void, number] {
  const [el, setEl] = useState<HTMLElement | null>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    if (!el) return;
    setWidth(el.clientWidth);
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  }, [el]);
  return [setEl, width];
}

export function SlidesView(props: ModeProps) {
  const { state, t, locale, offsetRef } = props;
  const c = state.current;
  const deck = useDeck(state.event.id, c?.unitId ?? null, locale);
  const [ref, width] = useWidth();
  if (!c || deck.kind === 'none' || (deck.kind === 'ready' && deck.deck.slides.length === 0)) {
    return <SpeakerView {...props} />;
  }
  const slides = deck.kind === 'ready' ? deck.deck.slides : [];
  const index = Math.max(0, Math.min(c.slide, slides.length - 1));
  const slide = slides[index];
  return (
    <section
      ref={ref}
      className="mode mode-slides"
      data-testid="mode-slides"
      data-slide={slides.length > 0 ? index + 1 : 0}
      data-count={slides.length}
    >
      {slide && width > 0 ? (
        <SlideView slide={slide} width={width} photoUrl={deckPhotoUrl(state.event.id, c.unitId)} />
      ) : null}
      <div className="slides-timer">
        <StageTimer timer={c.timer} offsetRef={offsetRef} t={t} />
      </div>
      {slides.length > 0 ? (
        <div className="slides-count" data-testid="slide-count">
          {t('slides.count', { n: index + 1, of: slides.length })}
        </div>
      ) : null}
    </section>
  );
}
