import { useState, type FormEvent } from 'react';
import { Button } from '../../components/button/Button';
import { ErrorSummary } from '../../components/error-summary/ErrorSummary';
import { Textarea } from '../../components/textarea/Textarea';
import { WarningCallout } from '../../components/warning-callout/WarningCallout';

const MIN_REASON = 10;

/**
 * Break the glass: the reader has no care relationship with the person, but may read the plan in
 * an emergency after saying why. It tells them plainly that the access is recorded and reviewed.
 */
export function BreakGlass({ onReason }: { onReason(reason: string): void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = reason.trim();
    if (trimmed.length < MIN_REASON)
      return setError(`Enter a reason of at least ${MIN_REASON} characters, for example “Called to the person’s home by 999”`);
    onReason(trimmed);
  }
  return (
    <section aria-labelledby="break-glass-title">
      {error && <ErrorSummary errorList={[{ text: error, href: '#break-glass-reason' }]} />}
      <WarningCallout heading="You do not have a care relationship with this person">
        <p>You can only see this plan if you are caring for this person now, for example in an emergency.</p>
        <p>
          <strong>Your name, your organisation, your reason and the time will be recorded.</strong> Your organisation’s information
          governance team will review this access, and the person can see who looked at their plan.
        </p>
      </WarningCallout>
      <h2 id="break-glass-title">Why do you need to see this plan?</h2>
      <form onSubmit={submit} noValidate>
        <Textarea
          id="break-glass-reason"
          label={{ text: 'Reason' }}
          hint={{ text: 'For example, “Attending a 999 call at the person’s home”' }}
          value={reason}
          onChange={setReason}
          {...(error ? { errorMessage: { text: error } } : {})}
        />
        <Button text="See the plan" variant="warning" />
      </form>
    </section>
  );
}
