// The presenter's page (/present/:eventId), opened on the laptop at the lectern: the slide the hall
// sees, the next one, the stage timer and "N / M"; the clicker's keys turn the slides for every screen
// of the event. Organizer only, like the host console whose slide controls it shares.
import { Button, Result, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { deckPhotoUrl, SlideView } from '../../common/SlideView.tsx';
import { TimerDisplay } from '../event/HostTimer.tsx';
import { useHostFeed } from '../event/useHostFeed.ts';
import { stageOf, useSlideTurner, useStageDeck } from './StageSlides.tsx';

function useViewportWidth(): number {
  const [width, setWidth] = useState(() => window.innerWidth);
  useEffect(() => {
    const onResize = () => setWidth(window.innerWidth);
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return width;
}

const page = {
  minHeight: '100vh',
  background: '#141414',
  color: '#f0f0f0',
  padding: 16,
  boxSizing: 'border-box' as const,
};

export function PresenterPage() {
  const { eventId = '' } = useParams();
  const { t } = useTranslation('reports-web');
  const feed = useHostFeed(eventId, true);
  const stage = stageOf(feed.host);
  const deck = useStageDeck(eventId, stage?.slot.unitId ?? null);
  const slides = deck.kind === 'ready' ? deck.deck.slides : [];
  const { index, go } = useSlideTurner(eventId, stage, slides.length, feed.applyHost);
  const viewport = useViewportWidth();
  const narrow = viewport < 900;
  const mainWidth = narrow ? viewport - 32 : Math.round((viewport - 48) * 0.66);
  const sideWidth = narrow ? viewport - 32 : viewport - 48 - mainWidth;

  if (feed.refused) {
    return (
      <div style={page}>
        <Result status="403" title={t('present.refused')} />
      </div>
    );
  }
  const photoUrl = deckPhotoUrl(eventId, stage?.slot.unitId ?? '');
  const current = slides[index];
  const next = slides[index + 1];
  const timer = stage ? feed.host?.slots.find((s) => s.id === stage.slot.id)?.timer : undefined;
  return (
    <div
      style={page}
      data-testid="presenter"
      data-slide={slides.length ? index + 1 : 0}
      data-count={slides.length}
    >
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Typography.Title level={4} style={{ color: '#f0f0f0', margin: 0 }} data-testid="presenter-unit">
          {stage ? stage.slot.unitName : t('present.noCurrent')}
        </Typography.Title>
        <Typography.Text style={{ color: '#bfbfbf', fontSize: 18 }} data-testid="presenter-position">
          {slides.length ? t('present.count', { n: index + 1, of: slides.length }) : ''}
        </Typography.Text>
      </Space>
      <div style={{ display: 'flex', flexDirection: narrow ? 'column' : 'row', gap: 16 }}>
        <div>
          {current ? (
            <SlideView slide={current} width={mainWidth} photoUrl={photoUrl} />
          ) : (
            <div
              data-testid="presenter-empty"
              style={{
                width: mainWidth,
                aspectRatio: '16 / 9',
                display: 'grid',
                placeItems: 'center',
                background: '#262626',
              }}
            >
              {!stage
                ? t('present.noCurrent')
                : deck.kind === 'loading'
                  ? t('present.loading')
                  : t('present.noDeck', { unit: stage.slot.unitName })}
            </div>
          )}
        </div>
        <div style={{ width: sideWidth, display: 'flex', flexDirection: 'column', gap: 12 }}>
          {timer ? (
            <TimerDisplay
              timer={timer}
              serverNow={feed.serverNow}
              size={narrow ? 56 : 72}
              testId="presenter-timer"
              style={{ background: '#f5f5f5', color: '#141414', borderRadius: 8, padding: 8 }}
            />
          ) : null}
          <Typography.Text style={{ color: '#bfbfbf' }}>{t('present.nextSlide')}</Typography.Text>
          {next ? (
            <div data-testid="presenter-next">
              <SlideView slide={next} width={sideWidth} photoUrl={photoUrl} />
            </div>
          ) : (
            <Typography.Text style={{ color: '#8c8c8c' }}>
              {slides.length ? t('present.last') : ''}
            </Typography.Text>
          )}
          <Space wrap>
            <Button
              size="large"
              onClick={() => go(index - 1)}
              disabled={index === 0}
              data-testid="slide-back"
            >
              {t('present.back')}
            </Button>
            <Button
              size="large"
              type="primary"
              onClick={() => go(index + 1)}
              disabled={slides.length === 0 || index >= slides.length - 1}
              data-testid="slide-next"
            >
              {t('present.next')}
            </Button>
          </Space>
          <Typography.Text style={{ color: '#8c8c8c' }}>{t('present.keys')}</Typography.Text>
        </div>
      </div>
    </div>
  );
}
