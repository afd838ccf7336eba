import { useCallback, useEffect, useMemo, useState } from 'react';
import { Outlet, useLocation, useParams } from 'react-router';
import {
  BREAK_GLASS_HEADER,
  breakGlassHeaders,
  breakGlassPossible,
  diff,
  ehrIdOf,
  history,
  type AccessHeaders,
} from '../../api/care-plan-api';
import { followPlanEvents, PLAN_CLOSED_TOPIC, PLAN_PUBLISHED_TOPIC } from '../../api/plan-events';
import { ApiProblem } from '../../api/http';
import { lookUpPerson, type IdentityLookup } from '../../api/people-api';
import { Main } from '../../app/Layout';
import { hasRole, useSignedIn } from '../../app/session-context';
import { useLoaded } from '../../app/use-loaded';
import { AppLink } from '../../components/app-link';
import { BackLink } from '../../components/back-link/BackLink';
import { NotificationBanner } from '../../components/notification-banner/NotificationBanner';
import { PatientBanner, type PatientBannerProps } from '../../components/patient-banner/PatientBanner';
import { formatNhsNumber, isValidNhsNumber, nhsDigits } from '../../format/nhs-number';
import { DeclareCare } from '../edit/DeclareCare';
import { BreakGlass } from './BreakGlass';
import { LiveNote, type LiveUpdate } from './LiveNote';
import type { PersonContext } from './person-context';

type BannerPlan = Parameters<PersonContext['showPlan']>[0];

/**
 * Every page about a person: the patient banner, the person's pages, and break-the-glass when
 * the reader has no relationship with them. The identity comes from the people API; the record
 * is found by NHS number.
 */
export function PersonLayout() {
  const { nhsNumber = '' } = useParams();
  // Keyed by the person: what the reader stated to see one person (a break-glass reason, a care
  // team joined) is never carried to the next person's pages.
  return <OnePersonLayout key={nhsDigits(nhsNumber)} />;
}

function OnePersonLayout() {
  const params = useParams();
  const nhsNumber = nhsDigits(params['nhsNumber'] ?? '');
  const location = useLocation();
  const session = useSignedIn();
  const [accessHeaders, setAccessHeaders] = useState<AccessHeaders>({});
  const [askReason, setAskReason] = useState(false);
  const [reasonRefusal, setReasonRefusal] = useState<string | undefined>();
  const [declaring, setDeclaring] = useState(false);
  const [declared, setDeclared] = useState(0);
  const [plan, setPlan] = useState<BannerPlan | undefined>();
  const key = `${nhsNumber}:${JSON.stringify(accessHeaders)}:${declared}`;
  const valid = isValidNhsNumber(nhsNumber);
  const identity = useLoaded(
    valid
      ? () =>
          lookUpPerson(nhsNumber, accessHeaders).catch((error: unknown): IdentityLookup => ({
            kind: 'unavailable',
            problem: error instanceof ApiProblem ? error : undefined,
          }))
      : undefined,
    key,
  );
  const record = useLoaded(valid ? () => ehrIdOf(nhsNumber) : undefined, `${nhsNumber}:${declared}`);
  const identityLookup = identity.status === 'loaded' ? identity.value : undefined;
  const ehrId = record.status === 'loaded' ? (record.value ?? null) : undefined;
  const problem =
    record.status === 'failed'
      ? record.error instanceof ApiProblem
        ? record.error.detail
        : 'The record could not be found. Try again.'
      : undefined;

  const [liveVersion, setLiveVersion] = useState(0);
  const [liveUpdate, setLiveUpdate] = useState<LiveUpdate | undefined>();
  const liveEhrId = identityLookup?.kind === 'found' && identityLookup.person.plan ? identityLookup.person.plan.ehrId : ehrId;
  const readerId = session.user.id;
  useEffect(() => {
    if (!liveEhrId) return;
    // A publish by anyone: the open page reloads what it shows. A publish by someone else is also
    // announced, with who changed what; the reader's own needs no telling.
    return followPlanEvents(liveEhrId, accessHeaders, (event) => {
      if (event.topic !== PLAN_PUBLISHED_TOPIC && event.topic !== PLAN_CLOSED_TOPIC) return;
      const version = event.data.planVersion;
      setLiveVersion((current) => current + 1);
      if (version === undefined) return;
      void describeUpdate(liveEhrId, version, accessHeaders).then((update) => {
        if (update.actor?.id !== readerId) setLiveUpdate(update);
      });
    });
  }, [liveEhrId, accessHeaders, readerId]);

  const refused = useCallback(
    (error: unknown) => {
      if (!breakGlassPossible(error)) return;
      // Refused again although a reason was given: the reason itself was not accepted, so ask again and say why.
      if (accessHeaders[BREAK_GLASS_HEADER] && error instanceof ApiProblem) {
        setReasonRefusal(refusalOfReason(error.detail));
        setAccessHeaders({});
      }
      setAskReason(true);
    },
    [accessHeaders, setAccessHeaders, setReasonRefusal, setAskReason],
  );

  const context: PersonContext = useMemo(
    () => ({
      nhsNumber,
      ehrId: liveEhrId,
      identity: identityLookup,
      liveVersion,
      accessHeaders,
      refused,
      showPlan: setPlan,
    }),
    [nhsNumber, liveEhrId, identityLookup, liveVersion, accessHeaders, refused, setPlan],
  );

  if (!valid) {
    return (
      <Main>
        <BackLink href="/people" text="Back to find a person" />
        <h1>This is not a valid NHS number</h1>
        <p>Check the number and try again.</p>
      </Main>
    );
  }

  const base = `/people/${nhsNumber}`;
  const tabs = [
    { href: base, text: 'Emergency summary' },
    { href: `${base}/plan`, text: 'Whole plan' },
    { href: `${base}/history`, text: 'History' },
    { href: `${base}/print`, text: 'Print' },
    ...(hasRole(session, 'contributor', 'clinician', 'senior-clinician') ? [{ href: `${base}/edit`, text: 'Change the plan' }] : []),
  ];
  const current = (href: string) => (href === base ? location.pathname === base : location.pathname.startsWith(href));
  return (
    <>
      <PatientBanner {...bannerProps(nhsNumber, identityLookup, plan)} />
      <Main>
        {liveUpdate && <LiveNote update={liveUpdate} onDismiss={() => setLiveUpdate(undefined)} />}
        {declared > 0 && (
          <NotificationBanner type="success" titleText="Care team joined" id="care-team-joined">
            <p className="nhsuk-notification-banner__heading">Your organisation is now in this person’s care team.</p>
            <p>Your reason is recorded with your name; your organisation’s auditors check it, and the person can see it.</p>
          </NotificationBanner>
        )}
        <nav className="app-person-navigation" aria-label="This person’s record">
          <ul>
            {tabs.map((tab) => (
              <li key={tab.href}>
                <AppLink href={tab.href} {...(current(tab.href) ? { 'aria-current': 'page' } : {})}>
                  {tab.text}
                </AppLink>
              </li>
            ))}
          </ul>
        </nav>
        {problem ? (
          <p className="nhsuk-body">{problem}</p>
        ) : ehrId === null && identityLookup?.kind !== 'found' ? (
          <>
            <h1>No record for NHS number {formatNhsNumber(nhsNumber)}</h1>
            <p>There is no urgent care plan for this person. Check the NHS number, or ask the person’s GP whether they have a plan.</p>
          </>
        ) : askReason && declaring ? (
          <DeclareCare
            nhsNumber={nhsNumber}
            onDeclared={() => {
              setDeclaring(false);
              setAskReason(false);
              setDeclared((count) => count + 1);
            }}
          />
        ) : askReason && !accessHeaders[BREAK_GLASS_HEADER] ? (
          <BreakGlass
            refusal={reasonRefusal}
            onCaring={hasRole(session, 'contributor', 'clinician', 'senior-clinician') ? () => setDeclaring(true) : undefined}
            onReason={(reason) => {
              setAskReason(false);
              setReasonRefusal(undefined);
              setAccessHeaders(breakGlassHeaders(reason));
            }}
          />
        ) : (
          <Outlet context={context} />
        )}
      </Main>
    </>
  );
}

/** The part of a refusal that says what was wrong with the stated reason, or the whole refusal. */
function refusalOfReason(detail: string): string {
  const marker = 'the reason given is not accepted: ';
  const at = detail.indexOf(marker);
  return at >= 0 ? detail.slice(at + marker.length) : detail;
}

function bannerProps(nhsNumber: string, identity: IdentityLookup | undefined, plan: BannerPlan | undefined): PatientBannerProps {
  const person = identity?.kind === 'found' ? identity.person : undefined;
  return {
    nhsNumber,
    ...(person
      ? {
          name: person.name,
          birthDate: person.birthDate,
          gender: person.gender,
          verification: person.verification,
          restricted: person.restricted,
          deceased: person.deceased,
        }
      : identity?.kind === 'not-known'
        ? { verification: 'not-found' as const }
        : identity
          ? { verification: 'unavailable' as const }
          : {}),
    ...(plan
      ? { plan: { status: plan.status, reviewDate: plan.reviewDate, ...(plan.reviewOverdue ? { reviewOverdue: true } : {}) } }
      : person?.plan
        ? { plan: { status: person.plan.status, reviewDate: person.plan.reviewDate ?? null } }
        : person
          ? { plan: null }
          : {}),
    ...(plan?.consent ? { consent: plan.consent } : {}),
  };
}

/** Who published a new version and what changed since the one before. */
async function describeUpdate(ehrId: string, planVersion: number, headers: AccessHeaders): Promise<LiveUpdate> {
  const [revisions, changes] = await Promise.all([
    history(ehrId, headers).catch(() => undefined),
    planVersion > 1 ? diff(ehrId, planVersion - 1, planVersion, headers).catch(() => undefined) : Promise.resolve(undefined),
  ]);
  const published = revisions?.revisions.filter((revision) => revision.planVersion === planVersion).at(-1);
  return { planVersion, actor: published?.actor, recordedAt: published?.recordedAt, changes };
}
