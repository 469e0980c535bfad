// A highlight's key figures (label and value, drawn large above its text) and its photos: the unit's
// uploaded photos as thumbnails to pick from, and an upload that adds the new photo to this highlight.
// The server checks each photo by its bytes, turns it upright and scales it; the preview shows it.
import { CameraOutlined } from '@ant-design/icons';
import { Button, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Highlight } from '../../../src/modules/reports/domain/report.ts';
import { useFilePicker } from '../components/FilePicker.tsx';
import { useAction } from '../hooks.ts';
import { uploadFile } from '../indicators/upload.ts';

export interface PhotoItem {
  id: string;
  width: number;
  height: number;
}

/** Figures above a highlight's text: more than three do not fit one row of the slide. */
const MAX_FIGURES = 3;

export function HighlightExtras({
  base,
  index,
  highlight,
  editable,
  photos,
  maxPhotos,
  onChange,
  onUploaded,
}: {
  base: string;
  index: number;
  highlight: Highlight;
  editable: boolean;
  photos: PhotoItem[];
  maxPhotos: number;
  onChange: (patch: Partial<Highlight>) => void;
  onUploaded: (photo: PhotoItem) => void;
}) {
  const { t } = useTranslation('reports-web');
  const act = useAction();
  const [busy, setBusy] = useState(false);
  const chosen = new Set(highlight.photoIds);
  const full = highlight.photoIds.length >= maxPhotos;
  const picker = useFilePicker({
    accept: 'image/jpeg,image/png,image/webp',
    testId: `report-highlight-${index}-photo-input`,
    onFile: async (f) => {
      setBusy(true);
      const photo = await act(
        () =>
          uploadFile<PhotoItem>(`${base}/photos`, f, { contentType: f.type || 'application/octet-stream' }),
        t('photos.uploaded'),
      );
      setBusy(false);
      if (!photo) return;
      onUploaded(photo);
      if (!full) onChange({ photoIds: [...highlight.photoIds, photo.id] });
    },
  });
  const figures = highlight.figures;
  const setFigure = (j: number, patch: Partial<Highlight['figures'][number]>) =>
    onChange({ figures: figures.map((x, k) => (k === j ? { ...x, ...patch } : x)) });

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={6}>
      <Typography.Text type="secondary">{t('figures.title')}</Typography.Text>
      {figures.map((fig, j) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: figures are positional
        <Space.Compact key={j} style={{ width: '100%' }}>
          <Input
            data-testid={`report-highlight-${index}-figure-${j}-value`}
            style={{ width: '35%' }}
            value={fig.value}
            placeholder={t('figures.value')}
            disabled={!editable}
            onChange={(e) => setFigure(j, { value: e.target.value })}
          />
          <Input
            data-testid={`report-highlight-${index}-figure-${j}-label`}
            value={fig.label}
            placeholder={t('figures.label')}
            disabled={!editable}
            onChange={(e) => setFigure(j, { label: e.target.value })}
          />
          {editable ? (
            <Button onClick={() => onChange({ figures: figures.filter((_, k) => k !== j) })}>
              {t('remove')}
            </Button>
          ) : null}
        </Space.Compact>
      ))}
      {editable && figures.length < MAX_FIGURES ? (
        <Button
          size="small"
          onClick={() => onChange({ figures: [...figures, { label: '', value: '' }] })}
          data-testid={`report-highlight-${index}-add-figure`}
        >
          {t('figures.add')}
        </Button>
      ) : null}

      <Typography.Text type="secondary">
        {t('photos.title', { n: highlight.photoIds.length, max: maxPhotos })}
      </Typography.Text>
      <Space wrap size={[6, 6]}>
        {photos.map((p) => {
          const on = chosen.has(p.id);
          return (
            <button
              key={p.id}
              type="button"
              disabled={!editable || (!on && full)}
              aria-pressed={on}
              title={t(on ? 'photos.remove' : 'photos.use')}
              data-testid={`report-highlight-${index}-photo-${p.id}`}
              onClick={() =>
                onChange({
                  photoIds: on ? highlight.photoIds.filter((x) => x !== p.id) : [...highlight.photoIds, p.id],
                })
              }
              style={{
                padding: 0,
                border: on ? '3px solid #C8161D' : '1px solid #d9d9d9',
                borderRadius: 4,
                background: '#fafafa',
                cursor: editable ? 'pointer' : 'default',
                opacity: !on && full ? 0.5 : 1,
              }}
            >
              <img
                src={`${base}/photos/${p.id}`}
                alt=""
                width={72}
                height={Math.round((72 * p.height) / Math.max(1, p.width))}
                style={{ display: 'block', maxHeight: 72, objectFit: 'cover' }}
              />
            </button>
          );
        })}
      </Space>
      {editable ? (
        <>
          {picker.input}
          <Button
            size="small"
            icon={<CameraOutlined />}
            loading={busy}
            onClick={picker.pick}
            data-testid={`report-highlight-${index}-photo`}
          >
            {t('photos.upload')}
          </Button>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('photos.hint')}
          </Typography.Text>
        </>
      ) : null}
    </Space>
  );
}
