import { useEffect, useRef, useState } from 'react';
import { Button } from '../components/button/Button';
import { useSession } from './session-context';

/** How long before the session ends the warning shows. */
const WARN_BEFORE_MS = 2 * 60_000;

/**
 * Warns before an idle session ends, says how long is left, and keeps it going if asked: a
 * clinician reading a long plan is not signed out mid-sentence without notice.
 */
export function IdleTimeoutWarning() {
  const { state, refresh, signOut } = useSession();
  const [now, setNow] = useState(() => Date.now());
  const button = useRef<HTMLDivElement>(null);
  const deadline = state.status === 'signed-in' ? state.idleExpiresAt : undefined;

  useEffect(() => {
    if (deadline === undefined) return;
    const tick = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(tick);
  }, [deadline]);

  const showing = deadline !== undefined && deadline - now <= WARN_BEFORE_MS;
  useEffect(() => {
    if (showing) button.current?.querySelector('button')?.focus();
  }, [showing]);
  if (!showing || deadline === undefined) return null;
  const seconds = Math.max(0, Math.round((deadline - now) / 1000));
  const left = seconds >= 60 ? `${Math.ceil(seconds / 60)} minute${Math.ceil(seconds / 60) === 1 ? '' : 's'}` : `${seconds} seconds`;
  return (
    <div className="app-idle-warning" role="alertdialog" aria-labelledby="idle-warning-title" aria-describedby="idle-warning-text">
      <div className="nhsuk-width-container" ref={button}>
        <h2 className="nhsuk-heading-s nhsuk-u-margin-bottom-2" id="idle-warning-title">
          You will be signed out soon
        </h2>
        <p id="idle-warning-text">
          You have not done anything for a while. To protect people’s information, you will be signed out in {left}.
        </p>
        <Button text="Stay signed in" type="button" small onClick={() => void refresh()} />{' '}
        <Button text="Sign out" type="button" variant="secondary" small onClick={() => void signOut()} />
      </div>
    </div>
  );
}
