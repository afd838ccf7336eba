import { useState, type FormEvent } from 'react';
import { resetPassword, type AdminUser } from '../../api/admin-api';
import { ApiProblem } from '../../api/http';
import { Button } from '../../components/button/Button';
import { ErrorSummary } from '../../components/error-summary/ErrorSummary';
import { Input } from '../../components/input/Input';
import { problemText } from './admin-format';
import type { Outcome } from './UserPage';

/** Sets a temporary password the person must change at their next sign-in (their own organisation's members only). */
export function PasswordReset({ user, onOutcome }: { user: AdminUser; onOutcome(outcome: Outcome): void }) {
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string | undefined>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (password.length < 12) {
      setProblem('Enter a temporary password of at least 12 characters');
      return;
    }
    try {
      await resetPassword(user.id, password);
      setProblem(undefined);
      setPassword('');
      onOutcome({ done: `${user.displayName} has a temporary password. They must change it when they next sign in.` });
    } catch (failure) {
      // The password policy's own words belong next to the field; any other refusal goes to the top.
      if (failure instanceof ApiProblem && failure.status === 422) setProblem(failure.detail);
      else onOutcome({ problem: problemText(failure, 'The password was not reset. Try again.') });
    }
  }

  return (
    <section aria-labelledby="password-reset">
      <h2 id="password-reset">Reset password</h2>
      <form onSubmit={(event) => void submit(event)} noValidate>
        {problem && <ErrorSummary errorList={[{ text: problem, href: '#resetPassword' }]} />}
        <Input
          id="resetPassword"
          label={{ text: 'Temporary password' }}
          hint={{ text: 'Give it to them in person or by phone. Their current password stops working.' }}
          type="password"
          autocomplete="new-password"
          value={password}
          onChange={setPassword}
          {...(problem ? { errorMessage: { text: problem } } : {})}
        />
        <Button text="Set temporary password" variant="secondary" />
      </form>
    </section>
  );
}
