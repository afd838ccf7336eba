/**
 * Validation of canonical JSON compositions against one compiled operational template. The walk
 * follows the data, matching every object to the constraint node the template defines for it, so
 * its cost grows with the composition, not with the template.
 */
import { getRmAttribute, getRmClass, isRmClass, isSubtypeOf, rmBaseTypeName } from '../rm/rm-info.js';
import { checkRmStructure } from '../rm/rm-structure-check.js';
import type { OperationalTemplate } from '../template/opt-model.js';
import { checkCodePhrase, readCodePhrase } from './code-phrase-check.js';
import type { CompiledAttribute, CompiledNode, CompiledTemplate } from './compiled-template.js';
import { compileTemplate } from './compiled-template.js';
import type { ConstraintProblem } from './constraint-problem.js';

import { interval } from './interval.js';
import { checkOrdinal } from './ordinal-check.js';
import { checkPrimitive } from './primitive-constraint.js';
import { checkQuantity } from './quantity-check.js';
import { checkRmInvariants } from './rm-invariants.js';
import { rmIssueConstraint } from './rm-issue-constraint.js';
import { checkSlot } from './slot-check.js';
import type { ValidationIssue } from './validation-issue.js';
import type { ValidationOptions } from './validation-options.js';
import { validationPath } from './validation-path.js';
import { isJsonObject, type JsonObject } from '../../shared/json.js';

export interface TemplateValidator {
  readonly templateId: string;
  /** Every issue of the composition; an empty array means it is valid. Never throws on bad data. */
  validate(composition: unknown, options?: ValidationOptions): ValidationIssue[];
}

const { join, segment, countNodeIds, nodeIdOf } = validationPath;

const ARCHETYPE_ID = /^[A-Za-z][\w-]*-[\w-]+-[A-Za-z_]+\.[\w-]+\.v\d+/;

function effective(node: CompiledNode): CompiledNode {
  return node.target ?? node;
}

function conforms(type: string, constraintType: string): boolean {
  return !isRmClass(constraintType) || isSubtypeOf(type, constraintType);
}

function isDataNode(node: CompiledNode): boolean {
  return node.constraint.type !== 'C_PRIMITIVE_OBJECT';
}

function stringAt(value: unknown, ...keys: string[]): string | undefined {
  let current = value;
  for (const key of keys) {
    if (!isJsonObject(current)) return undefined;
    current = current[key];
  }
  return typeof current === 'string' ? current : undefined;
}

/** The C_STRING list a node's name is constrained to, for messages. */
function nameList(node: CompiledNode): readonly string[] {
  const names: string[] = [];
  for (const alternative of effective(node).attributes.get('name')?.children ?? []) {
    for (const child of alternative.attributes.get('value')?.children ?? []) {
      if (child.constraint.type === 'C_PRIMITIVE_OBJECT' && child.constraint.item.type === 'C_STRING')
        names.push(...child.constraint.item.list);
    }
  }
  return names;
}

function hasNameConstraint(node: CompiledNode): boolean {
  return (effective(node).attributes.get('name')?.children.length ?? 0) > 0;
}

function describeNode(node: CompiledNode): string {
  const id = node.nodeId === '' ? node.rmType : node.nodeId;
  const names = nameList(node);
  if (names.length > 0) return `${id} named ${names.map((name) => `'${name}'`).join(' or ')}`;
  const ownId = node.constraint.type === 'C_ARCHETYPE_ROOT' ? 'at0000' : node.constraint.nodeId;
  const term = ownId === '' ? undefined : effective(node).archetype.texts(ownId)?.[0];
  return term === undefined ? id : `${id} (${term})`;
}

function typeConstraint(candidates: readonly CompiledNode[]): string {
  const types = [...new Set(candidates.map((candidate) => effective(candidate).rmType))];
  return types.length === 1 ? `type ${types[0] ?? ''}` : `type in {${types.join(', ')}}`;
}

class Walk {
  readonly issues: ValidationIssue[] = [];
  readonly #seen = new Set<string>();

  constructor(
    readonly compiled: CompiledTemplate,
    readonly options: ValidationOptions,
  ) {}

  report(path: string, constraint: string, message: string, value?: unknown): void {
    this.add({ path, constraint, message, ...(value !== undefined ? { value } : {}) });
  }

  /** Content the template requires that is absent: an incomplete version may still lack it. */
  reportMissing(path: string, constraint: string, message: string): void {
    this.add({ path, constraint, message, missing: true });
  }

  add(issue: ValidationIssue): void {
    const key = `${issue.path}\u0000${issue.constraint}`;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.issues.push(issue);
  }

  reportProblems(path: string, problems: readonly ConstraintProblem[], value: unknown): void {
    for (const problem of problems) {
      const where = problem.subPath === undefined ? path : `${path === '/' ? '' : path}${problem.subPath}`;
      this.report(where, problem.constraint, problem.message, 'value' in problem ? problem.value : value);
    }
  }

  /** The RM type of an object: its `_type`, else the declared type when that is concrete. */
  typeOf(value: JsonObject, declaredType: string): string | undefined {
    const written = value._type;
    if (typeof written === 'string') return isRmClass(written) ? written : undefined;
    const declared = getRmClass(declaredType);
    return declared && !declared.abstract ? declaredType : undefined;
  }

  // --- the composition ------------------------------------------------------------------------

  composition(composition: unknown): void {
    const root = this.compiled.root;
    const rootType = root.rmType;
    for (const issue of checkRmStructure(composition, rootType)) {
      this.report(
        validationPath.fromJsonPath(composition, issue.path),
        rmIssueConstraint(issue.code),
        issue.message,
        validationPath.valueAtJsonPath(composition, issue.path),
      );
    }
    if (!isJsonObject(composition)) return;
    const templateId = this.compiled.template.templateId;
    const written = stringAt(composition, 'archetype_details', 'template_id', 'value');
    if (written === undefined) {
      this.report(
        '/archetype_details/template_id',
        `template_id = ${templateId}`,
        `the composition does not name its template; set archetype_details/template_id/value to '${templateId}'`,
      );
    } else if (written !== templateId) {
      this.report(
        '/archetype_details/template_id/value',
        `template_id = ${templateId}`,
        `the composition names template '${written}' but is being validated against '${templateId}'`,
        written,
      );
    }
    const nodeId = composition.archetype_node_id;
    if (typeof nodeId === 'string' && nodeId !== root.nodeId) {
      this.report(
        '/archetype_node_id',
        `archetype_node_id = ${root.nodeId}`,
        `the composition's root archetype is '${nodeId}', but template ${templateId} is built on '${root.nodeId}'`,
        nodeId,
      );
    }
    this.object(composition, root, '/', rootType);
  }

  // --- objects --------------------------------------------------------------------------------

  enter(value: JsonObject, node: CompiledNode, path: string, declaredType: string): void {
    if (node.constraint.type === 'ARCHETYPE_SLOT') this.slot(value, node, path, declaredType);
    else this.object(value, node, path, declaredType);
  }

  object(value: JsonObject, node: CompiledNode, path: string, declaredType: string): void {
    const target = effective(node);
    const constraint = target.constraint;
    const type =
      this.typeOf(value, declaredType) ?? (isRmClass(target.rmType) && !getRmClass(target.rmType)?.abstract ? target.rmType : undefined);
    if (type !== undefined && !conforms(type, target.rmType)) {
      this.report(
        path,
        `type ${target.rmType}`,
        `${rmBaseTypeName(type)} is not allowed here; the template requires ${target.rmType}`,
        value._type,
      );
      this.freeObject(value, path);
      return;
    }
    const constrained = new Set<string>();
    switch (constraint.type) {
      case 'C_CODE_PHRASE':
      case 'C_CODE_REFERENCE':
        this.reportProblems(path, checkCodePhrase(constraint, value, this.options.terminology), value);
        break;
      case 'CONSTRAINT_REF':
        this.constraintReference(value, node, path);
        break;
      case 'C_DV_QUANTITY':
        this.reportProblems(path, checkQuantity(constraint, value), value);
        break;
      case 'C_DV_ORDINAL':
        this.reportProblems(path, checkOrdinal(constraint, value), value);
        this.termText(stringAt(value, 'symbol', 'value'), value.symbol, target, join(path, 'symbol/value'));
        break;
      case 'C_ARCHETYPE_ROOT':
      case 'C_COMPLEX_OBJECT':
        if (constraint.type === 'C_ARCHETYPE_ROOT' && path !== '/') this.archetypeDetails(value, constraint.archetypeId, path);
        for (const attribute of target.attributes.values()) {
          constrained.add(attribute.name);
          this.attribute(value, attribute, path, type);
        }
        if (type !== undefined && rmBaseTypeName(type) === 'DV_CODED_TEXT' && this.isLocallyCoded(target)) {
          this.termText(value.value, value.defining_code, target, join(path, 'value'));
        }
        break;
      default:
        // Slots are entered through slot(); unresolved internal references and primitives leave the object free.
        break;
    }
    if (type !== undefined) this.reportProblems(path, checkRmInvariants(type, value), value);
    for (const [key, child] of Object.entries(value)) {
      if (key !== '_type' && !constrained.has(key)) this.freeAttribute(path, key, child);
    }
  }

  archetypeDetails(value: JsonObject, archetypeId: string, path: string): void {
    const written = stringAt(value, 'archetype_details', 'archetype_id', 'value');
    if (written !== undefined && written !== archetypeId) {
      this.report(
        join(path, 'archetype_details/archetype_id/value'),
        `archetype_id = ${archetypeId}`,
        `archetype_details names '${written}' but the node is ${archetypeId}`,
        written,
      );
    }
  }

  isLocallyCoded(node: CompiledNode): boolean {
    return (node.attributes.get('defining_code')?.children ?? []).some(
      (child) =>
        (child.constraint.type === 'C_CODE_PHRASE' || child.constraint.type === 'C_CODE_REFERENCE') &&
        child.constraint.terminologyId === 'local',
    );
  }

  /** The text of a local code must be the archetype's term text (in any of the template's languages). */
  termText(text: unknown, definingCode: unknown, node: CompiledNode, path: string): void {
    if (typeof text !== 'string') return;
    const { terminologyId, code } = readCodePhrase(
      isJsonObject(definingCode) && 'defining_code' in definingCode ? definingCode.defining_code : definingCode,
    );
    if (terminologyId !== 'local' || code === undefined) return;
    const texts = node.archetype.texts(code);
    if (texts === undefined || texts.includes(text)) return;
    this.report(
      path,
      `term text '${texts[0] ?? ''}'`,
      `'${text}' is not the text of ${code} in ${node.archetype.archetypeId}; expected ${texts.map((term) => `'${term}'`).join(' or ')}`,
      text,
    );
  }

  constraintReference(value: JsonObject, node: CompiledNode, path: string): void {
    const { terminologyId, code } = readCodePhrase(value);
    if (terminologyId === undefined || code === undefined) return;
    const reference = node.constraint.type === 'CONSTRAINT_REF' ? node.constraint.reference : '';
    if (terminologyId === 'local') {
      this.report(
        join(path, 'terminology_id/value'),
        `external terminology (${reference})`,
        `the template binds this code to an external terminology (${reference}); a local code cannot satisfy it`,
        terminologyId,
      );
      return;
    }
    if (this.options.terminology?.isValidCode({ terminologyId, code }) === false) {
      this.report(
        join(path, 'code_string'),
        `code in ${terminologyId} (${reference})`,
        `the code ${terminologyId}::${code} is not valid for ${reference}`,
        code,
      );
    }
  }

  slot(value: JsonObject, node: CompiledNode, path: string, declaredType: string): void {
    const id = nodeIdOf(value);
    if (node.constraint.type === 'ARCHETYPE_SLOT' && id !== undefined) this.reportProblems(path, checkSlot(node.constraint, id), id);
    const type = this.typeOf(value, declaredType);
    if (type !== undefined && !conforms(type, node.rmType)) {
      this.report(path, `type ${node.rmType}`, `${rmBaseTypeName(type)} cannot fill a slot for ${node.rmType}`, value._type);
    }
    this.freeObject(value, path);
  }

  // --- attributes -----------------------------------------------------------------------------

  attribute(value: JsonObject, attribute: CompiledAttribute, path: string, type: string | undefined): void {
    const rmAttribute = type === undefined ? undefined : getRmAttribute(type, attribute.name);
    // Templates also constrain RM functions (POINT_EVENT.offset…) that canonical JSON does not carry.
    if (type !== undefined && rmAttribute === undefined) return;
    const child = value[attribute.name];
    const attributePath = join(path, attribute.name);
    if (child === undefined || child === null) {
      const nullFlavoured = attribute.name === 'value' && value.null_flavour != null;
      if (interval.lowerLimit(attribute.existence) >= 1 && rmAttribute?.mandatory !== true && !nullFlavoured) {
        this.reportMissing(
          attributePath,
          `existence ${interval.formatMultiplicity(attribute.existence)}`,
          `${attribute.name} is mandatory in the template but missing`,
        );
      }
      if (attribute.multiple || rmAttribute?.multiple === true) this.occurrences(attribute, path, new Map());
      return;
    }
    if (interval.upperLimit(attribute.existence) === 0) {
      this.report(
        attributePath,
        `existence ${interval.formatMultiplicity(attribute.existence)}`,
        `the template does not allow ${attribute.name} here`,
        child,
      );
      return;
    }
    // ACTIVITY.action_archetype_id is itself a regular expression in the RM; data carries either the
    // template's pattern text or a wider one, so matching it as a plain string against the pattern is meaningless.
    if (attribute.name === 'action_archetype_id' && type !== undefined && rmBaseTypeName(type) === 'ACTIVITY') return;
    const declared = rmAttribute?.type ?? 'Any';
    if (Array.isArray(child)) {
      if (rmAttribute === undefined || rmAttribute.multiple) this.list(child, attribute, path, declared);
    } else if (rmAttribute === undefined || !rmAttribute.multiple) {
      this.single(child, attribute, path, declared);
    }
  }

  single(value: unknown, attribute: CompiledAttribute, parentPath: string, declaredType: string): void {
    const path = join(parentPath, segment(attribute.name, value));
    if (!isJsonObject(value)) {
      const primitive = attribute.children.find((child) => child.constraint.type === 'C_PRIMITIVE_OBJECT');
      if (primitive?.constraint.type === 'C_PRIMITIVE_OBJECT') {
        this.reportProblems(path, checkPrimitive(primitive.constraint.item, value, attribute.name), value);
      }
      return;
    }
    const node = this.pick(value, attribute, declaredType, path, undefined);
    if (node === undefined) {
      this.freeObject(value, path);
      return;
    }
    if (interval.upperLimit(node.occurrences) === 0) {
      this.report(
        path,
        `occurrences ${interval.formatMultiplicity(node.occurrences)}`,
        `the template does not allow ${describeNode(node)} here`,
      );
    }
    this.enter(value, node, path, declaredType);
  }

  list(items: readonly unknown[], attribute: CompiledAttribute, parentPath: string, declaredType: string): void {
    const cardinality = attribute.cardinality;
    if (cardinality !== undefined && !interval.contains(cardinality, items.length)) {
      this.add({
        path: join(parentPath, attribute.name),
        constraint: `cardinality ${interval.formatMultiplicity(cardinality)}`,
        message: `${attribute.name} holds ${items.length} item${items.length === 1 ? '' : 's'}; the template allows ${interval.formatMultiplicity(cardinality)}`,
        value: items.length,
        ...(items.length < interval.lowerLimit(cardinality) ? { missing: true as const } : {}),
      });
    }
    const counts = countNodeIds(items);
    const matched = new Map<CompiledNode, string[]>();
    items.forEach((item, index) => {
      const path = join(parentPath, segment(attribute.name, item, index, counts));
      if (!isJsonObject(item)) return;
      const node = this.pick(item, attribute, declaredType, path, matched);
      if (node === undefined) {
        this.freeObject(item, path);
        return;
      }
      const paths = matched.get(node);
      if (paths) paths.push(path);
      else matched.set(node, [path]);
      this.enter(item, node, path, declaredType);
    });
    this.occurrences(attribute, parentPath, matched);
  }

  occurrences(attribute: CompiledAttribute, parentPath: string, matched: ReadonlyMap<CompiledNode, readonly string[]>): void {
    for (const child of attribute.children) {
      if (!isDataNode(child)) continue;
      const paths = matched.get(child) ?? [];
      const range = interval.formatMultiplicity(child.occurrences);
      const upper = interval.upperLimit(child.occurrences);
      if (upper !== undefined && paths.length > upper) {
        this.report(
          paths[upper] ?? join(parentPath, attribute.name),
          `occurrences ${range}`,
          `${describeNode(child)} occurs ${paths.length} times; the template allows ${range}`,
        );
      }
      if (paths.length < interval.lowerLimit(child.occurrences)) {
        const missingPath = join(parentPath, child.nodeId === '' ? attribute.name : `${attribute.name}[${child.nodeId}]`);
        this.reportMissing(
          missingPath,
          `occurrences ${range}`,
          paths.length === 0
            ? `${describeNode(child)} is mandatory (${range}) but missing`
            : `${describeNode(child)} occurs ${paths.length} time${paths.length === 1 ? '' : 's'}; the template requires ${range}`,
        );
      }
    }
  }

  // --- matching data to constraint nodes -----------------------------------------------------

  pick(
    value: JsonObject,
    attribute: CompiledAttribute,
    declaredType: string,
    path: string,
    matched: ReadonlyMap<CompiledNode, readonly string[]> | undefined,
  ): CompiledNode | undefined {
    const dataNodes = attribute.children.filter(isDataNode);
    if (dataNodes.length === 0) return undefined;
    const id = nodeIdOf(value);
    let candidates: readonly CompiledNode[];
    if (id !== undefined && (attribute.byNodeId.size > 0 || attribute.slots.length > 0)) {
      candidates = attribute.byNodeId.get(id) ?? [];
      if (candidates.length === 0) {
        const type = this.typeOf(value, declaredType);
        const slots = attribute.slots.filter((slot) => type === undefined || conforms(type, slot.rmType));
        if (slots.length > 0 && ARCHETYPE_ID.test(id)) {
          return slots.find((slot) => slot.constraint.type === 'ARCHETYPE_SLOT' && checkSlot(slot.constraint, id).length === 0) ?? slots[0];
        }
        if (attribute.unidentified.length === 0) {
          const allowed = [...attribute.byNodeId.keys(), ...(attribute.slots.length > 0 ? ['(slot for archetypes)'] : [])];
          this.report(
            path,
            `archetype_node_id in {${allowed.join(', ')}}`,
            `node '${id}' is not defined by the template under ${attribute.name}; expected ${allowed.join(', ')}`,
            id,
          );
          return undefined;
        }
        candidates = attribute.unidentified;
      }
    } else {
      candidates = attribute.unidentified.length > 0 ? attribute.unidentified : dataNodes;
    }
    return this.choose(value, candidates, declaredType, path, matched);
  }

  choose(
    value: JsonObject,
    candidates: readonly CompiledNode[],
    declaredType: string,
    path: string,
    matched: ReadonlyMap<CompiledNode, readonly string[]> | undefined,
  ): CompiledNode | undefined {
    let typed = candidates;
    const type = this.typeOf(value, declaredType);
    if (type !== undefined) {
      const base = rmBaseTypeName(type);
      const exact = candidates.filter((candidate) => rmBaseTypeName(effective(candidate).rmType) === base);
      typed = exact.length > 0 ? exact : candidates.filter((candidate) => conforms(type, effective(candidate).rmType));
      if (typed.length === 0) {
        this.report(
          path,
          typeConstraint(candidates),
          `${base} is not allowed here; the template allows ${typeConstraint(candidates).replace(/^type (in )?/, '')}`,
          value._type ?? base,
        );
        return undefined;
      }
    }
    if (typed.length === 1) return typed[0];
    const named = typed.filter((candidate) => this.nameAllowed(candidate, value.name));
    let pool = named.length > 0 ? named : typed;
    if (pool.length === 1) return pool[0];
    const hasRoom = (candidate: CompiledNode): boolean => {
      const upper = interval.upperLimit(candidate.occurrences);
      return matched === undefined || upper === undefined || (matched.get(candidate)?.length ?? 0) < upper;
    };
    // A sibling whose name constraint the item satisfies is meant for it; one without a name
    // constraint only takes items no named sibling (with room left) claims.
    const specific = pool.filter((candidate) => hasNameConstraint(candidate) && hasRoom(candidate));
    if (named.length > 0 && specific.length > 0) {
      pool = specific;
    } else {
      const free = pool.filter(hasRoom);
      if (free.length > 0) pool = free;
    }
    if (pool.length === 1) return pool[0];
    return this.bestFit(value, pool, declaredType, path);
  }

  /**
   * Alternatives the template does not tell apart by node id, type or name (the ISM_TRANSITION
   * alternatives of an ACTION, for instance) are told apart by the data: the first alternative the
   * object satisfies wins, else the one it violates least.
   */
  bestFit(value: JsonObject, candidates: readonly CompiledNode[], declaredType: string, path: string): CompiledNode | undefined {
    let best: CompiledNode | undefined;
    let fewest = Number.POSITIVE_INFINITY;
    for (const candidate of candidates) {
      const trial = new Walk(this.compiled, this.options);
      trial.enter(value, candidate, path, declaredType);
      if (trial.issues.length === 0) return candidate;
      if (trial.issues.length < fewest) {
        fewest = trial.issues.length;
        best = candidate;
      }
    }
    return best;
  }

  /** Whether a name satisfies the template's `name` constraint of a node (true without one). */
  nameAllowed(node: CompiledNode, name: unknown): boolean {
    const alternatives = effective(node).attributes.get('name')?.children ?? [];
    if (alternatives.length === 0) return true;
    if (!isJsonObject(name)) return false;
    return alternatives.some((alternative) => {
      for (const child of alternative.attributes.get('value')?.children ?? []) {
        if (child.constraint.type === 'C_PRIMITIVE_OBJECT' && checkPrimitive(child.constraint.item, name.value, 'value').length > 0)
          return false;
      }
      for (const child of alternative.attributes.get('defining_code')?.children ?? []) {
        if (
          (child.constraint.type === 'C_CODE_PHRASE' || child.constraint.type === 'C_CODE_REFERENCE') &&
          checkCodePhrase(child.constraint, name.defining_code, undefined).length > 0
        ) {
          return false;
        }
      }
      return true;
    });
  }

  // --- content the template leaves free ------------------------------------------------------

  freeAttribute(parentPath: string, attribute: string, value: unknown): void {
    if (Array.isArray(value)) {
      const counts = countNodeIds(value);
      value.forEach((item: unknown, index) => {
        if (isJsonObject(item)) this.freeObject(item, join(parentPath, segment(attribute, item, index, counts)));
      });
    } else if (isJsonObject(value)) {
      this.freeObject(value, join(parentPath, segment(attribute, value)));
    }
  }

  /** Only the RM applies: its structure was checked up front, its class invariants are checked here. */
  freeObject(value: JsonObject, path: string): void {
    if (typeof value._type === 'string' && isRmClass(value._type)) {
      this.reportProblems(path, checkRmInvariants(value._type, value), value);
    }
    for (const [key, child] of Object.entries(value)) {
      if (key !== '_type') this.freeAttribute(path, key, child);
    }
  }
}

/**
 * Compiles a template once into a reusable validator; validating many compositions against the
 * same template then costs one walk of each composition.
 */
export function compileTemplateValidator(template: OperationalTemplate): TemplateValidator {
  const compiled = compileTemplate(template);
  return {
    templateId: template.templateId,
    validate(composition: unknown, options: ValidationOptions = {}): ValidationIssue[] {
      const walk = new Walk(compiled, options);
      walk.composition(composition);
      return walk.issues;
    },
  };
}
