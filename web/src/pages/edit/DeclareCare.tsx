import { useState, type FormEvent } from 'react';
import { declareCare, RELATIONSHIP_REASON_CHOICES, type RelationshipReasonCode } from '../../api/care-team-api';
import { ApiProblem } from '../../api/http';
import { Button } from '../../components/button/Button';
import { ErrorSummary, type ErrorSummaryItem } from '../../components/error-summary/ErrorSummary';
import { Radios } from '../../components/radios/Radios';
import { Textarea } from '../../components/textarea/Textarea';
import { WarningCallout } from '../../components/warning-callout/WarningCallout';

const MINIMUM = 15;

/**
 * Joining a person's care team: the one way an organisation gains a relationship with someone it
 * does not yet care for on record. Says plainly that it is recorded and checked.
 */
export function DeclareCare({ nhsNumber, onDeclared }: { nhsNumber: string; onDeclared(): void }) {
  const [code, setCode] = useState<RelationshipReasonCode | undefined>();
  const [explanation, setExplanation] = useState('');
  const [errors, setErrors] = useState<ErrorSummaryItem[]>([]);
  // One declaration at a time: a second press while the first is recorded would declare twice.
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const minimum = code === 'other' ? MINIMUM * 2 : MINIMUM;
    const found: ErrorSummaryItem[] = [
      ...(code ? [] : [{ text: 'Select how your organisation cares for this person', href: '#care-reason' }]),
      ...(explanation.trim().length >= minimum
        ? []
        : [
            {
              text: `Explain in at least ${minimum} characters, for example “Referred by the district nurses for end of life care”`,
              href: '#care-explanation',
            },
          ]),
    ];
    setErrors(found);
    if (found.length > 0 || !code) return;
    setBusy(true);
    try {
      await declareCare(nhsNumber, code, explanation);
      onDeclared();
    } catch (error) {
      setErrors([{ text: error instanceof ApiProblem ? error.detail : 'The relationship could not be recorded. Try again.' }]);
    } finally {
      setBusy(false);
    }
  }
  const problemAt = (href: string) => errors.find((error) => error.href === href);
  return (
    <form onSubmit={(event) => void submit(event)} noValidate aria-labelledby="declare-care-title">
      {errors.length > 0 && <ErrorSummary errorList={errors} />}
      <h1 id="declare-care-title">Your organisation is not in this person’s care team</h1>
      <WarningCallout heading="Only if you are caring for this person">
        <p>
          To see and work on their plan, record that your organisation cares for them. Your name, your organisation, your reason and the
          time are recorded; your organisation’s auditors check every declaration, and the person can see it.
        </p>
      </WarningCallout>
      <Radios
        idPrefix="care-reason"
        fieldset={{ legend: { text: 'How does your organisation care for this person?', size: 'm' } }}
        items={RELATIONSHIP_REASON_CHOICES.map((choice) => ({
          value: choice.code,
          text: choice.text,
          ...('hint' in choice ? { hint: { text: choice.hint } } : {}),
        }))}
        value={code}
        onChange={(value) => setCode(value as RelationshipReasonCode)}
        {...(problemAt('#care-reason') ? { errorMessage: { text: problemAt('#care-reason')?.text ?? '' } } : {})}
      />
      <Textarea
        id="care-explanation"
        label={{ text: 'Explain' }}
        hint={{ text: 'A reviewer must be able to check it' }}
        value={explanation}
        onChange={setExplanation}
        {...(problemAt('#care-explanation') ? { errorMessage: { text: problemAt('#care-explanation')?.text ?? '' } } : {})}
      />
      <Button text="Join the care team" disabled={busy} />
    </form>
  );
}
