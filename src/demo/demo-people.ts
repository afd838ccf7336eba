import type { Role } from '../access/roles.js';
import { testNhsNumber } from '../nhs/nhs-number.js';
import type { Organisation } from '../organisations/organisation-store.js';
import { syntheticLondoners } from './synthetic-londoners.js';

/**
 * Demo data only, printed at start-up: the password of every demo log-in with a local account.
 */
export const DEMO_PASSWORD = 'urgent-care-demo-2026';

/** The seed of the demo dataset's synthetic Londoners: the same people and plans on every machine. */
export const DEMO_SEED = 20_260_401;

/** The first synthetic Londoner, whom the demo patient is: their account carries the name PDS gives them. */
const DEMO_PATIENT = syntheticLondoners(1, DEMO_SEED)[0];

/**
 * Made-up organisations for the demo users. The ODS codes start with DEMO, a pattern real codes
 * never follow, so a demo can never be mistaken for, or collide with, a real organisation.
 * Sign-in needs them in the organisation table: start-up in demo mode upserts them.
 */
export const DEMO_ORGANISATIONS: readonly Organisation[] = [
  {
    odsCode: 'DEMOAMB',
    name: 'Demo Ambulance Service',
    kind: 'ambulance-service',
    ics: 'North East London',
    dataSecurityStatus: 'standards-met',
  },
  {
    odsCode: 'DEMOCH1',
    name: 'Demo Riverside Care Home',
    kind: 'care-home',
    ics: 'South West London',
    dataSecurityStatus: 'standards-met',
  },
  {
    odsCode: 'DEMOGP1',
    name: 'Demo Riverside Surgery',
    kind: 'gp-practice',
    ics: 'South West London',
    dataSecurityStatus: 'standards-met',
  },
  {
    odsCode: 'DEMOHSP',
    name: 'Demo St Columba Hospice',
    kind: 'hospice',
    ics: 'North Central London',
    dataSecurityStatus: 'standards-met',
  },
  {
    odsCode: 'DEMOACU',
    name: 'Demo University Hospital',
    kind: 'acute-trust',
    ics: 'North West London',
    dataSecurityStatus: 'standards-met',
  },
  {
    odsCode: 'DEMOUCP',
    name: 'Demo Urgent Care Plan Service',
    kind: 'community-trust',
    ics: 'South East London',
    dataSecurityStatus: 'standards-met',
  },
];

/**
 * A demo person: signs in with a local account (DEMO_PASSWORD) or through the development
 * identity provider, which asserts these claims for them.
 */
export interface DemoUser {
  /** What is typed (or picked) on the dev IdP's sign-in page; also the `sub` claim. */
  username: string;
  displayName: string;
  email: string;
  odsCode: string;
  roles: readonly Role[];
  nhsNumber?: string;
  professionalRegistrationId?: string;
}

/**
 * One demo user for every role. The patient has the NHS number of the first synthetic Londoner
 * of the demo dataset (src/demo), so a demo can show a person reading their own plan. The
 * registration numbers are invented and in no register.
 */
export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'viewer', displayName: 'Sam Viewer (paramedic)', email: 'viewer@demo.ucp.invalid', odsCode: 'DEMOAMB', roles: ['viewer'] },
  {
    username: 'contributor',
    displayName: 'Chris Contributor (care home manager)',
    email: 'contributor@demo.ucp.invalid',
    odsCode: 'DEMOCH1',
    roles: ['contributor'],
  },
  {
    username: 'clinician',
    displayName: 'Dr Alex Clinician (GP)',
    email: 'clinician@demo.ucp.invalid',
    odsCode: 'DEMOGP1',
    roles: ['clinician'],
    professionalRegistrationId: 'GMC 0000001',
  },
  {
    // A GP partner is very often the senior clinician who makes a ReSPECT / DNACPR decision: they
    // record it themselves, as London's deployment lets them.
    username: 'gp-partner',
    displayName: 'Dr Kim Partner (GP partner)',
    email: 'gp-partner@demo.ucp.invalid',
    odsCode: 'DEMOGP1',
    roles: ['senior-clinician'],
    professionalRegistrationId: 'GMC 0000003',
  },
  {
    username: 'senior-clinician',
    displayName: 'Dr Jo Senior (palliative care consultant)',
    email: 'senior-clinician@demo.ucp.invalid',
    odsCode: 'DEMOHSP',
    roles: ['senior-clinician'],
    professionalRegistrationId: 'GMC 0000002',
  },
  {
    // A hospital has no standing access to plans: its doctors break the glass, and the trust's
    // auditor reviews each time they do.
    username: 'hospital-doctor',
    displayName: 'Dr Ola Ward (hospital doctor)',
    email: 'hospital-doctor@demo.ucp.invalid',
    odsCode: 'DEMOACU',
    roles: ['clinician'],
    professionalRegistrationId: 'GMC 0000004',
  },
  {
    username: 'org-admin',
    displayName: 'Pat Admin (practice manager)',
    email: 'org-admin@demo.ucp.invalid',
    odsCode: 'DEMOGP1',
    roles: ['org-admin'],
  },
  {
    username: 'platform-admin',
    displayName: 'Robin Platform (service administrator)',
    email: 'platform-admin@demo.ucp.invalid',
    odsCode: 'DEMOUCP',
    roles: ['platform-admin'],
  },
  {
    username: 'auditor',
    displayName: 'Morgan Auditor (information governance)',
    email: 'auditor@demo.ucp.invalid',
    odsCode: 'DEMOACU',
    roles: ['auditor'],
  },
  {
    username: 'designer',
    displayName: 'Dr Sam Designer (clinical safety officer)',
    email: 'designer@demo.ucp.invalid',
    odsCode: 'DEMOUCP',
    roles: ['clinical-designer'],
    professionalRegistrationId: 'GMC 0000003',
  },
  {
    // A second designer: a pathway version is published only after another designer reviews it.
    username: 'designer2',
    displayName: 'Kim Reviewer (clinical designer, nurse consultant)',
    email: 'designer2@demo.ucp.invalid',
    odsCode: 'DEMOUCP',
    roles: ['clinical-designer'],
    professionalRegistrationId: 'NMC 00A0001A',
  },
  {
    username: 'patient',
    displayName: DEMO_PATIENT ? `${DEMO_PATIENT.givenName} ${DEMO_PATIENT.familyName}` : 'Demo Patient',
    email: 'patient@demo.ucp.invalid',
    odsCode: 'DEMOGP1',
    roles: ['patient'],
    nhsNumber: testNhsNumber(0),
  },
];

/** One line per demo user for the start-up banner: who to sign in as, and what they can do. */
export function demoLoginLines(
  users: readonly DemoUser[] = DEMO_USERS,
  organisations: readonly Organisation[] = DEMO_ORGANISATIONS,
): string[] {
  const names = new Map(organisations.map((organisation) => [organisation.odsCode, organisation.name]));
  return users.map(
    (user) =>
      `${user.username} — ${user.displayName}, ${user.roles.join(', ')} at ${names.get(user.odsCode) ?? 'an unknown organisation'} (${user.odsCode})`,
  );
}
