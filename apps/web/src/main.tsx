import { createRoot } from 'react-dom/client';
import { App } from './app';
import { ActStatus } from './confirm';
import { I18nProvider } from './i18n';
import { SessionProvider } from './session';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <I18nProvider>
    <SessionProvider>
      <App />
      <ActStatus />
    </SessionProvider>
  </I18nProvider>,
);
