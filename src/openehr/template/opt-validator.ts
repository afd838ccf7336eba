import { findByArchetypePath } from './archetype-path.js';
import type { ArchetypeTerm, CArchetypeRoot, CAttribute, CObject, Interval, OperationalTemplate } from './opt-model.js';

const ARCHETYPE_ID =
  /^[A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z][A-Za-z0-9_]*){2}\.[A-Za-z][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*\.v[0-9]+(?:\.[0-9]+)*(?:-[A-Za-z0-9.+-]+)?$/;
const NODE_ID = /^(?:at[0-9]{4}(?:\.[0-9]+)*|id[0-9]+(?:\.[0-9]+)*)$/;
const LOCAL_CODE = /^at[0-9]{4}(?:\.[0-9]+)*$/;

/**
 * Semantic checks of a parsed operational template, beyond what the XML schema enforces: every
 * archetype id well formed and matching its RM type, node ids well formed and defined in their
 * archetype's terminology, local codes defined, intervals ordered, existence within 0..1, single
 * attributes holding at most one object per alternative, internal references resolvable. Returns
 * one message per problem (with the template path), empty when the template is sound.
 */
export function validateOperationalTemplate(template: OperationalTemplate): string[] {
  const messages: string[] = [];
  if (template.templateId.trim() === '') messages.push('template_id is empty');
  if (template.concept.trim() === '') messages.push('concept is empty');
  if (template.language.codeString.trim() === '') messages.push('the template language has no code');
  const language = template.language.codeString;
  const visit = (object: CObject, path: string, archetype: CArchetypeRoot, parent: CAttribute | undefined): void => {
    const here = object.type === 'C_ARCHETYPE_ROOT' ? object : archetype;
    const term = (code: string): ArchetypeTerm | undefined =>
      here.termDefinitions[language]?.[code] ?? template.ontologies[here.archetypeId]?.termDefinitions[language]?.[code];
    checkInterval(object.occurrences, `${path}: occurrences`, messages, { min: 0 });
    if (parent?.type === 'C_SINGLE_ATTRIBUTE' && (object.occurrences.upperUnbounded || (object.occurrences.upper ?? 0) > 1)) {
      messages.push(`${path}: an object of the single attribute ${parent.rmAttributeName} may occur at most once`);
    }
    if (object.type === 'C_ARCHETYPE_ROOT') {
      if (!ARCHETYPE_ID.test(object.archetypeId)) messages.push(`${path}: "${object.archetypeId}" is not a valid archetype id`);
      const rmClass = object.archetypeId.split('.')[0]?.split('-')[2];
      if (rmClass !== undefined && rmClass !== object.rmTypeName) {
        messages.push(`${path}: archetype ${object.archetypeId} is for ${rmClass}, but the object's RM type is ${object.rmTypeName}`);
      }
    }
    if (object.nodeId !== '' && !NODE_ID.test(object.nodeId)) messages.push(`${path}: "${object.nodeId}" is not a valid node id`);
    if (object.type === 'C_COMPLEX_OBJECT' && LOCAL_CODE.test(object.nodeId) && term(object.nodeId) === undefined) {
      messages.push(`${path}: node ${object.nodeId} has no term definition in ${here.archetypeId}`);
    }
    switch (object.type) {
      case 'C_COMPLEX_OBJECT':
      case 'C_ARCHETYPE_ROOT':
        for (const attribute of object.attributes) {
          const attributePath = `${path}/${attribute.rmAttributeName}`;
          checkInterval(attribute.existence, `${attributePath}: existence`, messages, { min: 0, max: 1 });
          if (attribute.cardinality !== undefined)
            checkInterval(attribute.cardinality.interval, `${attributePath}: cardinality`, messages, { min: 0 });
          for (const child of attribute.children) {
            const id = child.type === 'C_ARCHETYPE_ROOT' ? child.archetypeId : child.nodeId;
            visit(child, `${attributePath}${id === '' ? '' : `[${id}]`}`, here, attribute);
          }
        }
        break;
      case 'C_CODE_PHRASE':
      case 'C_CODE_REFERENCE':
        if (object.terminologyId === 'local') {
          for (const code of object.codeList)
            if (term(code) === undefined) messages.push(`${path}: local code ${code} has no term definition in ${here.archetypeId}`);
        }
        break;
      case 'C_DV_ORDINAL': {
        const values = new Set<number>();
        for (const ordinal of object.list) {
          if (values.has(ordinal.value)) messages.push(`${path}: ordinal value ${ordinal.value} is used twice`);
          values.add(ordinal.value);
          if (ordinal.symbol.terminologyId === 'local' && term(ordinal.symbol.codeString) === undefined) {
            messages.push(`${path}: ordinal symbol ${ordinal.symbol.codeString} has no term definition in ${here.archetypeId}`);
          }
        }
        break;
      }
      case 'C_DV_QUANTITY':
        for (const item of object.list) {
          if (item.units.trim() === '') messages.push(`${path}: a quantity constraint has empty units`);
          if (item.magnitude !== undefined) checkInterval(item.magnitude, `${path}: magnitude of ${item.units}`, messages, {});
          if (item.precision !== undefined) checkInterval(item.precision, `${path}: precision of ${item.units}`, messages, { min: -1 });
        }
        break;
      case 'C_PRIMITIVE_OBJECT':
        if ((object.item.type === 'C_INTEGER' || object.item.type === 'C_REAL') && object.item.range !== undefined) {
          checkInterval(object.item.range, `${path}: range`, messages, {});
        }
        break;
      case 'ARCHETYPE_INTERNAL_REF':
        if (findByArchetypePath(here, object.targetPath) === undefined)
          messages.push(`${path}: internal reference to ${object.targetPath} does not resolve in ${here.archetypeId}`);
        break;
      default:
        break;
    }
  };
  visit(template.definition, `[${template.definition.archetypeId}]`, template.definition, undefined);
  return messages;
}

function checkInterval(interval: Interval<number>, what: string, messages: string[], limits: { min?: number; max?: number }): void {
  const { lower, upper } = interval;
  if (lower !== undefined && upper !== undefined && lower > upper) messages.push(`${what} has lower ${lower} above upper ${upper}`);
  if (limits.min !== undefined && lower !== undefined && lower < limits.min)
    messages.push(`${what} has lower ${lower} below ${limits.min}`);
  if (limits.max !== undefined && (interval.upperUnbounded || (upper !== undefined && upper > limits.max))) {
    messages.push(`${what} allows more than ${limits.max}`);
  }
}
