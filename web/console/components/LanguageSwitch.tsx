import { GlobalOutlined } from '@ant-design/icons';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { type Locale, locales, setLocale } from '../../common/i18n.ts';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <Select<Locale>
      data-testid="lang-switch"
      aria-label={t('header.language')}
      size="small"
      variant="borderless"
      value={i18n.language as Locale}
      onChange={(l) => void setLocale(l)}
      prefix={<GlobalOutlined />}
      options={locales.map((l) => ({ value: l, label: t(`header.languages.${l}`) }))}
      style={{ minWidth: 110 }}
      popupMatchSelectWidth={false}
    />
  );
}
