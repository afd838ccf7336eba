import { defaultPurposeOfUse, type Caller } from '../access/caller.js';
import { permissionsOf } from '../access/roles.js';
import type { PathwayDefinition } from '../careplan/pathway/pathway-definition.js';
import type { Queryable } from '../db/database.js';
import type { PathwayDesignService } from '../designer/pathway-design-service.js';
import { DEMO_USERS } from './demo-people.js';

const CRISIS_PLAN = 'mental_health_crisis_plan/crisis_plan';

/**
 * The fifth pathway, made in the designer rather than shipped in templates/pathways (issue #17): a
 * mental health crisis plan, listed by the national record locator under SNOMED CT 736253002. Its
 * rule asks for the crisis team's contact only when the person is under one, and then requires
 * it; its prefill offers the diagnoses the person's record already holds (AQL over their EHR).
 */
export const MENTAL_HEALTH_CRISIS_PATHWAY: PathwayDefinition = {
  id: 'mental-health-crisis',
  title: 'Mental health crisis plan',
  description:
    'For a person with a mental health condition: the early signs of a crisis, its triggers, what helps and what to avoid, the risks, and the crisis team to call day and night.',
  approval: 'clinician',
  reviewMaxMonths: 6,
  recordType: { system: 'http://snomed.info/sct', code: '736253002', display: 'Mental health crisis plan' },
  modules: [
    {
      id: 'mental-health-crisis-plan',
      title: 'Mental health crisis plan',
      templateId: 'UCP - Mental health crisis plan.v1',
      kind: 'clinical',
      seniorDecision: false,
      form: {
        help: {
          [`${CRISIS_PLAN}/what_helps`]: "In the person's own words where you can.",
          [`${CRISIS_PLAN}/crisis_team_contact`]: 'A number that is answered day and night, and the team’s name.',
        },
      },
      rules: [
        {
          id: 'crisis-team-contact',
          description: 'Ask for the crisis team only when the person is under one, and then require it.',
          when: { '==': [{ var: `${CRISIS_PLAN}/under_a_crisis_or_community_mental_health_team` }, true] },
          then: [{ show: `${CRISIS_PLAN}/crisis_team_contact` }, { require: `${CRISIS_PLAN}/crisis_team_contact` }],
        },
      ],
      prefill: [
        {
          path: `${CRISIS_PLAN}/mental_health_diagnoses`,
          from: {
            aql:
              'SELECT d/data[at0001]/items[at0002]/value/value AS diagnosis ' +
              'FROM EHR e[ehr_id/value=$ehr_id] CONTAINS COMPOSITION c CONTAINS EVALUATION d[openEHR-EHR-EVALUATION.problem_diagnosis.v1]',
            column: 'diagnosis',
          },
        },
      ],
    },
  ],
};

const SAFETY_NOTES = [
  {
    hazard: 'A crew does not reach the crisis team because the plan names none or an out-of-hours number is missing.',
    controls: 'The contact is required whenever the person is under a team (rule crisis-team-contact); review at most every six months.',
  },
  {
    hazard: 'A prefilled diagnosis is out of date and misleads the reader.',
    controls: 'Prefill only offers the diagnoses the record holds; the author confirms them before publishing the plan.',
  },
];

/**
 * Makes the mental health crisis pathway as two designers would: `author` drafts and submits it,
 * `reviewer` approves and publishes it. Once: nothing is done when the pathway has any version.
 */
export async function seedDemoPathways(design: PathwayDesignService, designers: { author: Caller; reviewer: Caller }): Promise<boolean> {
  const key = MENTAL_HEALTH_CRISIS_PATHWAY.id;
  if ((await design.list()).some((pathway) => pathway.key === key)) return false;
  const draft = await design.createDraft(designers.author, key, { definition: MENTAL_HEALTH_CRISIS_PATHWAY, safetyNotes: SAFETY_NOTES });
  await design.submit(designers.author, key, draft.version);
  await design.review(designers.reviewer, key, draft.version, { outcome: 'approve', note: 'Checked against the local crisis plan form.' });
  await design.publish(designers.reviewer, key, draft.version);
  return true;
}

/** The demo's two designers (`designer`, `designer2`) as callers, by their local accounts; undefined before the demo users exist. */
export async function demoDesigners(db: Queryable): Promise<{ author: Caller; reviewer: Caller } | undefined> {
  const caller = async (username: string): Promise<Caller | undefined> => {
    const demoUser = DEMO_USERS.find((user) => user.username === username);
    const { rows } = await db.query<{ user_id: string }>('SELECT user_id FROM local_credential WHERE lower(username) = lower($1)', [
      username,
    ]);
    const userId = rows[0]?.user_id;
    if (!demoUser || userId === undefined) return undefined;
    return {
      kind: 'user',
      id: userId,
      displayName: demoUser.displayName,
      organisation: undefined,
      roles: demoUser.roles,
      permissions: permissionsOf(demoUser.roles),
      scopes: undefined,
      launchContextNhsNumber: undefined,
      ownNhsNumber: undefined,
      breakGlassReason: undefined,
      purposeOfUse: defaultPurposeOfUse(demoUser.roles),
      clientAddress: undefined,
      sessionId: undefined,
    };
  };
  const [author, reviewer] = [await caller('designer'), await caller('designer2')];
  return author && reviewer ? { author, reviewer } : undefined;
}
