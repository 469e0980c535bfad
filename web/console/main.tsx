// Entry of the organizer console: i18n first (the first paint is already in the right language), then
// the app with Ant Design's locale and dayjs's following the chosen language. Ant Design's own reset
// first: no browser margin around the frame (on a phone it made the page wider than the screen).
import 'antd/dist/reset.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import enConsole from '../../src/platform/locales/en-US/console.json' with { type: 'json' };
import zhConsole from '../../src/platform/locales/zh-CN/console.json' with { type: 'json' };
import { configureApi } from '../common/api.ts';
import { initI18n } from '../common/i18n.ts';
import { ConsoleApp } from './ConsoleApp.tsx';

void initI18n({ 'zh-CN': { console: zhConsole }, 'en-US': { console: enConsole } }, 'console').then(
  (i18n) => {
    configureApi({ networkMessage: () => i18n.t('console:app.networkError') });
    const root = document.getElementById('root');
    if (root) {
      createRoot(root).render(
        <StrictMode>
          <ConsoleApp />
        </StrictMode>,
      );
    }
  },
);
