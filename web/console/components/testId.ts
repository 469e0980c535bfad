import type { ButtonProps } from 'antd';
import type { HTMLAttributes } from 'react';

/** Button props (e.g. a modal's OK button) carrying a data-testid, which ButtonProps does not declare. */
export const withTestId = (id: string, props: ButtonProps = {}): ButtonProps =>
  ({ ...props, 'data-testid': id }) as ButtonProps;

/** Table row props (antd's onRow) carrying data-* attributes, which the row props' type does not declare. */
export const rowData = (attrs: Record<`data-${string}`, string | number>): HTMLAttributes<HTMLElement> =>
  attrs as HTMLAttributes<HTMLElement>;
