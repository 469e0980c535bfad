// The drawer a record is created or edited in: Cancel and Save at the top, the form as its body. Kept
// rendered while closed (forceRender) so the form instance exists before the first opening.
import { Button, Drawer, Form, type FormInstance, Space } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { usePhone } from './responsive.ts';

interface EditorDrawerProps {
  open: boolean;
  title: ReactNode;
  size: number;
  saving: boolean;
  saveTestId: string;
  onClose: () => void;
  onSave: () => void;
  children: ReactNode;
}

export function EditorDrawer({
  open,
  title,
  size,
  saving,
  saveTestId,
  onClose,
  onSave,
  children,
}: EditorDrawerProps) {
  const { t } = useTranslation();
  // On a phone the whole screen: a wider drawer would put Save beyond its edge.
  const phone = usePhone();
  return (
    <Drawer
      open={open}
      title={title}
      size={phone ? '100%' : size}
      onClose={onClose}
      forceRender
      extra={
        <Space>
          <Button onClick={onClose}>{t('actions.cancel')}</Button>
          <Button type="primary" loading={saving} onClick={onSave} data-testid={saveTestId}>
            {t('actions.save')}
          </Button>
        </Space>
      }
    >
      {children}
    </Drawer>
  );
}

/** The drawer with one vertical form as its body, which Enter in a field saves as Save does. */
export function FormDrawer<F>({ form, children, ...drawer }: EditorDrawerProps & { form: FormInstance<F> }) {
  return (
    <EditorDrawer {...drawer}>
      <Form<F> form={form} layout="vertical" onFinish={() => drawer.onSave()}>
        {children}
        <button type="submit" hidden />
      </Form>
    </EditorDrawer>
  );
}
