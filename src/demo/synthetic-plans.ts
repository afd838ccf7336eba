import { SeededRandom } from './seeded-random.js';
import type { SyntheticPerson } from './synthetic-londoners.js';

/**
 * Care plans for the synthetic Londoners: who has one, on which pathways, in which state, and
 * what each module says, as FLAT keyed by the module templates' web templates (without `ctx/`,
 * which the care plan service adds for the writer). Pure and seeded: the same people, seed and
 * day always give the same plans. A test validates every module of every plan against its
 * template, so the generator cannot drift from the templates.
 */

export type Flat = Record<string, string | number | boolean>;

/** Pathway ids as the plan catalogue names them; `core` is the urgent care (end-of-life) plan every plan has. */
export type SyntheticPathway = 'sickle-cell' | 'frailty' | 'learning-disability-autism';

export type SyntheticPlanStatus = 'published' | 'draft' | 'awaiting-approval' | 'closed';

/** The modules generated, by catalogue module id, with the template each is keyed for. */
export const SYNTHETIC_PLAN_MODULES = {
  respect: 'ReSPECT-3.v0',
  preferences: 'IDCR - End of Life Patient Preferences.v0',
  contacts: 'IDCR - Relevant contacts.v0',
  allergies: 'Adverse Reaction List.v1',
  problems: 'IDCR - Problem List.v1',
  medications: 'IDCR - Medication Statement List.v0',
  'about-me': 'UCP - About me.v1',
  // Each pathway's own section: a plan on the pathway is not published without it.
  'sickle-cell-crisis-plan': 'UCP - Sickle cell crisis plan.v1',
  frailty: 'UCP - Frailty.v1',
  'learning-disability-autism': 'UCP - Learning disability and autism.v1',
} as const;
export type SyntheticModuleId = keyof typeof SYNTHETIC_PLAN_MODULES;

/** A demo clinician: a made-up name at one of the demo organisations (src/demo/demo-people.ts). */
export interface SyntheticClinician {
  name: string;
  odsCode: string;
  senior: boolean;
}

export interface SyntheticPlan {
  nhsNumber: string;
  pathways: SyntheticPathway[];
  status: SyntheticPlanStatus;
  /** YYYY-MM-DD; before `today` for an overdue review. */
  reviewDate: string;
  /** When the plan was written and (unless a draft) submitted: before the review date, at most a year before it. */
  authoredOn: string;
  author: SyntheticClinician;
  /** Who approved (published and closed plans) or is asked to approve (awaiting approval). */
  approver: SyntheticClinician | undefined;
  consent: { toShare: boolean; route: 'explicit' | 'best-interests' | 'lpa' };
  /** The CPR recommendation, as the emergency summary codes it: 450475007 for CPR, 450476008 not for CPR. */
  cpr: { recommended: boolean; snomed: '450475007' | '450476008' };
  death: { date: string; place: string } | undefined;
  modules: Partial<Record<SyntheticModuleId, Flat>>;
}

export interface SyntheticPlanOptions {
  seed: number;
  /** The day the plans are generated for (YYYY-MM-DD): review dates and ages count from it. */
  today: string;
}

/** Demo clinicians by organisation; the seniors may approve ReSPECT and CPR content. */
export const SYNTHETIC_CLINICIANS: readonly SyntheticClinician[] = [
  { name: 'Dr Nadia Rahman', odsCode: 'DEMOGP1', senior: false },
  { name: 'Dr Tom Whitfield', odsCode: 'DEMOGP1', senior: true },
  { name: 'Sister Grace Oduya', odsCode: 'DEMOHSP', senior: false },
  { name: 'Dr Helen Marsh', odsCode: 'DEMOHSP', senior: true },
  { name: 'Dr Kieran Doyle', odsCode: 'DEMOACU', senior: false },
  { name: 'Dr Amara Nwosu', odsCode: 'DEMOACU', senior: true },
  { name: 'Nurse Lina Petrova', odsCode: 'DEMOUCP', senior: false },
];

const DAY_MS = 86_400_000;

export function syntheticPlans(people: readonly SyntheticPerson[], options: SyntheticPlanOptions): SyntheticPlan[] {
  const random = new SeededRandom(options.seed);
  const plans: SyntheticPlan[] = [];
  for (const person of people) {
    // Each person draws from a stream of their own, so adding a field to one person's plan does
    // not reshuffle everyone after them.
    const own = new SeededRandom(Math.floor(random.next() * 4_294_967_296));
    const age = ageOn(person.birthDate, options.today);
    if (!own.chance(age >= 65 ? 0.88 : 0.7)) continue;
    plans.push(planFor(person, age, own, options.today));
  }
  return plans;
}

function planFor(person: SyntheticPerson, age: number, random: SeededRandom, today: string): SyntheticPlan {
  const pathways = pathwaysFor(age, random);
  const status = statusFor(age, random);
  const author = random.pick(SYNTHETIC_CLINICIANS);
  const seniors = SYNTHETIC_CLINICIANS.filter((clinician) => clinician.senior);
  const approver = status === 'draft' ? undefined : author.senior && random.chance(0.5) ? author : random.pick(seniors);
  const frailOrEndOfLife = age >= 80 || pathways.includes('frailty');
  const cprRecommended =
    pathways.includes('sickle-cell') || pathways.includes('learning-disability-autism')
      ? random.chance(0.8)
      : !frailOrEndOfLife && random.chance(0.45);
  const capacity = !pathways.includes('learning-disability-autism') && random.chance(age >= 85 ? 0.6 : 0.85);
  const decidedDaysAgo = random.integer(20, 400);
  const decided = dateTime(addDays(today, -decidedDaysAgo), random);
  // Most plans are reviewed in good time; about one in eight is overdue.
  const reviewDate =
    status === 'closed'
      ? addDays(today, -random.integer(1, 90))
      : random.chance(0.12)
        ? addDays(today, -random.integer(1, 120))
        : addDays(today, random.integer(7, 330));
  const authoredOn =
    reviewDate < today
      ? addDays(reviewDate, -random.integer(90, 330))
      : minDate(addDays(today, -random.integer(3, 300)), addDays(reviewDate, -7), addDays(today, 0));
  const death =
    status === 'closed'
      ? { date: addDays(today, -random.integer(1, 60)), place: random.pick(['home', 'hospice', 'hospital', 'care home']) }
      : undefined;
  const contacts = contactsFor(person, random);
  const modules: Partial<Record<SyntheticModuleId, Flat>> = {
    respect: respectModule({
      cprRecommended,
      capacity,
      decided,
      pathways,
      author,
      approver: approver ?? author,
      contact: contacts[0],
      random,
    }),
    preferences: preferencesModule({ cprRecommended, decided, random }),
    contacts: contactsModule(contacts, random),
    allergies: allergiesModule(random, decided),
    problems: problemsModule(pathways, age, random, today),
    medications: medicationsModule(pathways, random, today),
  };
  if (random.chance(0.75)) modules['about-me'] = aboutMeModule(person, age, pathways, random);
  if (pathways.includes('sickle-cell')) modules['sickle-cell-crisis-plan'] = sickleCellModule(random, decided);
  if (pathways.includes('frailty')) modules.frailty = frailtyModule(random, decided);
  if (pathways.includes('learning-disability-autism')) modules['learning-disability-autism'] = learningDisabilityModule(random);
  return {
    nhsNumber: person.nhsNumber,
    pathways,
    status,
    reviewDate,
    authoredOn: maxDate(authoredOn, addDays(reviewDate, -360)),
    author,
    approver,
    consent: capacity ? { toShare: true, route: 'explicit' } : { toShare: true, route: random.chance(0.3) ? 'lpa' : 'best-interests' },
    cpr: { recommended: cprRecommended, snomed: cprRecommended ? '450475007' : '450476008' },
    death,
    modules,
  };
}

function pathwaysFor(age: number, random: SeededRandom): SyntheticPathway[] {
  const pathways: SyntheticPathway[] = [];
  // Sickle cell disease is a condition of younger Londoners; frailty of older ones.
  if (age < 60 && random.chance(0.22)) pathways.push('sickle-cell');
  if (age >= 75 && random.chance(0.35)) pathways.push('frailty');
  if (random.chance(age < 65 ? 0.15 : 0.04)) pathways.push('learning-disability-autism');
  return pathways;
}

function statusFor(age: number, random: SeededRandom): SyntheticPlanStatus {
  const roll = random.next();
  if (age >= 70 && roll < 0.05) return 'closed';
  if (roll < 0.14) return 'draft';
  if (roll < 0.21) return 'awaiting-approval';
  return 'published';
}

// ------------------------------------------------------------------ modules

interface Contact {
  name: string;
  relationship: string;
  phone: string;
  nextOfKin: boolean;
}

function contactsFor(person: SyntheticPerson, random: SeededRandom): Contact[] {
  const given = ['Sarah', 'Michael', 'Aaliyah', 'Daniel', 'Funmi', 'Rajesh', 'Claire', 'Tomasz', 'Mariam', 'Peter', 'Shanice', 'Hassan'];
  const contacts: Contact[] = [
    {
      name: `${random.pick(given)} ${random.chance(0.7) ? person.familyName : random.pick(['Okoro', 'Harris', 'Singh', 'Lewis', 'Malik'])}`,
      relationship: random.pick(['Daughter', 'Son', 'Wife', 'Husband', 'Partner', 'Sister', 'Brother', 'Niece', 'Mother']),
      phone: ukTestPhone(random),
      nextOfKin: true,
    },
  ];
  if (random.chance(0.6)) {
    contacts.push({
      name: `${random.pick(given)} ${random.pick(['Adams', 'Bello', 'Carter', 'Dhillon', 'Edwards'])}`,
      relationship: random.pick(['Friend', 'Neighbour', 'Paid carer', 'Support worker']),
      phone: ukTestPhone(random),
      nextOfKin: false,
    });
  }
  return contacts;
}

/** Ofcom's drama numbers: 020 7946 0000–0999 are never assigned to anyone. */
function ukTestPhone(random: SeededRandom): string {
  return `020 7946 0${String(random.integer(0, 999)).padStart(3, '0')}`;
}

const RESPECT = 'respect-3/respect_headings';

function respectModule(input: {
  cprRecommended: boolean;
  capacity: boolean;
  decided: string;
  pathways: readonly SyntheticPathway[];
  author: SyntheticClinician;
  approver: SyntheticClinician;
  contact: Contact | undefined;
  random: SeededRandom;
}): Flat {
  const { random } = input;
  const focus = input.cprRecommended
    ? random.pick(['Prioritise extending life', 'Balance extending life with comfort and valued outcomes'])
    : random.pick(['Prioritise comfort', 'Balance extending life with comfort and valued outcomes']);
  const flat: Flat = {
    'respect-3/context/status': 'Complete and signed',
    [`${RESPECT}/a2._shared_understanding/respect_summary/narrative_summary`]: random.pick(SHARED_UNDERSTANDING),
    [`${RESPECT}/a3._what_matters_to_me/what_matters_to_me/what_i_most_value`]: random.pick(MOST_VALUE),
    [`${RESPECT}/a3._what_matters_to_me/what_matters_to_me/what_i_most_fear_wish_to_avoid`]: random.pick(MOST_FEAR),
    [`${RESPECT}/a4._clinical_recommendations/recommendation/clinical_focus`]: focus,
    [`${RESPECT}/a4._clinical_recommendations/recommendation/clinical_guidance_on_interventions`]: guidanceFor(
      focus,
      input.pathways,
      random,
    ),
    [`${RESPECT}/a4._clinical_recommendations/cpr_decision/cpr_decision|code`]: input.cprRecommended ? 'at0004' : 'at0005',
    [`${RESPECT}/a4._clinical_recommendations/cpr_decision/cpr_decision|value`]: input.cprRecommended
      ? 'CPR attempts recommended adult or child'
      : 'CPR attempts not recommended adult or child.',
    [`${RESPECT}/a4._clinical_recommendations/cpr_decision/date_of_cpr_decision`]: input.decided,
    [`${RESPECT}/a5._capacity_for_involvement/mental_capacity/decision_plan`]: 'ReSPECT recommendations',
    [`${RESPECT}/a5._capacity_for_involvement/mental_capacity/does_the_person_have_capacity_to_participate_in_making_recommendations_on_this_plan|code`]:
      input.capacity ? 'at0003' : 'at0004',
    [`${RESPECT}/a5._capacity_for_involvement/mental_capacity/does_the_person_have_capacity_to_participate_in_making_recommendations_on_this_plan|value`]:
      input.capacity ? 'Has capacity' : 'Does not have capacity',
    [`${RESPECT}/a6._involvement_in_making_plan/respect_involvement/involvement_in_recommendations/involvement:0|code`]: input.capacity
      ? 'at0003'
      : 'at0004',
    [`${RESPECT}/a6._involvement_in_making_plan/respect_involvement/involvement_in_recommendations/involvement:0|value`]: input.capacity
      ? 'A Person has mental capacity'
      : 'B Person does not have mental capacity',
    // The clinician who made the recommendations, then the senior responsible clinician.
    ...signature(`${RESPECT}/a7._clinician_signatures/clinician_signature:0`, 'ReSPECT - clinician signature', input.decided),
    ...signature(`${RESPECT}/a7._clinician_signatures/clinician_signature:1`, 'ReSPECT - clinician signature', input.decided),
  };
  if (!input.capacity) {
    flat[`${RESPECT}/a5._capacity_for_involvement/mental_capacity/if_no_in_what_way_does_this_person_lack_capacity`] = random.pick([
      'Unable to retain information about treatment options long enough to weigh them (assessed under the MCA 2005).',
      'Advanced dementia: cannot understand or weigh the information; best-interests decision with family.',
      'Profound learning disability; decision made in best interests with family and the learning disability team.',
    ]);
  }
  if (input.contact) {
    const member = `${RESPECT}/a8._emergency_contacts/emergency_contacts/care_team/participant:0`;
    Object.assign(flat, {
      [`${RESPECT}/a8._emergency_contacts/emergency_contacts/care_team/name`]: 'ReSPECT Emergency contacts',
      [`${member}/role_and_relationship:0`]: 'Primary emergency contact',
      [`${member}/member/name:0/use|code`]: 'at0002',
      [`${member}/member/name:0/use|value`]: 'Usual',
      [`${member}/member/name:0/contact_name`]: input.contact.name,
      [`${member}/member/telephone:0/system|code`]: 'at0012',
      [`${member}/member/telephone:0/system|value`]: 'Phone',
      [`${member}/member/telephone:0/telephone_number`]: input.contact.phone,
      [`${member}/other_details_about_contact`]: input.contact.relationship,
    });
  }
  return flat;
}

function signature(prefix: string, serviceName: string, time: string): Flat {
  return {
    [`${prefix}/service_name`]: serviceName,
    [`${prefix}/time`]: time,
    [`${prefix}/ism_transition/current_state|code`]: '532',
    [`${prefix}/ism_transition/current_state|value`]: 'completed',
    [`${prefix}/ism_transition/current_state|terminology`]: 'openehr',
    [`${prefix}/ism_transition/careflow_step|code`]: 'at0005',
    [`${prefix}/ism_transition/careflow_step|value`]: 'Service activity complete',
  };
}

const SHARED_UNDERSTANDING = [
  'Knows the illness is advancing and that time may be short; has talked this through with family.',
  'Understands that further hospital admissions are unlikely to change the course of the illness.',
  'Aware of the diagnosis and prognosis; wants honest conversations and to be involved in decisions.',
  'Family understand the plan and agree with it; the person has asked that they are told of any change.',
];
const MOST_VALUE = [
  'Being at home with my family and my cat.',
  'Staying independent for as long as I can, and my faith.',
  'Time with my grandchildren; being comfortable and not in pain.',
  'Music, my routines, and the people who know me well.',
  'Getting back to work and looking after my children.',
];
const MOST_FEAR = [
  'Dying in hospital, alone.',
  'Being kept alive on machines.',
  'Pain that is not controlled, and being a burden.',
  'Being taken to a place I do not know, without my family.',
  'Long waits in A&E when I am in crisis.',
];

function guidanceFor(focus: string, pathways: readonly SyntheticPathway[], random: SeededRandom): string {
  if (pathways.includes('sickle-cell')) {
    return random.pick([
      'In a painful crisis give strong opioid analgesia within 30 minutes of arrival, oxygen if saturations below 95%, IV fluids; escalate to critical care if acute chest syndrome suspected.',
      'Treat as sickle cell crisis: rapid analgesia per individual protocol, warm, hydrate; contact the haemoglobinopathy team; full escalation appropriate.',
    ]);
  }
  if (focus === 'Prioritise comfort') {
    return random.pick([
      'Treat reversible causes at home where possible (e.g. oral antibiotics). Avoid hospital admission unless symptoms cannot be controlled at home. Not for ventilation.',
      'Symptom control only: use anticipatory medicines in the home. Transfer to hospice rather than hospital if care at home becomes impossible.',
      'Comfort-focused care in the care home; ward-based care only if needed for comfort (e.g. fractured hip).',
    ]);
  }
  return random.pick([
    'For full active treatment including hospital admission; discuss with the family before intensive care.',
    'Admit to hospital for treatable conditions; for non-invasive ventilation but not intubation.',
    'Ward-based treatment appropriate; not for intensive care. IV antibiotics and fluids appropriate.',
  ]);
}

const EOL = 'end_of_life_patient_preferences/legal_information:0';

const PLACES = [
  { care: ['at0006', 'Preferred place of care - home'], death: ['at0016', 'Preferred place of death: home'] },
  { care: ['at0007', 'Preferred place of care - hospice'], death: ['at0017', 'Preferred place of death: hospice'] },
  { care: ['at0010', 'Preferred place of care - nursing home'], death: ['at0020', 'Preferred place of death: nursing home'] },
  { care: ['at0009', 'Preferred place of care - hospital'], death: ['at0019', 'Preferred place of death: hospital'] },
] as const;

function preferencesModule(input: { cprRecommended: boolean; decided: string; random: SeededRandom }): Flat {
  const { random } = input;
  // Home is what most people choose; hospice next.
  const place = random.chance(0.55) ? PLACES[0] : random.pick(PLACES);
  const flat: Flat = {
    [`${EOL}/preferred_priorities_of_care:0/preferred_place_of_care:0|code`]: place.care[0],
    [`${EOL}/preferred_priorities_of_care:0/preferred_place_of_care:0|value`]: place.care[1],
    [`${EOL}/preferred_priorities_of_care:0/preferred_place_of_death:0|code`]: place.death[0],
    [`${EOL}/preferred_priorities_of_care:0/preferred_place_of_death:0|value`]: place.death[1],
    [`${EOL}/cpr_decision/cpr_decision|code`]: input.cprRecommended ? 'at0004' : 'at0005',
    [`${EOL}/cpr_decision/cpr_decision|value`]: input.cprRecommended
      ? 'For attempted cardio-pulmonary resuscitation'
      : 'Not for attempted cardiopulmonary resuscitation',
    [`${EOL}/cpr_decision/date_of_cpr_decision`]: input.decided,
    [`${EOL}/cpr_decision/informal_carer_awareness_of_decision|code`]: random.chance(0.85) ? 'at0026' : 'at0025',
    [`${EOL}/cpr_decision/informal_carer_awareness_of_decision|value`]: '',
    [`${EOL}/cpr_decision/location_of_cpr_documentation/text_value`]: random.pick([
      'Original ReSPECT form at home, in the kitchen drawer',
      'On the fridge door',
      'In the care home office file',
      'Held by the GP practice; copy at home',
    ]),
  };
  flat[`${EOL}/cpr_decision/informal_carer_awareness_of_decision|value`] =
    flat[`${EOL}/cpr_decision/informal_carer_awareness_of_decision|code`] === 'at0026'
      ? 'Informal carer aware of CPR decision'
      : 'Informal carer not aware of CPR decision';
  if (random.chance(0.3)) {
    flat[`${EOL}/preferred_priorities_of_care:0/comment`] = random.pick([
      'Would like the parish priest called when dying.',
      'Wants the family present; dog to stay at home.',
      'Prefers female carers for personal care.',
    ]);
  }
  if (!input.cprRecommended && random.chance(0.2)) {
    Object.assign(flat, {
      [`${EOL}/advance_decision_to_refuse_treatment/decision_status|code`]: 'at0022',
      [`${EOL}/advance_decision_to_refuse_treatment/decision_status|value`]:
        'Has advance decision to refuse life sustaining treatment (Mental Capacity Act 2005)',
      [`${EOL}/advance_decision_to_refuse_treatment/date_of_decision`]: input.decided,
      [`${EOL}/advance_decision_to_refuse_treatment/comment`]:
        'Refuses mechanical ventilation and artificial nutrition even if life is at risk; signed and witnessed.',
    });
  }
  return flat;
}

function contactsModule(contacts: readonly Contact[], random: SeededRandom): Flat {
  const flat: Flat = {};
  contacts.forEach((contact, index) => {
    const prefix = `relevant_contacts_list/relevant_contacts/relevant_contact:${index}`;
    flat[`${prefix}/individual_person/person_name/unstructured_name`] = contact.name;
    flat[`${prefix}/individual_person/contact_details:0/comms_description`] = contact.phone;
    flat[`${prefix}/relationship_role`] = contact.relationship;
    // The template records next of kin only as a fact that holds (true); otherwise it is left out.
    if (contact.nextOfKin) flat[`${prefix}/is_next_of_kin`] = true;
    if (random.chance(0.4))
      flat[`${prefix}/note`] = random.pick([
        'Call any time, day or night.',
        'Works nights: mobile best after 2 pm.',
        'Holds a key to the property.',
        'Has lasting power of attorney for health and welfare.',
      ]);
  });
  return flat;
}

const ALLERGENS = [
  { agent: 'Penicillin', manifestation: 'Widespread urticarial rash', severity: ['at0092', 'Moderate'] },
  { agent: 'Codeine', manifestation: 'Severe nausea and vomiting', severity: ['at0093', 'Mild'] },
  { agent: 'Latex', manifestation: 'Contact dermatitis', severity: ['at0093', 'Mild'] },
  { agent: 'Ibuprofen', manifestation: 'Bronchospasm', severity: ['at0090', 'Severe'] },
  { agent: 'Trimethoprim', manifestation: 'Rash', severity: ['at0093', 'Mild'] },
  { agent: 'Peanut', manifestation: 'Anaphylaxis', severity: ['at0090', 'Severe'] },
] as const;

function allergiesModule(random: SeededRandom, recorded: string): Flat {
  const list = 'adverse_reaction_list/allergies_and_adverse_reactions';
  if (random.chance(0.6)) {
    return {
      [`${list}/empty_list_info/exclusion_-_global/global_exclusion_of_adverse_reactions`]: 'No known allergies or adverse reactions',
    };
  }
  const flat: Flat = {};
  const count = random.chance(0.8) ? 1 : 2;
  const chosen = new Set<number>();
  while (chosen.size < count) chosen.add(random.integer(0, ALLERGENS.length - 1));
  [...chosen].forEach((allergenIndex, index) => {
    const allergen = ALLERGENS[allergenIndex];
    if (!allergen) return;
    const prefix = `${list}/adverse_reaction_risk:${index}`;
    const severe = allergen.severity[0] === 'at0090';
    Object.assign(flat, {
      [`${prefix}/causative_agent`]: allergen.agent,
      [`${prefix}/status|code`]: 'at0065',
      [`${prefix}/status|value`]: 'Confirmed',
      [`${prefix}/criticality|code`]: severe ? 'at0103' : 'at0102',
      [`${prefix}/criticality|value`]: severe ? 'High' : 'Low',
      [`${prefix}/reaction_event:0/manifestation:0`]: allergen.manifestation,
      [`${prefix}/reaction_event:0/severity|code`]: allergen.severity[0],
      [`${prefix}/reaction_event:0/severity|value`]: allergen.severity[1],
      [`${prefix}/last_updated`]: recorded,
    });
  });
  return flat;
}

const CONDITIONS: Record<'end-of-life' | SyntheticPathway, readonly string[]> = {
  'end-of-life': [
    'Metastatic non-small cell lung cancer',
    'Heart failure (NYHA class IV)',
    'Chronic obstructive pulmonary disease, severe',
    'Metastatic carcinoma of pancreas',
    'Motor neurone disease',
    'End-stage renal disease, not for dialysis',
    'Alzheimer disease, advanced',
    'Metastatic breast cancer',
  ],
  'sickle-cell': [
    'Sickle cell anaemia (HbSS)',
    'History of acute chest syndrome',
    'Avascular necrosis of femoral head',
    'Functional hyposplenism',
  ],
  frailty: [
    'Severe frailty (Clinical Frailty Scale 7)',
    'Recurrent falls',
    'Chronic kidney disease stage 3b',
    'Osteoarthritis of both knees',
    'Vascular dementia, moderate',
  ],
  'learning-disability-autism': [
    'Moderate learning disability',
    'Autism spectrum disorder',
    'Epilepsy (generalised tonic-clonic seizures)',
    'Oropharyngeal dysphagia',
  ],
};

function problemsModule(pathways: readonly SyntheticPathway[], age: number, random: SeededRandom, today: string): Flat {
  const conditions: string[] = [];
  // The core plan's reason: a life-limiting illness for most older people on it.
  if (age >= 60 || pathways.length === 0) conditions.push(random.pick(CONDITIONS['end-of-life']));
  for (const pathway of pathways) {
    const pool = CONDITIONS[pathway];
    conditions.push(pool[0] ?? '', ...(random.chance(0.6) ? [random.pick(pool.slice(1))] : []));
  }
  const flat: Flat = {};
  [...new Set(conditions.filter(Boolean))].forEach((condition, index) => {
    const prefix = `problem_list/problems_and_issues:0/problem_diagnosis:${index}`;
    flat[`${prefix}/problem_diagnosis_name`] = condition;
    flat[`${prefix}/date_time_clinically_recognised`] = dateTime(addDays(today, -random.integer(90, 3650)), random);
    if (random.chance(0.3))
      flat[`${prefix}/clinical_description`] = random.pick([
        'Under the community palliative care team.',
        'Stable on current treatment; reviewed in clinic every 3 months.',
        'Deteriorating over the last 6 months.',
      ]);
  });
  return flat;
}

const MEDICINES: Record<'end-of-life' | SyntheticPathway, readonly { item: string; dose: string; route: string }[]> = {
  'end-of-life': [
    {
      item: 'Morphine sulfate 10 mg/5 mL oral solution',
      dose: '2.5–5 mg every 2–4 hours when required for pain or breathlessness',
      route: 'Oral',
    },
    {
      item: 'Midazolam 10 mg/2 mL injection (anticipatory)',
      dose: '2.5–5 mg subcutaneously when required for agitation',
      route: 'Subcutaneous',
    },
    {
      item: 'Levomepromazine 25 mg/mL injection (anticipatory)',
      dose: '2.5–5 mg subcutaneously when required for nausea',
      route: 'Subcutaneous',
    },
    {
      item: 'Glycopyrronium 200 micrograms/mL injection (anticipatory)',
      dose: '200 micrograms subcutaneously when required for secretions',
      route: 'Subcutaneous',
    },
    { item: 'Paracetamol 500 mg tablets', dose: '1 g four times a day', route: 'Oral' },
    { item: 'Furosemide 40 mg tablets', dose: '40 mg in the morning', route: 'Oral' },
  ],
  'sickle-cell': [
    { item: 'Hydroxycarbamide 500 mg capsules', dose: '1 g once a day', route: 'Oral' },
    { item: 'Folic acid 5 mg tablets', dose: '5 mg once a day', route: 'Oral' },
    { item: 'Phenoxymethylpenicillin 250 mg tablets', dose: '250 mg twice a day (prophylaxis)', route: 'Oral' },
  ],
  frailty: [
    { item: 'Apixaban 2.5 mg tablets', dose: '2.5 mg twice a day', route: 'Oral' },
    { item: 'Bisoprolol 2.5 mg tablets', dose: '2.5 mg once a day', route: 'Oral' },
    { item: 'Colecalciferol 800 unit capsules', dose: 'One capsule once a day', route: 'Oral' },
  ],
  'learning-disability-autism': [
    { item: 'Sodium valproate 500 mg modified-release tablets', dose: '500 mg twice a day', route: 'Oral' },
    {
      item: 'Midazolam 10 mg/mL oromucosal solution',
      dose: '10 mg into the buccal cavity for a seizure lasting over 5 minutes',
      route: 'Buccal',
    },
  ],
};

function medicationsModule(pathways: readonly SyntheticPathway[], random: SeededRandom, today: string): Flat {
  const chosen = [
    random.pick(MEDICINES['end-of-life']),
    random.pick(MEDICINES['end-of-life']),
    ...pathways.map((pathway) => random.pick(MEDICINES[pathway])),
  ];
  const flat: Flat = {};
  [...new Set(chosen)].forEach((medicine, index) => {
    const instruction = `medication_statement_list/medication_and_medical_devices/medication_order:${index}`;
    const prefix = `${instruction}/order:0`;
    flat[`${instruction}/narrative`] = `${medicine.item}: ${medicine.dose}`;
    flat[`${prefix}/medication_item`] = medicine.item;
    flat[`${prefix}/route`] = medicine.route;
    flat[`${prefix}/dose_amount_description`] = medicine.dose;
    flat[`${prefix}/order_details/order_start_date_time`] = dateTime(addDays(today, -random.integer(14, 700)), random);
    flat[`${prefix}/order_details/order_summary/course_status|code`] = 'at0021';
    flat[`${prefix}/order_details/order_summary/course_status|value`] = 'Active';
  });
  return flat;
}

function aboutMeModule(person: SyntheticPerson, age: number, pathways: readonly SyntheticPathway[], random: SeededRandom): Flat {
  const careHome = age >= 80 && random.chance(0.3);
  const living = careHome ? 'Lives in a care home' : random.pick(['Lives alone', 'Lives with others', 'Lives with others']);
  const flat: Flat = {
    'about_me/what_matters_to_me/what_matters_to_me_day_to_day': random.pick(MOST_VALUE),
    'about_me/what_matters_to_me/what_i_would_want_to_happen_in_a_crisis': random.pick([
      'Call my daughter first, then my GP. I do not want to go to hospital unless there is no other way.',
      'Take me to the hospital that knows me; bring my hospital passport.',
      'Keep me at home if you can and call the hospice nurses.',
    ]),
    'about_me/living_arrangement/living_arrangement': living,
    'about_me/access_to_the_home/key_safe': !careHome && random.chance(0.6),
  };
  if (flat['about_me/access_to_the_home/key_safe'] === true) {
    flat['about_me/access_to_the_home/key_safe_location'] = random.pick([
      'Left of the front door',
      'Behind the side gate',
      'Beside the meter cupboard',
    ]);
    flat['about_me/access_to_the_home/access_instructions'] =
      `Key safe at ${person.postcode.split(' ')[0] ?? 'the'} address; code from the ambulance control room or the GP practice.`;
  }
  if (pathways.includes('learning-disability-autism')) {
    flat['about_me/communication_capability/communication_needs'] = random.pick([
      'Uses Makaton and a picture board; speak slowly, one question at a time.',
      'Non-verbal; shows pain by rocking and holding his ear. Mum knows his signs best.',
      'Finds noise and bright lights distressing: a quiet room and ear defenders help.',
    ]);
  } else if (random.chance(0.25)) {
    flat['about_me/communication_capability/communication_needs'] = random.pick([
      'Hard of hearing: hearing aids in both ears.',
      'Needs a Bengali interpreter.',
      'Needs a Polish interpreter for anything complicated.',
      'Registered blind.',
    ]);
  }
  if (random.chance(0.3))
    flat['about_me/what_matters_to_me/cultural_religious_and_spiritual_needs'] = random.pick([
      'Muslim: would like the imam called; same-gender carers.',
      'Catholic: would like the last rites.',
      'Hindu: family will wish to be present to perform rites.',
      'No religious needs.',
    ]);
  const wishes = random.pick([
    ['at0003', 'Wishes to donate'],
    ['at0004', 'Does not wish to donate'],
    ['at0005', 'Undecided'],
    ['at0006', 'Not discussed'],
  ] as const);
  flat['about_me/organ_and_tissue_donation/wishes|code'] = wishes[0];
  flat['about_me/organ_and_tissue_donation/wishes|value'] = wishes[1];
  return flat;
}

// ------------------------------------------------------------------ pathway sections

const SCD = 'sickle_cell_crisis_plan';

function sickleCellModule(random: SeededRandom, decided: string): Flat {
  const genotype = random.pick(['HbSS', 'HbSS', 'HbSC', 'HbS/beta zero thalassaemia']);
  const analgesia = random.pick([
    ['Morphine sulfate', '10 mg, repeat every 20 minutes up to 3 doses'],
    ['Oxycodone', '10 mg, then as per protocol'],
    ['Intranasal diamorphine', '0.1 mg/kg'],
  ] as const);
  return {
    [`${SCD}/sickle_cell_baseline/genotype`]: genotype,
    [`${SCD}/sickle_cell_baseline/baseline_haemoglobin|magnitude`]: random.integer(65, 105),
    [`${SCD}/sickle_cell_baseline/baseline_haemoglobin|unit`]: 'g/L',
    [`${SCD}/sickle_cell_baseline/baseline_oxygen_saturation|magnitude`]: random.integer(92, 98),
    [`${SCD}/sickle_cell_baseline/baseline_oxygen_saturation|unit`]: '%',
    [`${SCD}/sickle_cell_baseline/date_of_baseline_values`]: decided.slice(0, 10),
    [`${SCD}/sickle_cell_baseline/known_crisis_triggers:0`]: random.pick(['Cold weather', 'Dehydration', 'Infection', 'Stress']),
    [`${SCD}/sickle_cell_baseline/usual_crisis_pattern`]: random.pick([
      'Pain in the lower back and legs, building over a few hours.',
      'Chest and rib pain; has had acute chest syndrome twice.',
    ]),
    [`${SCD}/sickle_cell_crisis_plan/time_to_first_analgesia`]: 'PT30M',
    [`${SCD}/sickle_cell_crisis_plan/preferred_first-line_analgesia:0/medicine`]: analgesia[0],
    [`${SCD}/sickle_cell_crisis_plan/preferred_first-line_analgesia:0/dose`]: analgesia[1],
    [`${SCD}/sickle_cell_crisis_plan/preferred_first-line_analgesia:0/route|code`]: 'at0007',
    [`${SCD}/sickle_cell_crisis_plan/preferred_first-line_analgesia:0/route|value`]: 'Oral',
    [`${SCD}/sickle_cell_crisis_plan/analgesics_to_avoid:0`]: random.pick(['Pethidine', 'Codeine (no effect)']),
    [`${SCD}/sickle_cell_crisis_plan/fluids`]: 'Oral fluids 3 litres a day; IV fluids if unable to drink.',
    [`${SCD}/sickle_cell_crisis_plan/oxygen`]: 'Oxygen only if saturations fall below baseline.',
    [`${SCD}/sickle_cell_crisis_plan/transfusion_considerations`]: 'Discuss with the haematology team before any transfusion.',
    [`${SCD}/sickle_cell_crisis_plan/extended_phenotype-matched_blood_needed`]: true,
    [`${SCD}/sickle_cell_crisis_plan/when_to_escalate`]:
      'Chest pain, breathlessness, falling saturations, fever or priapism: call the haematology team and consider critical care.',
    [`${SCD}/haematology_centre/care_team/haematology_contact:0/role`]: 'Haemoglobinopathy clinical nurse specialist',
    [`${SCD}/haematology_centre/care_team/haematology_contact:0/professional/name`]: 'Haemoglobinopathy team',
    [`${SCD}/haematology_centre/care_team/haematology_contact:0/professional/telephone:0/number`]: '020 7946 0300',
    [`${SCD}/haematology_centre/care_team/haematology_contact:0/professional/telephone:0/purpose`]: 'Day unit, 9am to 5pm',
    [`${SCD}/haematology_centre/care_team/haematology_contact:0/professional/organisation/name`]: 'Demo University Hospital',
  };
}

const FRAILTY_LEVELS = [
  ['at0016', 'Living with moderate frailty', 6],
  ['at0017', 'Living with severe frailty', 7],
  ['at0018', 'Living with very severe frailty', 8],
] as const;

function frailtyModule(random: SeededRandom, decided: string): Flat {
  const level = random.pick(FRAILTY_LEVELS);
  const falls = random.integer(0, 4);
  return {
    'frailty/clinical_frailty_scale/any_event:0/clinical_frailty_scale_level|code': level[0],
    'frailty/clinical_frailty_scale/any_event:0/clinical_frailty_scale_level|value': level[1],
    'frailty/clinical_frailty_scale/any_event:0/clinical_frailty_scale_level|ordinal': level[2],
    'frailty/clinical_frailty_scale/any_event:0/time': `${decided.slice(0, 10)}T10:00:00Z`,
    'frailty/falls_history/falls_in_the_last_12_months': falls,
    'frailty/falls_history/falls_alarm': random.chance(0.6),
    'frailty/mobility/activity_name': 'Mobility',
    'frailty/mobility/how_i_move_about': random.pick([
      'Walks indoors with a frame; wheelchair outside.',
      'Walks short distances with a stick.',
      'Transfers bed to chair with help; does not walk.',
    ]),
    'frailty/frailty_response_plan/if_fallen_but_uninjured':
      'Help up with a lifting cushion; no need to take to hospital if uninjured and able to weight-bear.',
    'frailty/frailty_response_plan/preferred_response|code': 'at0010',
    'frailty/frailty_response_plan/preferred_response|value': 'Stay at home with community support',
  };
}

function learningDisabilityModule(random: SeededRandom): Flat {
  return {
    'learning_disability_and_autism/how_to_communicate_with_me/communication_needs': random.pick([
      'Uses Makaton and a picture board.',
      'Understands short sentences; may repeat the last words said to him.',
    ]),
    'learning_disability_and_autism/how_to_communicate_with_me/how_to_communicate_with_me':
      'Speak slowly, one question at a time, and give me time to answer. Show me what you are going to do before you do it.',
    'learning_disability_and_autism/reasonable_adjustments/adjustment:0|code': 'at0003',
    'learning_disability_and_autism/reasonable_adjustments/adjustment:0|value': 'Carer or supporter to stay with me',
    'learning_disability_and_autism/reasonable_adjustments/hospital_passport': true,
  };
}

// ------------------------------------------------------------------ dates

function ageOn(birthDate: string, today: string): number {
  const [by = 0, bm = 0, bd = 0] = birthDate.split('-').map(Number);
  const [ty = 0, tm = 0, td = 0] = today.split('-').map(Number);
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

function minDate(...dates: string[]): string {
  return dates.reduce((earliest, date) => (date < earliest ? date : earliest));
}

function maxDate(...dates: string[]): string {
  return dates.reduce((latest, date) => (date > latest ? date : latest));
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** A time in working hours on `date`, as clinicians record decisions. */
function dateTime(date: string, random: SeededRandom): string {
  return `${date}T${String(random.integer(8, 17)).padStart(2, '0')}:${String(random.integer(0, 59)).padStart(2, '0')}:00Z`;
}
