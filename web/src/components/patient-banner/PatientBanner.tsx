import { ageOn, formatDate } from '../../format/dates';
import { formatNhsNumber } from '../../format/nhs-number';
import { Tag, type TagColour } from '../tag/Tag';

export interface PatientBannerProps {
  nhsNumber: string;
  /** Absent while the identity is not known (the people service is unavailable); null when the record holds none. */
  name?: { given: string[]; family: string; prefix?: string[] } | null;
  birthDate?: string | null;
  gender?: string;
  verification?: 'verified' | 'unverified' | 'not-found' | 'unavailable';
  restricted?: boolean;
  deceased?: { date: string } | null;
  plan?: { status: string; reviewDate?: string | null; reviewOverdue?: boolean } | null;
  /** The person's consent to share their plan, as the plan records it. */
  consent?: { toShare: boolean; route: string };
  today?: string;
}

const PLAN_STATUS: Record<string, { text: string; colour: TagColour }> = {
  published: { text: 'Plan published', colour: 'green' },
  draft: { text: 'Plan in draft', colour: 'yellow' },
  'awaiting-approval': { text: 'Plan awaiting approval', colour: 'yellow' },
  closed: { text: 'Plan closed', colour: 'grey' },
  deleted: { text: 'Plan deleted', colour: 'grey' },
};

const VERIFICATION: Record<string, { text: string; colour: TagColour }> = {
  verified: { text: 'Verified with PDS', colour: 'white' },
  unverified: { text: 'Not verified: PDS could not be reached', colour: 'orange' },
  'not-found': { text: 'Not known to PDS', colour: 'red' },
  unavailable: { text: 'Identity not available', colour: 'orange' },
};

/**
 * The patient banner (an NHS pattern; our own component, so `app-` classes): on every page about a
 * person, who they are beyond doubt — name, date of birth and age, NHS number, gender — and the
 * states that change what the reader may do: identity verification, death, a restricted record,
 * consent and the plan's status and review date.
 */
export function PatientBanner(props: PatientBannerProps) {
  const { nhsNumber, name, birthDate, gender, verification, restricted, deceased, plan, consent, today } = props;
  const displayName = name
    ? `${name.family.toUpperCase()}, ${name.given.join(' ')}${name.prefix?.length ? ` (${name.prefix.join(' ')})` : ''}`
    : undefined;
  const status = plan ? PLAN_STATUS[plan.status] : undefined;
  const verified = verification ? VERIFICATION[verification] : undefined;
  return (
    <section className="app-patient-banner" aria-label="Patient details">
      <div className="nhsuk-width-container">
        <p className="app-patient-banner__name">{displayName ?? `NHS number ${formatNhsNumber(nhsNumber)}`}</p>
        <dl className="app-patient-banner__details">
          {birthDate && (
            <div className="app-patient-banner__item">
              <dt>Born</dt>
              <dd>
                {formatDate(birthDate)} ({ageOn(birthDate, deceased?.date ?? today)} years{deceased ? ' at death' : ' old'})
              </dd>
            </div>
          )}
          <div className="app-patient-banner__item">
            <dt>NHS number</dt>
            <dd className="app-patient-banner__nhs-number">{formatNhsNumber(nhsNumber)}</dd>
          </div>
          {gender && (
            <div className="app-patient-banner__item">
              <dt>Gender</dt>
              <dd>{gender.charAt(0).toUpperCase() + gender.slice(1)}</dd>
            </div>
          )}
          {plan?.reviewDate && (
            <div className="app-patient-banner__item">
              <dt>Review by</dt>
              <dd>{formatDate(plan.reviewDate)}</dd>
            </div>
          )}
        </dl>
        <ul className="app-patient-banner__states" aria-label="States of the record">
          {verified && (
            <li>
              <Tag text={verified.text} colour={verified.colour} />
            </li>
          )}
          {deceased && (
            <li>
              <Tag text={`Died ${formatDate(deceased.date)}`} colour="grey" />
            </li>
          )}
          {status && (
            <li>
              <Tag text={status.text} colour={status.colour} />
            </li>
          )}
          {plan?.reviewOverdue && (
            <li>
              <Tag text="Review overdue" colour="red" />
            </li>
          )}
          {consent && (
            <li>
              <Tag text={consent.toShare ? 'Agreed to share' : 'Consent to share withdrawn'} colour={consent.toShare ? 'white' : 'red'} />
            </li>
          )}
          {plan === null && (
            <li>
              <Tag text="No plan" colour="grey" />
            </li>
          )}
        </ul>
        {restricted && (
          <p className="app-patient-banner__restricted">
            <strong>Restricted record:</strong> address and contact details are withheld. Do not share where this person lives.
          </p>
        )}
      </div>
    </section>
  );
}
