import type { ButtonProps } from 'antd';

/** Button props (e.g. a modal's OK button) carrying a data-testid, which ButtonProps does not declare. */
export const withTestId = (id: string, props: ButtonProps = {}): ButtonProps =>
  ({ ...props, 'data-testid': id }) as ButtonProps;
