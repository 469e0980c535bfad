// Popconfirm with a stable test id on its OK button, so browser tests can confirm without relying on
// Ant Design's button text (it spaces two-character Chinese labels).
import { Popconfirm, type PopconfirmProps } from 'antd';
import { withTestId } from './testId.ts';

export function Confirm({ danger, okButtonProps, ...props }: PopconfirmProps & { danger?: boolean }) {
  return (
    <Popconfirm
      {...props}
      okButtonProps={withTestId('popconfirm-ok', {
        ...(okButtonProps ?? {}),
        danger: danger ?? okButtonProps?.danger,
      })}
    />
  );
}
