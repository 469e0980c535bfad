// Evidence photos as the reviewer needs them: each picture with when and where the camera says it was
// taken, and the flags that ask for a second look (no capture data, taken before the work began, the
// same picture as one uploaded before). Before/after pairs are labelled.
import { CameraOutlined, WarningOutlined } from '@ant-design/icons';
import { Button, Image, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../common/format.ts';
import { useFilePicker } from '../components/FilePicker.tsx';
import { useAction } from '../hooks.ts';
import { uploadFile } from '../indicators/upload.ts';
import { type EvidencePhoto, NS, photoUrl } from './common.tsx';

export function PhotoGrid({ photos, testId }: { photos: EvidencePhoto[]; testId: string }) {
  const { t } = useTranslation(NS);
  if (photos.length === 0) return null;
  return (
    <Space wrap align="start" size={12} data-testid={testId}>
      {photos.map((p) => (
        <div key={p.id} style={{ width: 168 }} data-testid={`${testId}-photo`} data-flags={p.flags.join(' ')}>
          <Image
            src={photoUrl(p.id)}
            width={168}
            height={126}
            style={{ objectFit: 'cover', borderRadius: 4 }}
          />
          <div style={{ fontSize: 12, lineHeight: 1.5, marginTop: 4 }}>
            {p.pairRole && (
              <Tag color="blue">{t(p.pairRole === 'before' ? 'task.pairBefore' : 'task.pairAfter')}</Tag>
            )}
            <div>{p.takenAt ? t('task.takenAt', { time: formatDateTime(p.takenAt) }) : t('task.noExif')}</div>
            {p.latitude !== null && p.longitude !== null && (
              <Typography.Text type="secondary">
                {t('task.place', { lat: p.latitude.toFixed(5), lng: p.longitude.toFixed(5) })}
              </Typography.Text>
            )}
            {p.flags.map((f) => (
              <Tag key={f} color="error" icon={<WarningOutlined />} style={{ marginTop: 2 }}>
                {t(`task.flag.${f}`)}
              </Tag>
            ))}
          </div>
        </div>
      ))}
    </Space>
  );
}

/** Uploads one photo to `path` (optionally as the before or after of a pair) and hands it back. */
export function PhotoUpload({
  path,
  testId,
  onUploaded,
}: {
  path: string;
  testId: string;
  onUploaded: (p: EvidencePhoto) => void;
}) {
  const { t } = useTranslation(NS);
  const act = useAction();
  const [busy, setBusy] = useState<string | null>(null);
  const [pair, setPair] = useState<'before' | 'after' | null>(null);
  const picker = useFilePicker({
    accept: 'image/jpeg,image/png,image/webp',
    testId: `${testId}-input`,
    onFile: async (f) => {
      setBusy(pair ?? 'single');
      const photo = await act(() =>
        uploadFile<EvidencePhoto>(`${path}${pair ? `?pair=${pair}` : ''}`, f, {
          contentType: f.type || 'application/octet-stream',
        }),
      );
      setBusy(null);
      if (photo) onUploaded(photo);
    },
  });
  const pick = (p: 'before' | 'after' | null) => {
    setPair(p);
    // The state is read when the file arrives, after this render.
    setTimeout(picker.pick, 0);
  };
  return (
    <Space wrap>
      {picker.input}
      <Button
        icon={<CameraOutlined />}
        loading={busy === 'single'}
        data-testid={testId}
        onClick={() => pick(null)}
      >
        {t('task.addPhoto')}
      </Button>
      <Button loading={busy === 'before'} data-testid={`${testId}-before`} onClick={() => pick('before')}>
        {t('task.pairBefore')}
      </Button>
      <Button loading={busy === 'after'} data-testid={`${testId}-after`} onClick={() => pick('after')}>
        {t('task.pairAfter')}
      </Button>
    </Space>
  );
}
