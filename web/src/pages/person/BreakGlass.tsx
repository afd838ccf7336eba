import { useState, type FormEvent } from 'react';
import { BREAK_GLASS_REASON_CHOICES, minimumExplanation, statedReason, type BreakGlassReasonCode } from '../../api/break-glass-reasons';
import { Button } from '../../components/button/Button';
import { ErrorSummary } from '../../components/error-summary/ErrorSummary';
import { Radios } from '../../components/radios/Radios';
import { Textarea } from '../../components/textarea/Textarea';
import { WarningCallout } from '../../components/warning-callout/WarningCallout';

interface Problems {
  code?: string;
  explanation?: string;
}

/**
 * Break the glass: the reader has no care relationship with the person, but may read the plan in
 * an emergency after saying why. The reason is one of a short list (so reviews can count them)
 * and an explanation a reviewer can check. It tells them plainly that the access is recorded and
 * reviewed. `refusal` is the server's word when it did not accept the last reason given.
 */
export function BreakGlass({
  onReason,
  refusal,
  onCaring,
}: {
  onReason(reason: string): void;
  refusal?: string | undefined;
  /** Offered to those who may write: the person is in their organisation's care, so they join the care team instead. */
  onCaring?: (() => void) | undefined;
}) {
  const [code, setCode] = useState<BreakGlassReasonCode | undefined>();
  const [explanation, setExplanation] = useState('');
  const [problems, setProblems] = useState<Problems>({});
  function submit(event: FormEvent) {
    event.preventDefault();
    const found: Problems = {};
    if (!code) found.code = 'Select why you need to see this plan';
    const minimum = minimumExplanation(code ?? 'emergency-treatment');
    if (explanation.trim().length < minimum) {
      found.explanation = `Enter a reason of at least ${minimum} characters, for example “Attending a 999 call at the person’s home”`;
    }
    setProblems(found);
    if (code && !found.code && !found.explanation) onReason(statedReason(code, explanation));
  }
  const errorList = [
    ...(refusal ? [{ text: `Your reason was not accepted: ${refusal}`, href: '#break-glass-explanation' }] : []),
    ...(problems.code ? [{ text: problems.code, href: '#break-glass-code' }] : []),
    ...(problems.explanation ? [{ text: problems.explanation, href: '#break-glass-explanation' }] : []),
  ];
  return (
    <section aria-labelledby="break-glass-title">
      {errorList.length > 0 && <ErrorSummary errorList={errorList} />}
      <WarningCallout heading="You do not have a care relationship with this person">
        <p>You can only see this plan if you are caring for this person now, for example in an emergency.</p>
        <p>
          <strong>Your name, your organisation, your reason and the time will be recorded.</strong> Your organisation’s information
          governance team will review this access, and the person can see who looked at their plan.
        </p>
      </WarningCallout>
      <h2 id="break-glass-title">Why do you need to see this plan?</h2>
      <form onSubmit={submit} noValidate>
        <Radios
          idPrefix="break-glass-code"
          fieldset={{ legend: { text: 'Reason' } }}
          items={BREAK_GLASS_REASON_CHOICES.map((choice) => ({ value: choice.code, text: choice.text, hint: { text: choice.hint } }))}
          value={code}
          onChange={(value) => setCode(value as BreakGlassReasonCode)}
          {...(problems.code ? { errorMessage: { text: problems.code } } : {})}
        />
        <Textarea
          id="break-glass-explanation"
          label={{ text: 'Explain what is happening' }}
          hint={{ text: 'A reviewer must be able to check it, for example “Attending a 999 call at the person’s home”' }}
          value={explanation}
          onChange={setExplanation}
          {...(problems.explanation ? { errorMessage: { text: problems.explanation } } : {})}
        />
        <Button text="See the plan" variant="warning" />
      </form>
      {onCaring && (
        <>
          <h2>Is this person in your organisation’s care?</h2>
          <p>If you are caring for them, for example a new resident or a referral you accepted, join their care team instead.</p>
          <Button type="button" variant="secondary" text="Join their care team" onClick={onCaring} />
        </>
      )}
    </section>
  );
}
