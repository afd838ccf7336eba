import { Type } from 'typebox';

/** TypeBox schemas of the people API (docs/demographics.md): validation, serialisation and OpenAPI from one place. */

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const NhsNumberParams = Type.Object({
  nhs_number: Type.String({ pattern: '^[0-9]{10}$', description: 'the NHS number, ten digits without spaces' }),
});

export const PeopleSearchQuery = Type.Object(
  {
    family: Type.String({ minLength: 1, maxLength: 100, description: 'family name; a trailing * matches its start' }),
    given: Type.String({ minLength: 1, maxLength: 100, description: 'a given name; a trailing * matches its start' }),
    birthdate: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'date of birth, YYYY-MM-DD' }),
    gender: Type.Optional(Type.Union([Type.Literal('female'), Type.Literal('male'), Type.Literal('other'), Type.Literal('unknown')])),
    postcode: Type.Optional(
      Type.String({ pattern: '^[A-Za-z0-9 ]{2,8}\\*?$', description: 'a postcode, or its start (LS1): restricted records never match it' }),
    ),
  },
  { additionalProperties: false },
);

const PlanPointer = Type.Object(
  {
    ehrId: Type.String(),
    status: Type.String({ description: 'draft, awaiting-approval, published, closed or deleted' }),
    reviewDate: Type.Optional(Nullable(Type.String())),
  },
  { description: "where the person's plan is and its status (a search shows no more); null: no plan" },
);

export const PersonSchema = Type.Object(
  {
    nhsNumber: Type.String({ description: 'the NHS number asked for' }),
    verification: Type.Union([Type.Literal('verified'), Type.Literal('unverified'), Type.Literal('not-found')], {
      description:
        'verified: PDS confirmed it at retrievedAt; unverified: PDS could not be reached, this is the last version it gave; not-found: PDS no longer knows the number',
    }),
    restricted: Type.Boolean({ description: 'S-flagged in PDS: address, contacts and registered GP are withheld' }),
    nhsNumberStatus: Nullable(
      Type.Object(
        { code: Type.String(), display: Type.String() },
        { description: 'UK Core NHS number verification status (01: number present and verified)' },
      ),
    ),
    name: Nullable(
      Type.Object({
        prefix: Type.Array(Type.String()),
        given: Type.Array(Type.String()),
        family: Type.String(),
        suffix: Type.Array(Type.String()),
        text: Type.String({ description: 'as a banner shows it: Mrs Jane Ann SMITH' }),
      }),
    ),
    birthDate: Nullable(Type.String()),
    gender: Type.Union([Type.Literal('female'), Type.Literal('male'), Type.Literal('other'), Type.Literal('unknown')]),
    address: Nullable(
      Type.Object({
        lines: Type.Array(Type.String(), { description: 'every line but the postcode; PDS sends the post town among them' }),
        city: Nullable(Type.String()),
        postalCode: Nullable(Type.String()),
      }),
    ),
    telecom: Type.Array(
      Type.Object({
        system: Type.Union([Type.Literal('phone'), Type.Literal('email'), Type.Literal('other')]),
        use: Nullable(Type.String()),
        value: Type.String(),
      }),
    ),
    registeredGp: Nullable(
      Type.Object({
        odsCode: Type.String(),
        name: Nullable(Type.String({ description: "the practice's name, when the organisation register knows the code" })),
      }),
    ),
    deceased: Nullable(Type.Object({ date: Type.String() })),
    supersededBy: Nullable(Type.String({ description: 'the number PDS replaced this one with (merged); the demographics are its record' })),
    source: Type.Union([Type.Literal('pds'), Type.Literal('pds-stub'), Type.Literal('manual')]),
    retrievedAt: Type.String({ description: 'when the source last gave or confirmed these demographics' }),
    version: Nullable(Type.Integer({ description: 'the stored version shown; null in a search answer, which is not stored' })),
    plan: Nullable(PlanPointer),
  },
  { description: "A person's identity from the national demographics service (PDS)" },
);

export const PeopleSearchResult = Type.Object({
  people: Type.Array(PersonSchema, { maxItems: 10, description: 'best match first; identity only' }),
});

export const RegisteredGpCorrectionBody = Type.Object(
  {
    odsCode: Type.String({ pattern: '^[A-Z0-9]{3,10}$', description: 'the ODS code of the practice the person is registered with' }),
    reason: Type.String({
      minLength: 10,
      maxLength: 1000,
      description: 'why the practice named is wrong and how the right one is known: kept with the correction and in the audit',
    }),
  },
  { additionalProperties: false },
);
