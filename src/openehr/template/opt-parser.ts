import type {
  ArchetypeSlot,
  ArchetypeTerm,
  ArchetypeTerminology,
  CArchetypeRoot,
  CAttribute,
  CCodePhrase,
  CDvOrdinal,
  CDvQuantity,
  CObject,
  CPrimitive,
  CQuantityItem,
  Cardinality,
  CodePhrase,
  DefaultValue,
  Interval,
  OperationalTemplate,
  Ordinal,
  ResourceDescription,
  ResourceDescriptionItem,
  SlotAssertion,
  TemplateAnnotation,
  TemplateConstraint,
} from './opt-model.js';
import { TemplateParseError } from './template-parse-error.js';
import {
  ProblemCollector,
  checkContent,
  childElement,
  childElements,
  childText,
  childValue,
  xsiType,
  type Multiplicity,
} from './xml-reader.js';
import { parseXmlTree, type XmlElement } from './xml-tree.js';

const OPENEHR_NAMESPACE = 'http://schemas.openehr.org/v1';

/** The OPERATIONAL_TEMPLATE content model of the openEHR Template.xsd (ADL 1.4). */
const TEMPLATE_CONTENT: Readonly<Record<string, Multiplicity>> = {
  language: '1',
  is_controlled: '?',
  description: '?',
  revision_history: '?',
  uid: '?',
  template_id: '1',
  concept: '1',
  definition: '1',
  ontology: '?',
  component_ontologies: '*',
  annotations: '*',
  constraints: '?',
  view: '?',
};

const ONE_INTERVAL: Interval<number> = {
  lower: 1,
  upper: 1,
  lowerIncluded: true,
  upperIncluded: true,
  lowerUnbounded: false,
  upperUnbounded: false,
};

/**
 * Parses an ADL 1.4 operational template (OPT XML). Refuses, with a {@link TemplateParseError}
 * saying what and where: DTDs and entities (XXE, entity expansion), malformed XML, XML whose root is
 * not an openEHR `template`, and templates that break the OPT schema (unknown, missing, repeated or
 * empty mandatory elements, unknown constraint types, non-numeric bounds).
 */
export function parseOperationalTemplate(xml: string): OperationalTemplate {
  const root = parseXmlTree(xml);
  const problems = new ProblemCollector(xml.startsWith('\uFEFF') ? xml.slice(1) : xml);
  if (root.name !== 'template') {
    problems.report(root, `Not an operational template: the root element is <${root.name}>, expected <template>`);
    throw new TemplateParseError(problems.problems, problems.firstPosition);
  }
  const namespace = root.attributes[root.prefix === '' ? 'xmlns' : `xmlns:${root.prefix}`];
  if (namespace !== undefined && namespace !== OPENEHR_NAMESPACE) {
    problems.report(root, `Not an operational template: <template> is in namespace ${namespace}, expected ${OPENEHR_NAMESPACE}`);
    throw new TemplateParseError(problems.problems, problems.firstPosition);
  }
  checkContent(root, TEMPLATE_CONTENT, problems, '<template>');
  const template = new OptReader(problems).readTemplate(root);
  if (problems.problems.length > 0 || template === undefined) {
    throw new TemplateParseError(problems.problems, problems.firstPosition);
  }
  return template;
}

/** Template tools often leave out the terminology of local default codes; at-codes are local. */
function lenientCodePhrase(element: XmlElement): CodePhrase {
  const codeString = childText(element, 'code_string')?.trim() ?? '';
  const terminologyId = childValue(element, 'terminology_id')?.trim() ?? (/^at[0-9]/.test(codeString) ? 'local' : '');
  return { terminologyId, codeString };
}

class OptReader {
  readonly #problems: ProblemCollector;
  #language = '';

  constructor(problems: ProblemCollector) {
    this.#problems = problems;
  }

  readTemplate(root: XmlElement): OperationalTemplate | undefined {
    const languageElement = childElement(root, 'language');
    const language = languageElement === undefined ? undefined : this.codePhrase(languageElement, 'template language');
    this.#language = language?.codeString ?? '';
    const templateId = this.requiredValue(root, 'template_id');
    const conceptElement = childElement(root, 'concept');
    const concept = conceptElement?.text.trim() ?? '';
    if (conceptElement !== undefined && concept === '') this.#problems.report(conceptElement, 'The template <concept> is empty');
    const uidElement = childElement(root, 'uid');
    const uid = uidElement === undefined ? undefined : childText(uidElement, 'value')?.trim();
    const descriptionElement = childElement(root, 'description');
    const definitionElement = childElement(root, 'definition');
    const definition = definitionElement === undefined ? undefined : this.definition(definitionElement);
    const isControlled = childText(root, 'is_controlled')?.trim();
    const ontologies = this.ontologies(root);
    if (language === undefined || templateId === undefined || definition === undefined) return undefined;
    return {
      templateId,
      ...(uid !== undefined && uid !== '' ? { uid } : {}),
      concept,
      language,
      ...(isControlled !== undefined ? { isControlled: isControlled === 'true' } : {}),
      ...(descriptionElement !== undefined ? { description: this.description(descriptionElement) } : {}),
      definition,
      annotations: childElements(root, 'annotations').map((element) => this.annotation(element)),
      constraints: this.templateConstraints(childElement(root, 'constraints')),
      ontologies,
    };
  }

  requiredValue(root: XmlElement, name: string): string | undefined {
    const element = childElement(root, name);
    if (element === undefined) return undefined;
    const valueElement = childElement(element, 'value');
    if (valueElement === undefined) {
      this.#problems.report(element, `<${name}> must contain a <value> element`);
      return undefined;
    }
    const value = valueElement.text.trim();
    if (value === '') {
      this.#problems.report(valueElement, `<${name}> has an empty <value>`);
      return undefined;
    }
    return value;
  }

  definition(element: XmlElement): CArchetypeRoot | undefined {
    const type = xsiType(element);
    if (type !== undefined && type !== 'C_ARCHETYPE_ROOT') {
      this.#problems.report(element, `The template <definition> must be a C_ARCHETYPE_ROOT, not ${type}`);
      return undefined;
    }
    const object = this.archetypeRoot(element);
    if (object !== undefined && object.rmTypeName === '') return undefined;
    return object;
  }

  // --- constraint objects -------------------------------------------------------------------

  cObject(element: XmlElement): CObject | undefined {
    const type = xsiType(element) ?? (childElement(element, 'archetype_id') !== undefined ? 'C_ARCHETYPE_ROOT' : 'C_COMPLEX_OBJECT');
    switch (type) {
      case 'C_COMPLEX_OBJECT':
        return {
          type,
          ...this.objectBase(element),
          attributes: this.attributes(element),
          ...this.optionalDefault(element),
        };
      case 'C_ARCHETYPE_ROOT':
        return this.archetypeRoot(element);
      case 'ARCHETYPE_SLOT':
        return this.slot(element);
      case 'ARCHETYPE_INTERNAL_REF':
        return { type, ...this.objectBase(element), targetPath: this.mandatoryText(element, 'target_path') };
      case 'CONSTRAINT_REF':
        return { type, ...this.objectBase(element), reference: this.mandatoryText(element, 'reference') };
      case 'C_CODE_PHRASE':
      case 'C_CODE_REFERENCE':
        return this.codePhraseConstraint(element, type);
      case 'C_DV_QUANTITY':
        return this.quantity(element);
      case 'C_DV_ORDINAL':
        return this.ordinal(element);
      case 'C_PRIMITIVE_OBJECT': {
        const itemElement = childElement(element, 'item');
        const item = itemElement === undefined ? undefined : this.primitive(itemElement);
        if (item === undefined) {
          if (itemElement === undefined) this.#problems.report(element, 'C_PRIMITIVE_OBJECT without <item>');
          return undefined;
        }
        return { type, ...this.objectBase(element), item };
      }
      default:
        this.#problems.report(element, `Unsupported constraint object type ${type}`);
        return undefined;
    }
  }

  objectBase(element: XmlElement): { rmTypeName: string; occurrences: Interval<number>; nodeId: string } {
    const rmTypeName = childText(element, 'rm_type_name')?.trim() ?? '';
    if (rmTypeName === '') this.#problems.report(element, 'Constraint object without <rm_type_name>');
    const occurrencesElement = childElement(element, 'occurrences');
    return {
      rmTypeName,
      occurrences: occurrencesElement === undefined ? ONE_INTERVAL : this.numberInterval(occurrencesElement),
      nodeId: childText(element, 'node_id')?.trim() ?? '',
    };
  }

  archetypeRoot(element: XmlElement): CArchetypeRoot | undefined {
    const archetypeId = childValue(element, 'archetype_id')?.trim() ?? '';
    if (archetypeId === '') {
      this.#problems.report(element, 'C_ARCHETYPE_ROOT without an <archetype_id> value');
      return undefined;
    }
    const templateId = childValue(element, 'template_id')?.trim();
    return {
      type: 'C_ARCHETYPE_ROOT',
      ...this.objectBase(element),
      attributes: this.attributes(element),
      archetypeId,
      ...(templateId !== undefined && templateId !== '' ? { templateId } : {}),
      ...this.inlineTerminology(element),
      ...this.optionalDefault(element),
    };
  }

  attributes(element: XmlElement): CAttribute[] {
    const result: CAttribute[] = [];
    for (const attributeElement of childElements(element, 'attributes')) {
      const attribute = this.attribute(attributeElement);
      if (attribute !== undefined) result.push(attribute);
    }
    return result;
  }

  attribute(element: XmlElement): CAttribute | undefined {
    const declared = xsiType(element);
    const cardinalityElement = childElement(element, 'cardinality');
    const type = declared ?? (cardinalityElement !== undefined ? 'C_MULTIPLE_ATTRIBUTE' : 'C_SINGLE_ATTRIBUTE');
    if (type !== 'C_SINGLE_ATTRIBUTE' && type !== 'C_MULTIPLE_ATTRIBUTE') {
      this.#problems.report(element, `Unsupported attribute type ${type}`);
      return undefined;
    }
    const rmAttributeName = childText(element, 'rm_attribute_name')?.trim() ?? '';
    if (rmAttributeName === '') {
      this.#problems.report(element, 'Attribute constraint without <rm_attribute_name>');
      return undefined;
    }
    const existenceElement = childElement(element, 'existence');
    const children: CObject[] = [];
    for (const childElementNode of childElements(element, 'children')) {
      const child = this.cObject(childElementNode);
      if (child !== undefined) children.push(child);
    }
    const cardinality =
      type === 'C_MULTIPLE_ATTRIBUTE' && cardinalityElement !== undefined ? this.cardinality(cardinalityElement) : undefined;
    return {
      type,
      rmAttributeName,
      existence: existenceElement === undefined ? ONE_INTERVAL : this.numberInterval(existenceElement),
      children,
      ...(cardinality !== undefined ? { cardinality } : {}),
    };
  }

  cardinality(element: XmlElement): Cardinality {
    const intervalElement = childElement(element, 'interval');
    return {
      isOrdered: childText(element, 'is_ordered')?.trim() === 'true',
      isUnique: childText(element, 'is_unique')?.trim() === 'true',
      interval:
        intervalElement === undefined
          ? { lower: 0, lowerIncluded: true, upperIncluded: false, lowerUnbounded: false, upperUnbounded: true }
          : this.numberInterval(intervalElement),
    };
  }

  slot(element: XmlElement): ArchetypeSlot {
    return {
      type: 'ARCHETYPE_SLOT',
      ...this.objectBase(element),
      includes: childElements(element, 'includes').map((assertion) => this.assertion(assertion)),
      excludes: childElements(element, 'excludes').map((assertion) => this.assertion(assertion)),
    };
  }

  assertion(element: XmlElement): SlotAssertion {
    const stringExpression = childText(element, 'string_expression')?.trim();
    // The usual form: archetype_id/value matches {/pattern/} as EXPR_BINARY_OPERATOR with a C_STRING leaf.
    let archetypeIdPattern: string | undefined;
    const expression = childElement(element, 'expression');
    const right = expression === undefined ? undefined : childElement(expression, 'right_operand');
    const item = right === undefined ? undefined : childElement(right, 'item');
    if (item !== undefined) archetypeIdPattern = childText(item, 'pattern')?.trim();
    return {
      ...(stringExpression !== undefined ? { stringExpression } : {}),
      ...(archetypeIdPattern !== undefined ? { archetypeIdPattern } : {}),
    };
  }

  codePhraseConstraint(element: XmlElement, type: 'C_CODE_PHRASE' | 'C_CODE_REFERENCE'): CCodePhrase {
    const terminologyId = childValue(element, 'terminology_id')?.trim();
    const referenceSetUri = childText(element, 'referenceSetUri')?.trim();
    const assumedElement = childElement(element, 'assumed_value');
    const assumedValue = assumedElement === undefined ? undefined : this.codePhrase(assumedElement, 'assumed value');
    return {
      type,
      ...this.objectBase(element),
      ...(terminologyId !== undefined && terminologyId !== '' ? { terminologyId } : {}),
      codeList: childElements(element, 'code_list').map((code) => code.text.trim()),
      ...(referenceSetUri !== undefined && referenceSetUri !== '' ? { referenceSetUri } : {}),
      ...(assumedValue !== undefined ? { assumedValue } : {}),
    };
  }

  quantity(element: XmlElement): CDvQuantity {
    const propertyElement = childElement(element, 'property');
    const list: CQuantityItem[] = childElements(element, 'list').map((item) => {
      const magnitude = childElement(item, 'magnitude');
      const precision = childElement(item, 'precision');
      const unitsSystem = childText(item, 'units_system');
      const unitsDisplayName = childText(item, 'units_display_name');
      return {
        units: childText(item, 'units') ?? '',
        ...(magnitude !== undefined ? { magnitude: this.numberInterval(magnitude) } : {}),
        ...(precision !== undefined ? { precision: this.numberInterval(precision) } : {}),
        ...(unitsSystem !== undefined ? { unitsSystem } : {}),
        ...(unitsDisplayName !== undefined ? { unitsDisplayName } : {}),
      };
    });
    const assumedElement = childElement(element, 'assumed_value');
    const assumedMagnitude = assumedElement === undefined ? undefined : this.optionalNumber(assumedElement, 'magnitude');
    const assumedUnits = assumedElement === undefined ? undefined : childText(assumedElement, 'units');
    const assumedPrecision = assumedElement === undefined ? undefined : this.optionalNumber(assumedElement, 'precision');
    return {
      type: 'C_DV_QUANTITY',
      ...this.objectBase(element),
      ...(propertyElement !== undefined ? { property: this.codePhrase(propertyElement, 'quantity property') } : {}),
      list,
      ...(assumedElement !== undefined
        ? {
            assumedValue: {
              ...(assumedMagnitude !== undefined ? { magnitude: assumedMagnitude } : {}),
              ...(assumedUnits !== undefined ? { units: assumedUnits } : {}),
              ...(assumedPrecision !== undefined ? { precision: assumedPrecision } : {}),
            },
          }
        : {}),
    };
  }

  ordinal(element: XmlElement): CDvOrdinal {
    const list = childElements(element, 'list')
      .map((item) => this.ordinalItem(item))
      .filter((item): item is Ordinal => item !== undefined);
    const assumedElement = childElement(element, 'assumed_value');
    const assumedValue = assumedElement === undefined ? undefined : this.ordinalItem(assumedElement);
    return {
      type: 'C_DV_ORDINAL',
      ...this.objectBase(element),
      list,
      ...(assumedValue !== undefined ? { assumedValue } : {}),
    };
  }

  ordinalItem(element: XmlElement): Ordinal | undefined {
    const value = this.optionalNumber(element, 'value');
    const symbol = childElement(element, 'symbol');
    const definingCode = symbol === undefined ? undefined : childElement(symbol, 'defining_code');
    if (value === undefined || definingCode === undefined) {
      this.#problems.report(element, 'Ordinal without a numeric <value> and a <symbol> code');
      return undefined;
    }
    return { value, symbol: this.codePhrase(definingCode, 'ordinal symbol') };
  }

  primitive(element: XmlElement): CPrimitive | undefined {
    const type = xsiType(element);
    switch (type) {
      case 'C_STRING': {
        const pattern = childText(element, 'pattern');
        const listOpen = childText(element, 'list_open')?.trim();
        const assumedValue = childText(element, 'assumed_value');
        return {
          type,
          ...(pattern !== undefined ? { pattern } : {}),
          list: childElements(element, 'list').map((item) => item.text),
          ...(listOpen !== undefined ? { listOpen: listOpen === 'true' } : {}),
          ...(assumedValue !== undefined ? { assumedValue } : {}),
        };
      }
      case 'C_INTEGER':
      case 'C_REAL': {
        const range = childElement(element, 'range');
        const assumedValue = this.optionalNumber(element, 'assumed_value');
        return {
          type,
          ...(range !== undefined ? { range: this.numberInterval(range) } : {}),
          list: childElements(element, 'list').map((item) => this.number(item)),
          ...(assumedValue !== undefined ? { assumedValue } : {}),
        };
      }
      case 'C_BOOLEAN': {
        const assumedValue = childText(element, 'assumed_value')?.trim();
        return {
          type,
          trueValid: childText(element, 'true_valid')?.trim() !== 'false',
          falseValid: childText(element, 'false_valid')?.trim() !== 'false',
          ...(assumedValue !== undefined ? { assumedValue: assumedValue === 'true' } : {}),
        };
      }
      case 'C_DATE':
      case 'C_TIME':
      case 'C_DATE_TIME':
      case 'C_DURATION': {
        const pattern = childText(element, 'pattern')?.trim();
        const range = childElement(element, 'range');
        const assumedValue = childText(element, 'assumed_value')?.trim();
        const timezoneValidity = childText(element, 'timezone_validity')?.trim();
        return {
          type,
          ...(pattern !== undefined && pattern !== '' ? { pattern } : {}),
          ...(range !== undefined ? { range: this.stringInterval(range) } : {}),
          ...(assumedValue !== undefined ? { assumedValue } : {}),
          ...(timezoneValidity !== undefined && type !== 'C_DURATION' ? { timezoneValidity } : {}),
        };
      }
      default:
        this.#problems.report(element, `Unsupported primitive constraint type ${type ?? '(none)'}`);
        return undefined;
    }
  }

  optionalDefault(element: XmlElement): { defaultValue?: DefaultValue } {
    const defaultElement = childElement(element, 'default_value');
    return defaultElement === undefined ? {} : { defaultValue: this.defaultValue(defaultElement) };
  }

  defaultValue(element: XmlElement): DefaultValue {
    const definingCodeElement = childElement(element, 'defining_code');
    const value = childText(element, 'value');
    return {
      rmType: xsiType(element) ?? '',
      ...(value !== undefined ? { value } : {}),
      ...(definingCodeElement !== undefined ? { definingCode: lenientCodePhrase(definingCodeElement) } : {}),
    };
  }

  // --- terminology --------------------------------------------------------------------------

  inlineTerminology(element: XmlElement): ArchetypeTerminology {
    const terms: Record<string, ArchetypeTerm> = {};
    for (const definition of childElements(element, 'term_definitions')) {
      const term = this.term(definition);
      if (term !== undefined) terms[term.code] = term;
    }
    return {
      termDefinitions: Object.keys(terms).length > 0 ? { [this.#language]: terms } : {},
      termBindings: this.termBindings(childElements(element, 'term_bindings')),
    };
  }

  term(element: XmlElement): ArchetypeTerm | undefined {
    const code = element.attributes['code'];
    if (code === undefined) {
      this.#problems.report(element, 'Term definition without a code');
      return undefined;
    }
    let text = '';
    let description: string | undefined;
    const other: Record<string, string> = {};
    for (const item of childElements(element, 'items')) {
      const id = item.attributes['id'];
      if (id === 'text') text = item.text;
      else if (id === 'description') description = item.text;
      else if (id !== undefined) other[id] = item.text;
    }
    return { code, text, ...(description !== undefined ? { description } : {}), other };
  }

  termBindings(elements: readonly XmlElement[]): Record<string, Record<string, CodePhrase>> {
    const bindings: Record<string, Record<string, CodePhrase>> = {};
    for (const binding of elements) {
      const terminology = binding.attributes['terminology'];
      if (terminology === undefined) continue;
      const target = (bindings[terminology] ??= {});
      for (const item of childElements(binding, 'items')) {
        const code = item.attributes['code'];
        const value = childElement(item, 'value');
        if (code !== undefined && value !== undefined) target[code] = this.codePhrase(value, 'term binding');
      }
    }
    return bindings;
  }

  ontologies(root: XmlElement): Record<string, ArchetypeTerminology> {
    const result: Record<string, ArchetypeTerminology> = {};
    for (const element of [...childElements(root, 'ontology'), ...childElements(root, 'component_ontologies')]) {
      const archetypeId = element.attributes['archetype_id'];
      if (archetypeId === undefined) continue;
      const termDefinitions: Record<string, Record<string, ArchetypeTerm>> = {};
      for (const definitions of childElements(element, 'term_definitions')) {
        const language = definitions.attributes['language'] ?? this.#language;
        const terms = (termDefinitions[language] ??= {});
        for (const item of childElements(definitions, 'items')) {
          const term = this.term(item);
          if (term !== undefined) terms[term.code] = term;
        }
      }
      result[archetypeId] = { termDefinitions, termBindings: this.termBindings(childElements(element, 'term_bindings')) };
    }
    return result;
  }

  // --- metadata -----------------------------------------------------------------------------

  description(element: XmlElement): ResourceDescription {
    const originalAuthor: Record<string, string> = {};
    for (const author of childElements(element, 'original_author')) originalAuthor[author.attributes['id'] ?? ''] = author.text;
    const otherDetails: Record<string, string> = {};
    for (const detail of childElements(element, 'other_details')) otherDetails[detail.attributes['id'] ?? ''] = detail.text;
    const lifecycleState = childText(element, 'lifecycle_state');
    return {
      originalAuthor,
      otherContributors: childElements(element, 'other_contributors').map((contributor) => contributor.text),
      ...(lifecycleState !== undefined ? { lifecycleState } : {}),
      details: childElements(element, 'details').map((details) => this.descriptionItem(details)),
      otherDetails,
    };
  }

  descriptionItem(element: XmlElement): ResourceDescriptionItem {
    const languageElement = childElement(element, 'language');
    const optional = (name: string): Record<string, string> => {
      const value = childText(element, name);
      return value === undefined ? {} : { [name]: value };
    };
    return {
      language:
        languageElement === undefined
          ? { terminologyId: 'ISO_639-1', codeString: this.#language }
          : this.codePhrase(languageElement, 'description language'),
      ...optional('purpose'),
      keywords: childElements(element, 'keywords').map((keyword) => keyword.text),
      ...optional('use'),
      ...optional('misuse'),
      ...optional('copyright'),
    };
  }

  annotation(element: XmlElement): TemplateAnnotation {
    const items: Record<string, string> = {};
    for (const item of childElements(element, 'items')) items[item.attributes['id'] ?? ''] = item.text;
    return { path: element.attributes['path'] ?? '', items };
  }

  templateConstraints(element: XmlElement | undefined): TemplateConstraint[] {
    if (element === undefined) return [];
    return childElements(element, 'attributes').map((attribute) => {
      const differentialPath = childText(attribute, 'differential_path')?.trim();
      const child = childElement(attribute, 'children');
      const rmTypeName = child === undefined ? undefined : childText(child, 'rm_type_name')?.trim();
      const defaultElement = child === undefined ? undefined : childElement(child, 'default_value');
      return {
        ...(differentialPath !== undefined ? { differentialPath } : {}),
        rmAttributeName: childText(attribute, 'rm_attribute_name')?.trim() ?? '',
        ...(rmTypeName !== undefined ? { rmTypeName } : {}),
        ...(defaultElement !== undefined ? { defaultValue: this.defaultValue(defaultElement) } : {}),
      };
    });
  }

  // --- values -------------------------------------------------------------------------------

  codePhrase(element: XmlElement, what: string): CodePhrase {
    const terminologyId = childValue(element, 'terminology_id')?.trim();
    const codeString = childText(element, 'code_string')?.trim();
    if (terminologyId === undefined || codeString === undefined) {
      this.#problems.report(element, `The ${what} must have <terminology_id><value> and <code_string>`);
    }
    return { terminologyId: terminologyId ?? '', codeString: codeString ?? '' };
  }

  mandatoryText(element: XmlElement, name: string): string {
    const value = childText(element, name)?.trim();
    if (value === undefined || value === '') this.#problems.report(element, `Missing <${name}>`);
    return value ?? '';
  }

  numberInterval(element: XmlElement): Interval<number> {
    return this.interval(element, (bound) => this.number(bound));
  }

  stringInterval(element: XmlElement): Interval<string> {
    return this.interval(element, (bound) => bound.text.trim());
  }

  interval<T extends number | string>(element: XmlElement, read: (bound: XmlElement) => T): Interval<T> {
    const flag = (name: string): boolean | undefined => {
      const value = childText(element, name)?.trim();
      return value === undefined ? undefined : value === 'true';
    };
    const lowerElement = childElement(element, 'lower');
    const upperElement = childElement(element, 'upper');
    const lowerUnbounded = flag('lower_unbounded') ?? lowerElement === undefined;
    const upperUnbounded = flag('upper_unbounded') ?? upperElement === undefined;
    const lower = lowerElement === undefined || lowerUnbounded ? undefined : read(lowerElement);
    const upper = upperElement === undefined || upperUnbounded ? undefined : read(upperElement);
    return {
      ...(lower !== undefined ? { lower } : {}),
      ...(upper !== undefined ? { upper } : {}),
      lowerIncluded: lower !== undefined && (flag('lower_included') ?? true),
      upperIncluded: upper !== undefined && (flag('upper_included') ?? true),
      lowerUnbounded,
      upperUnbounded,
    };
  }

  number(element: XmlElement): number {
    const text = element.text.trim();
    const value = Number(text);
    if (text === '' || !Number.isFinite(value)) {
      this.#problems.report(element, `<${element.name}> must be a number, found "${text}"`);
      return 0;
    }
    return value;
  }

  optionalNumber(element: XmlElement, name: string): number | undefined {
    const child = childElement(element, name);
    return child === undefined ? undefined : this.number(child);
  }
}
