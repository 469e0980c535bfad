// A button that downloads a file the server makes (an export, a template); a failure shows the
// server's message instead.
import { DownloadOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import type { ReactNode } from 'react';
import { download } from '../../common/api.ts';
import { useAction } from '../hooks.ts';

export function DownloadButton({
  path,
  fileName,
  testId,
  icon = <DownloadOutlined />,
  children,
}: {
  path: string;
  /** The name the browser saves it under. */
  fileName: string;
  testId: string;
  icon?: ReactNode;
  children: ReactNode;
}) {
  const act = useAction();
  return (
    <Button icon={icon} data-testid={testId} onClick={() => void act(() => download(path, fileName))}>
      {children}
    </Button>
  );
}
