// A dialog around one vertical form: OK submits the form's values once they are valid (antd shows the
// inline errors otherwise). Kept rendered while closed (forceRender) so the form instance exists
// before the first opening.
import { Form, type FormInstance, Modal, type ModalProps } from 'antd';
import type { ReactNode } from 'react';
import { validValues } from '../hooks.ts';
import { withTestId } from './testId.ts';

export function FormModal<V>({
  form,
  okTestId,
  okButtonProps,
  onSubmit,
  children,
  ...modal
}: Omit<ModalProps, 'onOk' | 'forceRender' | 'children'> & {
  form: FormInstance<V>;
  okTestId: string;
  onSubmit: (values: V) => Promise<void> | void;
  children: ReactNode;
}) {
  return (
    <Modal
      {...modal}
      okButtonProps={withTestId(okTestId, okButtonProps)}
      onOk={async () => {
        const v = await validValues(form);
        if (v) await onSubmit(v);
      }}
      forceRender
    >
      <Form form={form} layout="vertical">
        {children}
      </Form>
    </Modal>
  );
}
