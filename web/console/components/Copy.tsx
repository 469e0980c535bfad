// Copying a link or a password to the clipboard, saying whether it worked (plain http has no Clipboard
// API; copyText falls back, and can still fail).
import { CopyOutlined } from '@ant-design/icons';
import { App, Button, Input, Space } from 'antd';
import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { copyText } from '../../common/api.ts';

/** Copies `text`; nothing to copy (undefined) reports a failure, as a failed copy does. */
export function CopyButton({ text, testId }: { text: string | undefined; testId?: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return (
    <Button
      icon={<CopyOutlined />}
      data-testid={testId}
      onClick={async () => {
        if (text !== undefined && (await copyText(text))) void message.success(t('actions.copied'));
        else void message.error(t('actions.copyFailed'));
      }}
    >
      {t('actions.copy')}
    </Button>
  );
}

/** A read-only field with its copy button, for a link to hand on. */
export function CopyField({
  value,
  inputTestId,
  buttonTestId,
  style,
}: {
  value: string;
  inputTestId: string;
  buttonTestId?: string;
  style?: CSSProperties;
}) {
  return (
    <Space.Compact style={style}>
      <Input readOnly value={value} data-testid={inputTestId} />
      <CopyButton text={value} testId={buttonTestId} />
    </Space.Compact>
  );
}
