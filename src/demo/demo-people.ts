import type { CallerOrganisation } from '../access/caller.js';
import type { Role } from '../access/roles.js';
import { testNhsNumber } from '../nhs/nhs-number.js';

/** Shared by every demo log-in and printed at start-up: this is demo data, never real. */
export const DEMO_PASSWORD = 'urgent-care-demo-2026';

/** Made-up organisations (ODS codes starting DM are not issued to real ones). */
export const DEMO_ORGANISATIONS: readonly CallerOrganisation[] = [
  { odsCode: 'DMLAS1', name: 'London Ambulance Service (demo)', kind: 'ambulance-service', ics: 'North East London', dataSecurityStatus: 'standards-met' },
  { odsCode: 'DM1111', name: 'NHS 111 London (demo)', kind: 'nhs-111', ics: 'South West London', dataSecurityStatus: 'standards-met' },
  { odsCode: 'DMOOH1', name: 'South London Out-of-Hours GP (demo)', kind: 'out-of-hours-gp', ics: 'South East London', dataSecurityStatus: 'standards-met' },
  { odsCode: 'DMGP01', name: 'Riverside Medical Practice (demo)', kind: 'gp-practice', ics: 'North Central London', dataSecurityStatus: 'standards-met' },
  { odsCode: 'DMHOS1', name: 'Thames Hospice (demo)', kind: 'hospice', ics: 'South West London', dataSecurityStatus: 'standards-met' },
  { odsCode: 'DMCH01', name: 'Maple House Care Home (demo)', kind: 'care-home', ics: 'North West London', dataSecurityStatus: 'standards-met' },
  { odsCode: 'DMACU1', name: 'City General Hospital (demo)', kind: 'acute-trust', ics: 'North East London', dataSecurityStatus: 'standards-met' },
  { odsCode: 'DMUCP1', name: 'UCP Programme Team (demo)', kind: 'community-trust', ics: 'South West London', dataSecurityStatus: 'standards-met' },
];

export interface DemoUser {
  username: string;
  displayName: string;
  odsCode: string;
  role: Role;
  /** For the person who reads their own plan. */
  nhsNumber?: string;
}

/** One demo log-in for every role. */
export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'ambulance.crew', displayName: 'Sam Patel (paramedic)', odsCode: 'DMLAS1', role: 'viewer' },
  { username: 'care.home', displayName: 'Grace Mensah (senior carer)', odsCode: 'DMCH01', role: 'contributor' },
  { username: 'gp.clinician', displayName: 'Dr Olivia Chen (GP)', odsCode: 'DMGP01', role: 'clinician' },
  { username: 'hospice.consultant', displayName: 'Dr Kwame Adeyemi (palliative care consultant)', odsCode: 'DMHOS1', role: 'senior-clinician' },
  { username: 'practice.manager', displayName: 'Ruth Evans (practice manager)', odsCode: 'DMGP01', role: 'org-admin' },
  { username: 'platform.admin', displayName: 'Tariq Hussain (platform administrator)', odsCode: 'DMUCP1', role: 'platform-admin' },
  { username: 'caldicott.guardian', displayName: 'Margaret Walker (Caldicott guardian)', odsCode: 'DMHOS1', role: 'auditor' },
  { username: 'patient', displayName: 'Ada Smith (the person herself)', odsCode: 'DMGP01', role: 'patient', nhsNumber: testNhsNumber(0) },
];
