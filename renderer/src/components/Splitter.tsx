import { useRef } from 'react';

interface SplitterProps {
  /** 'vertical' separates columns (drag left/right); 'horizontal' separates rows. */
  orientation: 'vertical' | 'horizontal';
  label: string;
  size: number;
  min: number;
  max: number;
  /** +1 when dragging right/down grows the pane, -1 when it shrinks it. */
  direction: 1 | -1;
  /** What a double-click puts the pane back to. */
  defaultSize: number;
  onResize: (size: number) => void;
  onResizeEnd: () => void;
}

const KEY_STEP = 16;

/** A draggable, keyboard-operable separator between two panes. */
export function Splitter({ orientation, label, size, min, max, direction, defaultSize, onResize, onResizeEnd }: SplitterProps) {
  const drag = useRef<{ start: number; size: number } | null>(null);
  const clamp = (v: number) => Math.min(max, Math.max(min, v));
  const coord = (e: React.PointerEvent) => (orientation === 'vertical' ? e.clientX : e.clientY);

  return (
    <div
      className={`splitter splitter-${orientation}`}
      role="separator"
      aria-label={label}
      aria-orientation={orientation}
      aria-valuenow={Math.round(size)}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      title={`${label} (double-click: back to the default size)`}
      onDoubleClick={() => {
        onResize(clamp(defaultSize));
        onResizeEnd();
      }}
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        drag.current = { start: coord(e), size };
        document.body.classList.add(`resizing-${orientation}`);
      }}
      onPointerMove={(e) => {
        if (!drag.current) return;
        onResize(clamp(drag.current.size + direction * (coord(e) - drag.current.start)));
      }}
      onPointerUp={(e) => {
        if (!drag.current) return;
        e.currentTarget.releasePointerCapture(e.pointerId);
        drag.current = null;
        document.body.classList.remove(`resizing-${orientation}`);
        onResizeEnd();
      }}
      onKeyDown={(e) => {
        const grow: Record<string, number> = orientation === 'vertical' ? { ArrowRight: 1, ArrowLeft: -1 } : { ArrowDown: 1, ArrowUp: -1 };
        const step = grow[e.key];
        if (step === undefined) return;
        e.preventDefault();
        onResize(clamp(size + direction * step * KEY_STEP));
        onResizeEnd();
      }}
    />
  );
}
