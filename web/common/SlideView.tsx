// Renderer 1: one laid-out slide (src/modules/reports/domain/layout.ts) as HTML, for the live preview
// and the big screen. The slide is drawn at 96 px an inch on its 13.333 × 7.5 in canvas and scaled to
// the width it is given; boxes, sizes, margins and line height are the layout's, and every line is one
// of its lines (white-space: pre), so nothing wraps again here.
import type { CSSProperties } from 'react';
import {
  INSET,
  LIGHT_COLUMN,
  LIGHT_FILL,
  LINE_HEIGHT,
  LOGO_PHOTO_ID,
  SLIDE_H,
  SLIDE_W,
  type Slide,
  type SlideElement,
} from '../../src/modules/reports/domain/layout.ts';

const PX = 96;
const FONT = '"Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", sans-serif';

/** A table cell: the layout's inset, its lines as they are. */
const cellStyle: CSSProperties = {
  border: '1px solid #BFBFBF',
  padding: INSET * PX,
  whiteSpace: 'pre',
  overflow: 'hidden',
};

const boxStyle = (b: { x: number; y: number; w: number; h: number }): CSSProperties => ({
  position: 'absolute',
  left: b.x * PX,
  top: b.y * PX,
  width: b.w * PX,
  height: b.h * PX,
  boxSizing: 'border-box',
});

function Element({
  el,
  sourceOf,
  photoUrl,
}: {
  el: SlideElement;
  sourceOf?: ((indicatorId: string) => string | undefined) | undefined;
  photoUrl?: ((photoId: string) => string) | undefined;
}) {
  if (el.kind === 'text')
    return (
      <div
        data-testid="slide-text"
        data-role={el.role}
        style={{
          ...boxStyle(el.box),
          padding: INSET * PX,
          overflow: 'hidden',
          background: el.fill ?? undefined,
          color: el.color,
          fontSize: (el.fontSize * PX) / 72,
          lineHeight: LINE_HEIGHT,
          fontWeight: el.bold ? 700 : 400,
          textAlign: el.align,
          display: 'flex',
          flexDirection: 'column',
          justifyContent: el.role === 'title' ? 'center' : 'flex-start',
        }}
      >
        {el.lines.map((line, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines are positional
          <div key={i} style={{ whiteSpace: 'pre' }}>
            {line || '\u00a0'}
          </div>
        ))}
      </div>
    );
  if (el.kind === 'table')
    return (
      <table
        data-testid="slide-table"
        style={{
          ...boxStyle(el.box),
          borderCollapse: 'collapse',
          tableLayout: 'fixed',
          fontSize: (el.fontSize * PX) / 72,
          lineHeight: LINE_HEIGHT,
        }}
      >
        <colgroup>
          {el.columnWidths.map((w, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional
            <col key={i} style={{ width: w * PX }} />
          ))}
        </colgroup>
        <thead>
          <tr style={{ height: el.headerHeight * PX, background: '#F2F2F2' }}>
            {el.header.map((h) => (
              <th key={h} style={cellStyle}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {el.rows.map((r) => (
            <tr
              key={r.indicatorId}
              style={{ height: r.height * PX }}
              title={sourceOf?.(r.indicatorId)}
              data-testid="slide-row"
            >
              {r.cells.map((lines, i) => (
                <td
                  // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional
                  key={i}
                  style={{
                    ...cellStyle,
                    verticalAlign: 'middle',
                    background: i === LIGHT_COLUMN ? LIGHT_FILL[r.light] : undefined,
                  }}
                >
                  {lines.join('\n')}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    );
  if (el.kind === 'chart') {
    const values = el.series.flatMap((s) => s.values);
    const max = Math.max(100, ...values);
    const colors = el.colors;
    const n = el.categories.length;
    const w = el.box.w * PX;
    const h = el.box.h * PX - 40;
    const group = w / Math.max(1, n);
    const bar = (group * 0.7) / el.series.length;
    return (
      <svg
        data-testid="slide-chart"
        style={boxStyle(el.box)}
        viewBox={`0 0 ${w} ${el.box.h * PX}`}
        role="img"
        aria-label={el.series.map((s) => s.name).join(' / ')}
      >
        {el.categories.map((c, ci) => (
          <g key={c}>
            {el.series.map((s, si) => {
              const v = s.values[ci] ?? 0;
              const bh = (v / max) * (h - 20);
              return (
                <rect
                  key={s.name}
                  x={ci * group + group * 0.15 + si * bar}
                  y={h - bh}
                  width={bar}
                  height={bh}
                  fill={colors[si % colors.length]}
                />
              );
            })}
            <text x={ci * group + group / 2} y={h + 16} fontSize={13} textAnchor="middle" fontFamily={FONT}>
              {c}
            </text>
          </g>
        ))}
        {el.series.map((s, si) => (
          <g key={s.name}>
            <rect x={si * 110 + 10} y={h + 26} width={12} height={12} fill={colors[si % colors.length]} />
            <text x={si * 110 + 28} y={h + 37} fontSize={13} fontFamily={FONT}>
              {s.name}
            </text>
          </g>
        ))}
      </svg>
    );
  }
  // Contained like the PPTX's picture: the whole photo, letterboxed in its frame; the logo unframed.
  const logo = el.photoId === LOGO_PHOTO_ID;
  return (
    <div
      data-testid={logo ? 'slide-logo' : 'slide-photo'}
      style={{
        ...boxStyle(el.box),
        overflow: 'hidden',
        ...(logo ? {} : { background: '#EEEEEE', border: '1px solid #BFBFBF' }),
      }}
    >
      {photoUrl ? (
        <img
          src={photoUrl(el.photoId)}
          alt=""
          style={{ width: '100%', height: '100%', objectFit: 'contain', display: 'block' }}
        />
      ) : null}
    </div>
  );
}

/** Where the photos of a unit's deck are read from, the event's logo included. */
export function deckPhotoUrl(eventId: string, unitId: string): (photoId: string) => string {
  const event = `/api/events/${encodeURIComponent(eventId)}/reports`;
  return (photoId) =>
    photoId === LOGO_PHOTO_ID
      ? `${event}/template/logo`
      : `${event}/${encodeURIComponent(unitId)}/photos/${encodeURIComponent(photoId)}`;
}

/** One slide at `width` px (16:9). */
export function SlideView({
  slide,
  width,
  sourceOf,
  photoUrl,
}: {
  slide: Slide;
  width: number;
  sourceOf?: (indicatorId: string) => string | undefined;
  /** Where a photo of the deck is read from; without it photos are grey frames. */
  photoUrl?: (photoId: string) => string;
}) {
  const scale = width / (SLIDE_W * PX);
  return (
    <div
      data-testid="slide"
      data-section={slide.section}
      style={{
        width,
        height: SLIDE_H * PX * scale,
        overflow: 'hidden',
        position: 'relative',
        boxShadow: '0 1px 4px rgba(0,0,0,.2)',
      }}
    >
      <div
        style={{
          width: SLIDE_W * PX,
          height: SLIDE_H * PX,
          position: 'absolute',
          transform: `scale(${scale})`,
          transformOrigin: '0 0',
          background: '#FFFFFF',
          // The deck's own ink: the big screen's white text must not leak into the slide's tables.
          color: '#1F1F1F',
          fontFamily: FONT,
        }}
      >
        {slide.elements.map((el, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: elements are positional
          <Element key={i} el={el} sourceOf={sourceOf} photoUrl={photoUrl} />
        ))}
      </div>
    </div>
  );
}
