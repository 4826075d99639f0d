import { useEffect, useId, useRef, useState } from 'react';
import { closeDialog } from '../state/dialogs';
import { useStudio, type DialogRequest } from '../state/store';

export function DialogHost() {
  const dialog = useStudio((s) => s.dialog);
  if (!dialog) return null;
  // A fresh component per request resets the fields.
  return <Dialog key={`${dialog.title}-${Date.now()}`} request={dialog} />;
}

function Dialog({ request }: { request: DialogRequest }) {
  const titleId = useId();
  const [input, setInput] = useState(request.input?.value ?? '');
  const [choice, setChoice] = useState(request.choice?.value ?? '');
  const firstField = useRef<HTMLInputElement>(null);
  const defaultBtn = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (firstField.current) {
      firstField.current.focus();
      firstField.current.select();
    } else {
      defaultBtn.current?.focus();
    }
  }, []);

  const finish = (button: string | null) => closeDialog({ button, input, choice });
  const selected = request.choice?.options.find((o) => o.value === choice);

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && finish(null)}>
      <div
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            finish(null);
          } else if (e.key === 'Enter' && !(e.target instanceof HTMLButtonElement) && !(e.target instanceof HTMLSelectElement)) {
            e.preventDefault();
            finish(request.defaultButton);
          }
        }}
      >
        <h2 id={titleId}>{request.title}</h2>
        {request.message ? <p className="modal-message">{request.message}</p> : null}
        {request.input ? (
          <label className="field">
            <span>{request.input.label}</span>
            <input ref={firstField} type="text" value={input} placeholder={request.input.placeholder} onChange={(e) => setInput(e.target.value)} />
          </label>
        ) : null}
        {request.choice ? (
          <label className="field">
            <span>{request.choice.label}</span>
            <select value={choice} onChange={(e) => setChoice(e.target.value)}>
              {request.choice.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
            {selected?.description ? <small className="muted">{selected.description}</small> : null}
          </label>
        ) : null}
        <div className="modal-buttons">
          {request.buttons.map((b) => (
            <button
              key={b.id}
              ref={b.id === request.defaultButton ? defaultBtn : undefined}
              type="button"
              className={`btn btn-${b.variant ?? 'plain'}`}
              onClick={() => finish(b.id === 'cancel' ? null : b.id)}
            >
              {b.label}
            </button>
          ))}
        </div>
      </div>
    </div>
  );
}
