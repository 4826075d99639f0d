import { useEffect, useState } from 'react';
import { paneLayout } from '../domain/pane-layout';
import { persistPaneSizes, setPaneSize, setTheme } from '../state/layout';
import { keepMine, reloadFromDisk, save } from '../state/open-function';
import { cancelRun, runNow } from '../state/run';
import { DEFAULT_PANE_SIZES, resolvedTheme, useStudio } from '../state/store';
import { CodeEditor } from './CodeEditor';
import { DialogHost } from './Dialog';
import { FunctionList } from './FunctionList';
import { NoticeBar } from './Notice';
import { OutputPanel } from './OutputPanel';
import { SidePanel } from './SidePanel';
import { Splitter } from './Splitter';
import { PlayIcon } from './Icons';
import { RunControls } from './RunControls';
import { TemplateGallery } from './TemplateGallery';
import { CompareDialog } from '../history/CompareDialog';
import { RemotesDialog } from '../sync/RemotesDialog';
import { SyncOverlay } from '../sync/SyncOverlay';
import { WaitBanner } from '../sync/WaitBanner';
import { openRemotes } from '../sync/sync-actions';
import { ReplayView } from '../replay/ReplayView';
import { openReplay } from '../replay/replay-store';

export function App() {
  const ready = useStudio((s) => s.ready);
  const loadError = useStudio((s) => s.loadError);
  const theme = useStudio(resolvedTheme);
  const sizes = useStudio((s) => s.paneSizes);
  const settingsTab = useStudio((s) => s.sideTab === 'settings');
  const windowSize = useWindowSize();
  const layout = paneLayout(windowSize, sizes, settingsTab);
  const disconnected = useStudio((s) => s.disconnected);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  const title = useStudio((s) => (s.current ? `${s.dirty ? '● ' : ''}${s.current.meta.displayName} — fnstudio` : 'fnstudio'));
  useEffect(() => {
    document.title = title;
  }, [title]);

  useEffect(() => {
    const media = matchMedia('(prefers-color-scheme: dark)');
    const onChange = () => useStudio.setState({ systemDark: media.matches });
    media.addEventListener('change', onChange);
    return () => media.removeEventListener('change', onChange);
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || !(e.ctrlKey || e.metaKey)) return;
      if (e.key === 's' || e.key === 'S') {
        e.preventDefault();
        void save();
      } else if (e.key === 'Enter') {
        e.preventDefault();
        void runNow();
      }
    };
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (!useStudio.getState().dirty) return;
      e.preventDefault();
      // Older Chromium needs returnValue set to show the prompt.
      e.returnValue = '';
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, []);

  if (loadError) {
    return (
      <div className="fatal" role="alert">
        <h1>fnstudio cannot reach its host</h1>
        <p>{loadError}</p>
        <p>
          Start it again with <code>npx fnstudio serve</code> (or <code>npm start</code>) and open the URL it prints.
        </p>
      </div>
    );
  }

  return (
    <div className={`app${disconnected ? ' app-disconnected' : ''}`} aria-busy={!ready}>
      <Header />
      {disconnected ? (
        <div className="connection-banner" role="alert">
          Lost the connection to the fnstudio host — reconnecting… (is <code>fnstudio serve</code> still running?)
        </div>
      ) : null}
      <div className="workbench" style={{ gridTemplateColumns: `${layout.sidebar}px 5px minmax(200px, 1fr) 5px ${layout.side}px` }}>
        <FunctionList />
        <Splitter
          orientation="vertical"
          label="Resize function list"
          size={layout.sidebar}
          min={150}
          max={480}
          direction={1}
          defaultSize={DEFAULT_PANE_SIZES.sidebar}
          onResize={(v) => setPaneSize('sidebar', v)}
          onResizeEnd={persistPaneSizes}
        />
        <EditorArea />
        <Splitter
          orientation="vertical"
          label="Resize side panel"
          size={layout.side}
          min={280}
          max={1100}
          direction={-1}
          defaultSize={DEFAULT_PANE_SIZES[layout.sideKey]}
          onResize={(v) => setPaneSize(layout.sideKey, v)}
          onResizeEnd={persistPaneSizes}
        />
        <div className="right" style={{ gridTemplateRows: `${layout.top}px 5px minmax(120px, 1fr)` }}>
          <SidePanel />
          <Splitter
            orientation="horizontal"
            label="Resize output panel"
            size={layout.top}
            min={140}
            max={900}
            direction={1}
            defaultSize={DEFAULT_PANE_SIZES[layout.topKey]}
            onResize={(v) => setPaneSize(layout.topKey, v)}
            onResizeEnd={persistPaneSizes}
          />
          <OutputPanel />
        </div>
      </div>
      <StatusBar />
      <ReplayView />
      <NoticeBar />
      <WaitBanner />
      <RemotesDialog />
      <SyncOverlay />
      <DialogHost />
      <CompareDialog />
    </div>
  );
}

function useWindowSize(): { width: number; height: number } {
  const [size, setSize] = useState(() => ({ width: window.innerWidth, height: window.innerHeight }));
  useEffect(() => {
    const onResize = () => setSize({ width: window.innerWidth, height: window.innerHeight });
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return size;
}

function Header() {
  const current = useStudio((s) => s.current);
  const dirty = useStudio((s) => s.dirty);
  const running = useStudio((s) => s.run.state === 'running');
  const themePref = useStudio((s) => s.prefs?.theme ?? 'system');
  return (
    <header className="header">
      <span className="brand">
        <span className="brand-mark" aria-hidden="true">
          ƒ
        </span>
        fnstudio
      </span>
      <span className="header-title">
        {current ? (
          <>
            {current.meta.displayName}
            <span className="muted"> · {current.handlerFile}</span>
            {dirty ? <span className="dirty-label">unsaved</span> : null}
          </>
        ) : (
          <span className="muted">No function open</span>
        )}
      </span>
      <span className="spacer" />
      <RunControls />
      <button type="button" className="btn" aria-label="Segment workspaces" title="Connect Segment workspaces and pull functions" onClick={openRemotes}>
        Segment workspaces
      </button>
      <select className="theme-select" aria-label="Theme" value={themePref} onChange={(e) => void setTheme(e.target.value)}>
        <option value="system">System theme</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
      <button type="button" className="btn" title="Replay captured events through this function" disabled={!current} onClick={() => current && void openReplay(current.id)}>
        Replay
      </button>
      <button type="button" className="btn" aria-label="Save" title="Save (Ctrl/⌘+S)" disabled={!current} onClick={() => void save()}>
        Save
      </button>
      {running ? (
        <button type="button" className="btn btn-danger" aria-label="Cancel run" title="Cancel the run" onClick={() => void cancelRun()}>
          <span className="spinner spinner-inline" aria-hidden="true" /> Cancel
        </button>
      ) : (
        <button type="button" className="btn btn-primary" aria-label="Run" title="Run (Ctrl/⌘+Enter)" disabled={!current} onClick={() => void runNow()}>
          <PlayIcon /> Run
        </button>
      )}
    </header>
  );
}

function EditorArea() {
  const current = useStudio((s) => s.current);
  const openError = useStudio((s) => s.openError);
  const external = useStudio((s) => s.external);
  return (
    <main className="editor-area" aria-label="Editor">
      {external ? (
        <div className="banner" role="alert">
          <span>{external.handlerFile} changed on disk while you have unsaved edits.</span>
          <span className="spacer" />
          <button type="button" className="btn btn-small" onClick={() => void reloadFromDisk()}>
            Reload from disk
          </button>
          <button type="button" className="btn btn-small" onClick={keepMine}>
            Keep my version
          </button>
        </div>
      ) : null}
      {openError ? (
        <div className="open-error" role="alert">
          <h2>This function cannot be opened</h2>
          <p>{openError.message}</p>
          <p className="muted">Fix the file on disk (or restore it with git); fnstudio never overwrites it silently.</p>
        </div>
      ) : null}
      {!current && !openError ? <TemplateGallery /> : null}
      {/* Monaco stays mounted so switching functions keeps the editor (and its view state) alive. */}
      <div className="code-editor-wrap" hidden={!current}>
        <CodeEditor />
      </div>
    </main>
  );
}

/** Joins with the separator the workspace path itself uses (Windows paths have backslashes). */
function joinPath(root: string, ...parts: string[]): string {
  const sep = root.includes('\\') && !root.includes('/') ? '\\' : '/';
  return [root.replace(/[\\/]+$/, ''), ...parts].join(sep);
}

function StatusBar() {
  const cursor = useStudio((s) => s.cursor);
  const current = useStudio((s) => s.current);
  const root = useStudio((s) => s.current?.root ?? s.workspace?.root ?? null);
  const handlerPath = current && root ? joinPath(root, current.id, current.handlerFile) : '';
  const typescript = current?.handlerFile === 'handler.ts';
  return (
    <footer className="statusbar">
      <span className="status-path" data-testid="handler-path" title={handlerPath}>
        {handlerPath}
      </span>
      <span className="spacer" />
      <span aria-label="Cursor position" data-testid="cursor-position">
        Ln {cursor.line}, Col {cursor.column}
      </span>
      <span
        data-testid="handler-language"
        title={typescript ? 'Runs, replays, tests and deploys use the JavaScript compiled from handler.ts; errors point at its TypeScript lines.' : undefined}
      >
        {typescript ? 'TypeScript · deployed as compiled JavaScript' : 'JavaScript'}
      </span>
    </footer>
  );
}
