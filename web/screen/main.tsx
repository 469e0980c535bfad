// Entry of the hall's big screen (screen.html). Kept apart from the console: no Ant Design; ECharts
// only in a lazily loaded chunk for the reveal.
/// <reference types="vite/client" />
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import './screen.css';

const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
