/**
 * The two dialects of the web template format found in the answer keys. Both describe the same
 * tree; they differ in how they present RM attributes the template does not archetype (name case,
 * min, order), whether unnamed template objects get a name, and a few extras (dependsOn, root path).
 *
 * - `ehrbase`: the dialect of EHRbase and its SDK (keys test_all_types.json and
 *   GECCO_Serologischer_Befund_wt.json); FLAT paths of the SDK's example compositions use it.
 * - `ehrscape`: the older EhrScape dialect (key multi_occurrence.json).
 */
export type WebTemplateFlavour = 'ehrbase' | 'ehrscape';

/** How an RM attribute the template may or may not constrain appears in the web template. */
export interface RmAttributeSpec {
  readonly attribute: string;
  readonly rmType: string;
  /** min/max of the node when the template does not constrain the attribute. */
  readonly min: number;
  readonly max: number;
  readonly inContext: boolean;
  /** Attributes whose node is not simply "the constraint, or a default node of rmType". */
  readonly special?: 'ism_transition' | 'instruction_details';
}

export interface WebTemplateConventions {
  readonly flavour: WebTemplateFlavour;
  /** RM attributes placed before the template's own attributes. */
  leading(rmType: string): readonly RmAttributeSpec[];
  /** RM attributes placed after the template's own attributes. */
  trailing(rmType: string): readonly RmAttributeSpec[];
  /** Display name of an RM attribute node. */
  rmAttributeName(attribute: string): string;
  /** Template objects without a node id: named after their attribute, or shown with nodeId "" and no name. */
  readonly unnamedObjects: 'attribute-name' | 'empty-node-id';
  /** Whether the root node carries aqlPath "". */
  readonly rootAqlPath: boolean;
  /** Whether state and protocol nodes list the data nodes they depend on. */
  readonly dependsOn: boolean;
  /** Whether coded lists of local codes leave out terminology "local". */
  readonly omitLocalTerminology: boolean;
}

const spec = (attribute: string, rmType: string, min: number, inContext = true, special?: RmAttributeSpec['special']): RmAttributeSpec => ({
  attribute,
  rmType,
  min,
  max: 1,
  inContext,
  ...(special !== undefined ? { special } : {}),
});

const EVENT_TYPES: ReadonlySet<string> = new Set(['EVENT', 'POINT_EVENT', 'INTERVAL_EVENT']);
const CARE_ENTRY_TYPES: ReadonlySet<string> = new Set(['OBSERVATION', 'EVALUATION', 'ADMIN_ENTRY', 'GENERIC_ENTRY']);

const EHRBASE: WebTemplateConventions = {
  flavour: 'ehrbase',
  leading(rmType) {
    return rmType === 'COMPOSITION' ? [spec('category', 'DV_CODED_TEXT', 1), spec('context', 'EVENT_CONTEXT', 0, false)] : [];
  },
  trailing(rmType) {
    const subject = spec('subject', 'PARTY_PROXY', 1);
    const language = spec('language', 'CODE_PHRASE', 1);
    const encoding = spec('encoding', 'CODE_PHRASE', 1);
    if (rmType === 'COMPOSITION') return [spec('composer', 'PARTY_PROXY', 1), language, spec('territory', 'CODE_PHRASE', 1)];
    if (rmType === 'EVENT_CONTEXT') return [spec('start_time', 'DV_DATE_TIME', 1), spec('setting', 'DV_CODED_TEXT', 1)];
    if (CARE_ENTRY_TYPES.has(rmType)) return [subject, language, encoding];
    if (rmType === 'INSTRUCTION') {
      return [subject, spec('narrative', 'DV_TEXT', 1), language, encoding, spec('expiry_time', 'DV_DATE_TIME', 0, false)];
    }
    if (rmType === 'ACTION') {
      return [
        subject,
        language,
        encoding,
        spec('instruction_details', 'INSTRUCTION_DETAILS', 1, false, 'instruction_details'),
        spec('time', 'DV_DATE_TIME', 1),
        spec('ism_transition', 'ISM_TRANSITION', 1, true, 'ism_transition'),
      ];
    }
    if (rmType === 'ACTIVITY') return [spec('timing', 'DV_PARSABLE', 0), spec('action_archetype_id', 'STRING', 1)];
    return eventAttributes(rmType, 1);
  },
  rmAttributeName: (attribute) => attribute,
  unnamedObjects: 'attribute-name',
  rootAqlPath: false,
  dependsOn: false,
  omitLocalTerminology: false,
};

const EHRSCAPE: WebTemplateConventions = {
  flavour: 'ehrscape',
  leading(rmType) {
    return rmType === 'COMPOSITION' ? [spec('context', 'EVENT_CONTEXT', 0, false)] : [];
  },
  trailing(rmType) {
    const subject = spec('subject', 'PARTY_PROXY', 0);
    const language = spec('language', 'CODE_PHRASE', 0);
    const encoding = spec('encoding', 'CODE_PHRASE', 0);
    if (rmType === 'COMPOSITION') {
      return [spec('category', 'DV_CODED_TEXT', 0), language, spec('territory', 'CODE_PHRASE', 0), spec('composer', 'PARTY_PROXY', 0)];
    }
    if (rmType === 'EVENT_CONTEXT') return [spec('start_time', 'DV_DATE_TIME', 0), spec('setting', 'DV_CODED_TEXT', 0)];
    if (CARE_ENTRY_TYPES.has(rmType)) return [language, encoding, subject];
    if (rmType === 'INSTRUCTION')
      return [language, encoding, subject, spec('narrative', 'DV_TEXT', 0), spec('expiry_time', 'DV_DATE_TIME', 0, false)];
    if (rmType === 'ACTION') {
      return [
        language,
        encoding,
        subject,
        spec('time', 'DV_DATE_TIME', 0),
        spec('ism_transition', 'ISM_TRANSITION', 0, true, 'ism_transition'),
      ];
    }
    if (rmType === 'ACTIVITY') return [spec('timing', 'DV_PARSABLE', 0), spec('action_archetype_id', 'STRING', 0)];
    return eventAttributes(rmType, 0);
  },
  rmAttributeName: (attribute) => attribute.charAt(0).toUpperCase() + attribute.slice(1),
  unnamedObjects: 'empty-node-id',
  rootAqlPath: true,
  dependsOn: true,
  omitLocalTerminology: true,
};

function eventAttributes(rmType: string, min: number): readonly RmAttributeSpec[] {
  if (!EVENT_TYPES.has(rmType)) return [];
  const time = spec('time', 'DV_DATE_TIME', min);
  if (rmType !== 'INTERVAL_EVENT') return [time];
  return [spec('width', 'DV_DURATION', min), spec('math_function', 'DV_CODED_TEXT', min), time];
}

export function webTemplateConventions(flavour: WebTemplateFlavour): WebTemplateConventions {
  return flavour === 'ehrscape' ? EHRSCAPE : EHRBASE;
}

export function isEventType(rmType: string): boolean {
  return EVENT_TYPES.has(rmType);
}
