import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decidePersonAccess } from '../../src/access/access-policy.js';
import { AppError } from '../../src/errors/app-error.js';
import { testNhsNumber } from '../../src/nhs/nhs-number.js';
import { upsertOrganisation, type Organisation } from '../../src/organisations/organisation-store.js';
import {
  addMembership,
  callerForUser,
  createUser,
  disableUser,
  findUser,
  findUserByEmail,
  membershipsOf,
  removeMembership,
} from '../../src/users/user-store.js';
import { backend, createTestDatabase, type TestDatabase } from '../support/test-database.js';

const ambulance: Organisation = {
  odsCode: 'RRU',
  name: 'London Ambulance Service',
  kind: 'ambulance-service',
  ics: 'North East London',
  dataSecurityStatus: 'standards-met',
};
const practice: Organisation = {
  odsCode: 'F84001',
  name: 'Riverside Practice',
  kind: 'gp-practice',
  ics: 'South West London',
  dataSecurityStatus: 'standards-met',
};

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return (error as AppError).code;
}

describe(`users and memberships on ${backend}`, () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase();
    await upsertOrganisation(test.db, ambulance);
    await upsertOrganisation(test.db, practice);
  });
  afterAll(() => test.drop());

  it('creates a user and finds them by id and by email in any case', async () => {
    const user = await createUser(test.db, {
      displayName: ' Dr Jane Smith ',
      email: 'Jane.Smith@nhs.net',
      professionalRegistrationId: 'GMC 7654321',
    });
    expect(user).toMatchObject({
      displayName: 'Dr Jane Smith',
      email: 'Jane.Smith@nhs.net',
      professionalRegistrationId: 'GMC 7654321',
      nhsNumber: undefined,
      disabledAt: undefined,
    });
    expect(user.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(user.createdAt).toBeInstanceOf(Date);
    expect(await findUser(test.db, user.id)).toEqual(user);
    expect(await findUserByEmail(test.db, 'jane.smith@NHS.NET')).toEqual(user);
    expect(await findUser(test.db, 'not-a-uuid')).toBeUndefined();
    expect(await findUser(test.db, '00000000-0000-4000-8000-000000000000')).toBeUndefined();
  });

  it('refuses a taken email (in another case) or NHS number, and invalid values', async () => {
    const nhsNumber = testNhsNumber(1);
    await createUser(test.db, { displayName: 'Sam Patel', email: 'sam.patel@example.org', nhsNumber });
    expect(await codeOf(createUser(test.db, { displayName: 'Other Sam', email: 'SAM.PATEL@example.org' }))).toBe('conflict');
    const taken = await createUser(test.db, { displayName: 'Another', email: 'another@example.org', nhsNumber }).catch(
      (error: unknown) => error,
    );
    expect(taken).toMatchObject({ code: 'conflict', detail: 'A user with this NHS number already exists.' });
    expect(await codeOf(createUser(test.db, { displayName: 'x', email: 'no-at-sign' }))).toBe('bad-request');
    expect(await codeOf(createUser(test.db, { displayName: '  ', email: 'blank@example.org' }))).toBe('bad-request');
    expect(await codeOf(createUser(test.db, { displayName: 'x', email: 'bad-nhs@example.org', nhsNumber: '1234567890' }))).toBe(
      'bad-request',
    );
  });

  it('stores an NHS number without spaces', async () => {
    const number = testNhsNumber(2);
    const spaced = `${number.slice(0, 3)} ${number.slice(3, 6)} ${number.slice(6)}`;
    expect((await createUser(test.db, { displayName: 'Ann Lee', email: 'ann.lee@example.org', nhsNumber: spaced })).nhsNumber).toBe(number);
  });

  it('disables a user once, keeping the first date', async () => {
    const user = await createUser(test.db, { displayName: 'Leaver', email: 'leaver@nhs.net' });
    expect(await disableUser(test.db, user.id)).toBe(true);
    const disabledAt = (await findUser(test.db, user.id))?.disabledAt;
    expect(disabledAt).toBeInstanceOf(Date);
    expect(await disableUser(test.db, user.id)).toBe(true);
    expect((await findUser(test.db, user.id))?.disabledAt).toEqual(disabledAt);
    expect(await disableUser(test.db, '00000000-0000-4000-8000-000000000000')).toBe(false);
    expect(await disableUser(test.db, 'nope')).toBe(false);
  });

  it('adds memberships with roles in canonical order, replaces roles, lists them by organisation name and removes them', async () => {
    const user = await createUser(test.db, { displayName: 'Pat Crew', email: 'pat.crew@nhs.net' });
    expect(await addMembership(test.db, user.id, 'RRU', ['clinician', 'viewer', 'clinician'])).toEqual({
      organisation: ambulance,
      roles: ['viewer', 'clinician'],
    });
    await addMembership(test.db, user.id, 'F84001', ['org-admin']);
    expect(await membershipsOf(test.db, user.id)).toEqual([
      { organisation: ambulance, roles: ['viewer', 'clinician'] },
      { organisation: practice, roles: ['org-admin'] },
    ]);
    await addMembership(test.db, user.id, 'RRU', ['senior-clinician']);
    expect((await membershipsOf(test.db, user.id))[0]?.roles).toEqual(['senior-clinician']);
    expect(await removeMembership(test.db, user.id, 'F84001')).toBe(true);
    expect(await removeMembership(test.db, user.id, 'F84001')).toBe(false);
    expect((await membershipsOf(test.db, user.id)).map((membership) => membership.organisation.odsCode)).toEqual(['RRU']);
    expect(await membershipsOf(test.db, 'nope')).toEqual([]);
  });

  it('refuses unknown or no roles, unknown users and organisations, and a patient role without an NHS number or with others', async () => {
    const user = await createUser(test.db, { displayName: 'Refused', email: 'refused@nhs.net' });
    const patient = await createUser(test.db, { displayName: 'A Patient', email: 'a.patient@example.org', nhsNumber: testNhsNumber(3) });
    expect(await codeOf(addMembership(test.db, user.id, 'RRU', ['superuser']))).toBe('bad-request');
    expect(await codeOf(addMembership(test.db, user.id, 'RRU', []))).toBe('bad-request');
    expect(await codeOf(addMembership(test.db, user.id, 'NOPE1', ['viewer']))).toBe('not-found');
    expect(await codeOf(addMembership(test.db, '00000000-0000-4000-8000-000000000000', 'RRU', ['viewer']))).toBe('not-found');
    expect(await codeOf(addMembership(test.db, user.id, 'F84001', ['patient']))).toBe('bad-request');
    expect(await codeOf(addMembership(test.db, patient.id, 'F84001', ['patient', 'clinician']))).toBe('bad-request');
    expect(await membershipsOf(test.db, user.id)).toEqual([]);
  });

  it('builds a Caller from the roles in the chosen organisation only', async () => {
    const user = await createUser(test.db, { displayName: 'Alex Medic', email: 'alex.medic@nhs.net' });
    await addMembership(test.db, user.id, 'RRU', ['clinician']);
    await addMembership(test.db, user.id, 'F84001', ['org-admin']);
    const caller = await callerForUser(test.db, user, 'RRU', { sessionId: 's-1', clientAddress: '10.0.0.1' });
    expect(caller).toMatchObject({
      kind: 'user',
      id: user.id,
      displayName: 'Alex Medic',
      organisation: ambulance,
      roles: ['clinician'],
      scopes: undefined,
      ownNhsNumber: undefined,
      launchContextNhsNumber: undefined,
      breakGlassReason: undefined,
      purposeOfUse: 'direct-care',
      clientAddress: '10.0.0.1',
      sessionId: 's-1',
    });
    expect([...caller.permissions].sort()).toEqual(['plan:read', 'plan:write-clinical', 'plan:write-non-clinical']);
    const asAdmin = await callerForUser(test.db, { id: user.id }, 'F84001');
    expect([...asAdmin.permissions]).toEqual(['org:manage-users']);
    expect(asAdmin.purposeOfUse).toBe('administration');
    expect(
      (await callerForUser(test.db, user, 'RRU', { purposeOfUse: 'emergency-care', breakGlassReason: 'unconscious, no plan found' }))
        .purposeOfUse,
    ).toBe('emergency-care');
  });

  it('gives an auditor the audit purpose', async () => {
    const user = await createUser(test.db, { displayName: 'Audrey Auditor', email: 'audrey@nhs.net' });
    await addMembership(test.db, user.id, 'F84001', ['auditor']);
    expect((await callerForUser(test.db, user, 'F84001')).purposeOfUse).toBe('audit');
  });

  it('gives a patient their own NHS number, so the access policy lets them read only their own plan', async () => {
    const nhsNumber = testNhsNumber(4);
    const user = await createUser(test.db, { displayName: 'Pip Person', email: 'pip@example.org', nhsNumber });
    await addMembership(test.db, user.id, 'F84001', ['patient']);
    const caller = await callerForUser(test.db, user, 'F84001', { purposeOfUse: 'direct-care' });
    expect(caller).toMatchObject({ ownNhsNumber: nhsNumber, purposeOfUse: 'self', roles: ['patient'] });
    const facts = { careTeamOdsCodes: new Set<string>(), registeredGpOdsCode: undefined, consentToShare: true };
    expect(decidePersonAccess(caller, 'read', { ...facts, nhsNumber })).toMatchObject({ allowed: true, basis: 'self' });
    expect(decidePersonAccess(caller, 'read', { ...facts, nhsNumber: testNhsNumber(5) })).toMatchObject({ allowed: false });
  });

  it('refuses a Caller for an organisation the user is not a member of, and for a disabled user', async () => {
    const user = await createUser(test.db, { displayName: 'Short Lived', email: 'short.lived@nhs.net' });
    await addMembership(test.db, user.id, 'RRU', ['viewer']);
    expect(await codeOf(callerForUser(test.db, user, 'F84001'))).toBe('forbidden');
    expect(await codeOf(callerForUser(test.db, { id: 'nope' }, 'RRU'))).toBe('forbidden');
    await disableUser(test.db, user.id);
    expect(await codeOf(callerForUser(test.db, user, 'RRU'))).toBe('forbidden');
  });

  it('links external identities by provider and subject, one user per pair', async () => {
    const user = await createUser(test.db, { displayName: 'SSO User', email: 'sso.user@nhs.net' });
    await test.db.query("INSERT INTO external_identity (provider, subject, user_id) VALUES ('cis2', 'subject-1', $1)", [user.id]);
    const error: unknown = await test.db
      .query("INSERT INTO external_identity (provider, subject, user_id) VALUES ('cis2', 'subject-1', $1)", [user.id])
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: '23505' });
  });
});
