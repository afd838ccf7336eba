import { useState } from 'react';
import { Main } from '../../app/Layout';
import { useSession, useSignedIn } from '../../app/session-context';
import { Button } from '../../components/button/Button';
import { SummaryList } from '../../components/summary-list/SummaryList';
import { formatDateTime } from '../../format/dates';

/** Who is signed in, for which organisation and roles; sign out here or on every device. */
export function AccountPage() {
  const session = useSignedIn();
  const { signOut } = useSession();
  const [busy, setBusy] = useState(false);
  return (
    <Main>
      <h1>Your account</h1>
      <SummaryList
        rows={[
          { key: { text: 'Name' }, value: { text: session.user.displayName } },
          { key: { text: 'Organisation' }, value: { text: `${session.organisation.name} (${session.organisation.odsCode})` } },
          { key: { text: 'Roles' }, value: { text: session.roles.join(', ') } },
          { key: { text: 'Signed in until' }, value: { text: `${formatDateTime(session.absoluteExpiresAt)} at the latest` } },
        ]}
      />
      <h2>Sign out</h2>
      <p>If you have lost a device, or signed in on a shared computer, sign out everywhere. This ends every session you have.</p>
      <Button text="Sign out" type="button" variant="secondary" onClick={() => void signOut(false)} />{' '}
      <Button
        text="Sign out everywhere"
        type="button"
        variant="warning"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          void signOut(true);
        }}
      />
    </Main>
  );
}
