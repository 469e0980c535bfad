// Entry of the judge's phone page (judge.html). Kept apart from the console: no Ant Design, no
// charts, nothing but React and a few hundred lines of CSS, so it loads on weak hall Wi-Fi.
/// <reference types="vite/client" />
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { registerServiceWorker } from './register-sw.ts';
import './judge.css';

const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
// Only the production build has the worker (the dev server does not build it).
if (import.meta.env.PROD) registerServiceWorker();
