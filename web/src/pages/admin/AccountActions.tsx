import { useState } from 'react';
import { changeAccount, type AccountChange, type AdminUser } from '../../api/admin-api';
import { Button } from '../../components/button/Button';
import { ConfirmAction } from '../../components/confirm-action/ConfirmAction';
import { problemText } from './admin-format';
import type { Outcome } from './UserPage';

interface Change {
  button: string;
  /** Asked before a change that locks someone out or takes something away. */
  confirm?: { heading: (name: string) => string; text: string; yes: string };
  done: (name: string) => string;
}

const CHANGES: Record<AccountChange, Change> = {
  disable: {
    button: 'Disable this user',
    confirm: {
      heading: (name) => `Disable ${name}?`,
      text: 'They are signed out everywhere at once and cannot sign in until an administrator re-enables them. Their records and audit trail stay.',
      yes: 'Yes, disable this user',
    },
    done: (name) => `${name} is disabled and signed out everywhere.`,
  },
  enable: { button: 'Re-enable this user', done: (name) => `${name} can sign in again.` },
  unlock: { button: 'Unlock this account', done: (name) => `${name}’s account is unlocked. Their password has not changed.` },
  'second-factor-reset': {
    button: 'Reset second factor',
    confirm: {
      heading: (name) => `Reset ${name}’s second factor?`,
      text: 'Do this only when you have checked who is asking, for example a lost phone. They sign in with their password alone until they set up their authenticator app again.',
      yes: 'Yes, reset the second factor',
    },
    done: (name) => `${name}’s second factor is removed. They can set it up again from their account.`,
  },
};

function changesFor(user: AdminUser): AccountChange[] {
  const changes: AccountChange[] = [user.status === 'disabled' ? 'enable' : 'disable'];
  if (user.status === 'locked') changes.push('unlock');
  if (user.localAccount && user.localAccount.secondFactor !== 'none') changes.push('second-factor-reset');
  return changes;
}

/** Disable or re-enable, unlock, reset the second factor: each recorded in the audit trail. */
export function AccountActions({ user, onOutcome }: { user: AdminUser; onOutcome(outcome: Outcome): void }) {
  const [asking, setAsking] = useState<AccountChange | undefined>();
  const [busy, setBusy] = useState(false);

  async function apply(change: AccountChange) {
    setBusy(true);
    try {
      await changeAccount(user.id, change);
      onOutcome({ done: CHANGES[change].done(user.displayName) });
    } catch (failure) {
      onOutcome({ problem: problemText(failure, 'Nothing was changed. Try again.') });
    } finally {
      setBusy(false);
      setAsking(undefined);
    }
  }

  const confirming = asking && CHANGES[asking].confirm;
  return (
    <section aria-labelledby="account-actions">
      <h2 id="account-actions">Account</h2>
      {asking && confirming ? (
        <ConfirmAction
          heading={confirming.heading(user.displayName)}
          confirmText={confirming.yes}
          busy={busy}
          onConfirm={() => void apply(asking)}
          onCancel={() => setAsking(undefined)}
        >
          <p>{confirming.text}</p>
        </ConfirmAction>
      ) : (
        <div className="nhsuk-button-group">
          {changesFor(user).map((change) => (
            <Button
              key={change}
              type="button"
              variant={CHANGES[change].confirm ? 'warning' : 'secondary'}
              text={CHANGES[change].button}
              disabled={busy}
              onClick={() => (CHANGES[change].confirm ? setAsking(change) : void apply(change))}
            />
          ))}
        </div>
      )}
    </section>
  );
}
