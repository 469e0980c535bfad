// A revealed track's ranking as an animated horizontal bar chart: rank 1 on top, the bars grow from
// the last place up to the first, the top three in gold. Loaded lazily (its own chunk with ECharts),
// and only ever fed from state.reveal, which the server fills for revealed tracks only.
import { BarChart } from 'echarts/charts';
import { GridComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useMemo, useRef } from 'react';
import type { ScreenState } from '../../src/modules/event/schemas.ts';
import { emWidth } from './format.ts';
import type { ScreenLocale, T } from './i18n.ts';
import { gradeLabel, isTopThree as isTop, type Reveal, type RevealRow, rankedRows } from './ranking.ts';

echarts.use([BarChart, GridComponent, CanvasRenderer]);

type Row = RevealRow;

const FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';
const GOLD = '#ffd66b';
const STEP_MS = 280;
const GROW_MS = 1400;

/** One screen unit in px: 1/100 of the largest 16:9 frame that fits the window (as --u in CSS). */
const unitPx = (): number => Math.min(window.innerWidth, (window.innerHeight * 16) / 9) / 100;

function chartOption(
  rows: Row[],
  decimals: number,
  t: T,
  locale: ScreenLocale,
  theme: ScreenState['theme'],
  heightPx: number,
) {
  const px = unitPx();
  const n = Math.max(rows.length, 1);
  // The rank badge is 1.6em high and must fit its band, or ECharts drops labels that would overlap.
  const font = Math.max(px * 0.9, Math.min(px * 2.6, (heightPx - px) / n / 1.75));
  const max = Math.max(0, ...rows.map((r) => r.score ?? 0));
  const plain = theme === 'red' ? 'rgba(255, 240, 220, 0.62)' : 'rgba(176, 190, 197, 0.85)';
  const text = '#ffffff';
  const gold = {
    type: 'linear' as const,
    x: 0,
    y: 0,
    x2: 1,
    y2: 0,
    colorStops: [
      { offset: 0, color: '#f6c453' },
      { offset: 1, color: '#ffe08a' },
    ],
  };
  const grade = (r: Row) => gradeLabel(r, locale);
  const scoreText = (r: Row) =>
    r.score === null ? t('reveal.noScore') : t('reveal.score', { score: r.score.toFixed(decimals) });
  const penaltyText = (r: Row) => (r.penalty > 0 ? t('reveal.penalty', { penalty: r.penalty }) : '');
  // Room on the right for the longest label (score, grade, penalty), so none is cut off.
  const labelPx = Math.max(
    0,
    ...rows.map(
      (r) =>
        font *
        (emWidth(scoreText(r)) * 1.05 +
          (grade(r) ? emWidth(grade(r)) * 0.8 + 1.2 : 0) +
          (penaltyText(r) ? emWidth(penaltyText(r)) * 0.75 + 0.6 : 0)),
    ),
  );
  return {
    animation: true,
    textStyle: { fontFamily: FONT },
    grid: { left: px * 2, right: labelPx + px * 3, top: px * 0.5, bottom: px * 0.5, containLabel: true },
    xAxis: { type: 'value' as const, min: 0, max: max > 0 ? max : 1, show: false },
    yAxis: {
      type: 'category' as const,
      inverse: true,
      data: rows.map((r) => r.unitName),
      axisLine: { show: false },
      axisTick: { show: false },
      axisLabel: {
        interval: 0,
        margin: px * 1.2,
        formatter: (name: string, index: number) => {
          const r = rows[index];
          const rank = r?.rank === null || r?.rank === undefined ? t('reveal.unranked') : String(r.rank);
          return `{${r && isTop(r) ? 'top' : 'rank'}|${rank}}{name|${name}}`;
        },
        rich: {
          rank: {
            width: font * 1.6,
            height: font * 1.6,
            align: 'center' as const,
            fontSize: font,
            fontWeight: 'bold' as const,
            color: text,
            borderColor: plain,
            borderWidth: Math.max(1, px * 0.12),
            borderRadius: font,
          },
          top: {
            width: font * 1.6,
            height: font * 1.6,
            align: 'center' as const,
            fontSize: font,
            fontWeight: 'bold' as const,
            color: '#7a0000',
            backgroundColor: GOLD,
            borderRadius: font,
          },
          name: { fontSize: font, color: text, padding: [0, 0, 0, font * 0.6], fontWeight: 'bold' as const },
        },
      },
    },
    series: [
      {
        type: 'bar' as const,
        barCategoryGap: '30%',
        barMaxWidth: px * 5.5,
        data: rows.map((r) => ({
          value: r.score ?? 0,
          itemStyle: {
            color: isTop(r) ? gold : plain,
            borderRadius: [0, font * 0.4, font * 0.4, 0],
            shadowBlur: isTop(r) ? px * 1.2 : 0,
            shadowColor: 'rgba(255, 214, 107, 0.55)',
          },
        })),
        label: {
          show: true,
          position: 'right' as const,
          distance: px * 0.8,
          formatter: (p: { dataIndex: number }) => {
            const r = rows[p.dataIndex];
            if (!r) return '';
            if (r.score === null) return `{muted|${scoreText(r)}}`;
            const parts = [`{score|${scoreText(r)}}`];
            const g = grade(r);
            if (g) parts.push(`{grade|${g}}`);
            if (r.penalty > 0) parts.push(`{muted|${penaltyText(r)}}`);
            return parts.join(' ');
          },
          rich: {
            score: { fontSize: font * 1.05, fontWeight: 'bold' as const, color: GOLD },
            grade: {
              fontSize: font * 0.8,
              color: '#7a0000',
              backgroundColor: '#fff3d6',
              borderRadius: font * 0.3,
              padding: [font * 0.15, font * 0.4],
            },
            muted: { fontSize: font * 0.75, color: 'rgba(255, 255, 255, 0.75)' },
          },
        },
        animationDuration: GROW_MS,
        animationEasing: 'cubicOut' as const,
        // From the last place up to the first: the winner is the last bar to grow.
        animationDelay: (index: number) => (n - 1 - index) * STEP_MS,
      },
    ],
  };
}

export default function RevealChart({
  reveal,
  t,
  locale,
  theme,
}: {
  reveal: Reveal;
  t: T;
  locale: ScreenLocale;
  theme: ScreenState['theme'];
}) {
  const el = useRef<HTMLDivElement>(null);
  const rows = useMemo(() => rankedRows(reveal.rows), [reveal.rows]);
  // A new snapshot with the same ranking (progress elsewhere changed) must not replay the animation.
  const decimals = reveal.decimals;
  const key = JSON.stringify([rows, decimals, theme, locale]);
  const latest = useRef({ rows, decimals, t, locale, theme });
  latest.current = { rows, decimals, t, locale, theme };

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for rows/theme/locale by value
  useEffect(() => {
    const node = el.current;
    if (!node) return;
    const chart = echarts.init(node, undefined, { renderer: 'canvas' });
    const draw = () => {
      const c = latest.current;
      chart.setOption(chartOption(c.rows, c.decimals, c.t, c.locale, c.theme, node.clientHeight), {
        notMerge: true,
      });
    };
    draw();
    let pending = 0;
    const onResize = () => {
      window.clearTimeout(pending);
      pending = window.setTimeout(() => {
        chart.resize();
        draw();
      }, 150);
    };
    window.addEventListener('resize', onResize);
    return () => {
      window.clearTimeout(pending);
      window.removeEventListener('resize', onResize);
      chart.dispose();
    };
  }, [key]);

  return (
    <div className="reveal-chart-wrap">
      <div
        ref={el}
        className="reveal-chart"
        role="img"
        aria-label={t('reveal.chartLabel', { track: reveal.trackName })}
        data-testid="reveal-chart"
      />
      {/* The canvas says nothing to assistive technology (or to a test): the same ranking as text. */}
      <table className="visually-hidden" data-testid="reveal-table">
        <tbody>
          {rows.map((r) => (
            <tr
              key={`${r.rank}-${r.unitName}`}
              data-testid="reveal-row"
              data-rank={r.rank ?? ''}
              data-score={r.score ?? ''}
            >
              <td>{r.rank === null ? t('reveal.unranked') : t('reveal.rank', { rank: r.rank })}</td>
              <td>{r.unitName}</td>
              <td>{r.score === null ? t('reveal.noScore') : r.score.toFixed(decimals)}</td>
              <td>{gradeLabel(r, locale)}</td>
              <td>{r.penalty > 0 ? t('reveal.penalty', { penalty: r.penalty }) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
