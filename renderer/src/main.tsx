import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/App';
import { init } from './state/startup';
import { initHandlerIntelliSense } from './editor/handler-intellisense';
import { initSync } from './sync/sync-actions';
import './styles.css';
import './sync/sync.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
initHandlerIntelliSense();
void init().then(() => initSync());
