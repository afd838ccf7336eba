import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findOrganisation,
  listIntegratedCareSystems,
  listOrganisations,
  upsertOrganisation,
  type Organisation,
} from '../../src/organisations/organisation-store.js';
import { backend, createTestDatabase, type TestDatabase } from '../support/test-database.js';

const las: Organisation = {
  odsCode: 'RRU',
  name: 'London Ambulance Service',
  kind: 'ambulance-service',
  ics: 'North East London',
  dataSecurityStatus: 'standards-met',
};

describe(`organisations on ${backend}`, () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase();
  });
  afterAll(() => test.drop());

  it('stores, finds, updates and lists organisations', async () => {
    expect(await upsertOrganisation(test.db, las)).toEqual(las);
    expect(await findOrganisation(test.db, 'RRU')).toEqual(las);
    await upsertOrganisation(test.db, { ...las, dataSecurityStatus: 'approaching-standards' });
    expect(await findOrganisation(test.db, 'RRU')).toMatchObject({ dataSecurityStatus: 'approaching-standards' });
    await upsertOrganisation(test.db, {
      odsCode: 'F84001',
      name: 'Riverside Practice',
      kind: 'gp-practice',
      ics: 'South West London',
      dataSecurityStatus: 'standards-met',
    });
    expect((await listOrganisations(test.db, { ics: 'South West London' })).map((o) => o.odsCode)).toEqual(['F84001']);
    expect(await findOrganisation(test.db, 'NOPE')).toBeUndefined();
  });

  it('takes any integrated care system the register is given, not a fixed list of London’s five', async () => {
    await upsertOrganisation(test.db, {
      odsCode: 'P84001',
      name: 'Salford Practice',
      kind: 'gp-practice',
      ics: 'Greater Manchester',
      dataSecurityStatus: 'standards-met',
    });
    expect((await listOrganisations(test.db, { ics: 'Greater Manchester' })).map((o) => o.odsCode)).toEqual(['P84001']);
    expect(await listIntegratedCareSystems(test.db)).toContainEqual({ ics: 'Greater Manchester', organisations: 1 });
  });

  it.each([
    { odsCode: 'lower', problem: 'a lower-case ODS code' },
    { kind: 'bakery', problem: 'an unknown kind' },
    { ics: '', problem: 'an unnamed integrated care system' },
    { dataSecurityStatus: 'fine', problem: 'an unknown data security status' },
  ])('refuses $problem with a clear error', async ({ problem: _problem, ...change }) => {
    await expect(upsertOrganisation(test.db, { ...las, odsCode: 'X1234', ...change } as Organisation)).rejects.toMatchObject({
      code: 'bad-request',
    });
  });
});
