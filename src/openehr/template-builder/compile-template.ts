import { createHash } from 'node:crypto';
import { checkTemplateDescription, parseOccurrences } from './check-template-description.js';
import { DEFAULT_STRUCTURE_TEXT as STRUCTURE_TEXT } from './description-terms.js';
import { TemplateDescriptionError } from './template-description-error.js';
import type {
  ArchetypeNode,
  ClusterArchetypeNode,
  CompositionNode,
  ContentItem,
  Structure,
  TemplateDescription,
  TreeItem,
  ValueConstraint,
} from './template-description.js';
import { element, serializeXml, textElement, type XmlNode } from './xml-element.js';

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const CATEGORY = { event: '433', persistent: '431' } as const;

interface Term {
  readonly code: string;
  readonly text: string;
  readonly description: string;
}

/** The terminology of one archetype root as the compiler collects it while writing its nodes. */
class ArchetypeTerms {
  readonly terms: Term[] = [];
  readonly bindings = new Map<string, Map<string, string>>();

  add(code: string, text: string, description = ''): void {
    // A node used again under another name keeps the archetype's one term.
    if (!this.terms.some((term) => term.code === code)) this.terms.push({ code, text, description });
  }

  bind(terminology: string, code: string, target: string): void {
    let codes = this.bindings.get(terminology);
    if (codes === undefined) this.bindings.set(terminology, (codes = new Map()));
    codes.set(code, target);
  }
}

/**
 * Compiles a template description to an ADL 1.4 operational template (OPT XML), as the openEHR
 * Template.xsd and the OPTs of the usual template designers have it: one C_ARCHETYPE_ROOT per
 * archetype with its term definitions (and bindings), at-codes as node ids, occurrences, existence
 * and cardinality on every node and attribute. The output depends only on the description, so a
 * committed OPT can be checked against its description. Throws {@link TemplateDescriptionError}
 * listing every problem when the description is not sound.
 */
export function compileTemplate(description: unknown): string {
  const problems = checkTemplateDescription(description);
  if (problems.length > 0) throw new TemplateDescriptionError(problems);
  return serializeXml(new OptWriter(description as TemplateDescription).template());
}

class OptWriter {
  readonly #description: TemplateDescription;

  constructor(description: TemplateDescription) {
    this.#description = description;
  }

  template(): XmlNode {
    const d = this.#description;
    const info = d.description;
    const author = info.author;
    return element(
      'template',
      [
        codePhrase('language', 'ISO_639-1', d.language),
        element('description', [
          textElement('original_author', author.name, { id: 'name' }),
          ...(author.organisation !== undefined ? [textElement('original_author', author.organisation, { id: 'organisation' })] : []),
          ...(author.email !== undefined ? [textElement('original_author', author.email, { id: 'email' })] : []),
          textElement('original_author', author.date, { id: 'date' }),
          textElement('lifecycle_state', info.lifecycleState ?? 'unmanaged'),
          ...(info.licence !== undefined ? [textElement('other_details', info.licence, { id: 'licence' })] : []),
          textElement('other_details', 'urgent-care-plan template builder', { id: 'generator' }),
          element('details', [
            codePhrase('language', 'ISO_639-1', d.language),
            textElement('purpose', info.purpose),
            ...(info.keywords ?? []).map((keyword) => textElement('keywords', keyword)),
            ...(info.use !== undefined ? [textElement('use', info.use)] : []),
            ...(info.misuse !== undefined ? [textElement('misuse', info.misuse)] : []),
            ...(info.copyright !== undefined ? [textElement('copyright', info.copyright)] : []),
          ]),
        ]),
        element('uid', [textElement('value', templateUid(d.templateId))]),
        element('template_id', [textElement('value', d.templateId)]),
        textElement('concept', d.concept),
        this.composition(d.root),
      ],
      { xmlns: 'http://schemas.openehr.org/v1', 'xmlns:xsi': XSI },
    );
  }

  composition(root: CompositionNode): XmlNode {
    const terms = new ArchetypeTerms();
    terms.add('at0000', root.text, root.description);
    const attributes: XmlNode[] = [
      single('category', '1..1', [
        complex('DV_CODED_TEXT', '1..1', '', [single('defining_code', '1..1', [codeConstraint('openehr', [CATEGORY[root.category]])])]),
      ]),
    ];
    if (root.otherContext !== undefined) {
      const context = root.otherContext;
      terms.add(context.code, context.text ?? STRUCTURE_TEXT.otherContext, context.description ?? '@ internal @');
      attributes.push(
        single('context', '0..1', [
          complex('EVENT_CONTEXT', '1..1', '', [
            single('other_context', '0..1', [complex('ITEM_TREE', '1..1', context.code, [this.items(context.items, terms)])]),
          ]),
        ]),
      );
    }
    attributes.push(
      multiple(
        'content',
        '0..1',
        root.content.map((item) => this.content(item)),
      ),
    );
    return this.archetypeRoot('definition', root, 'COMPOSITION', '1..1', attributes, terms);
  }

  content(item: ContentItem): XmlNode {
    const terms = new ArchetypeTerms();
    terms.add('at0000', item.text, item.description);
    const occurrences = item.occurrences ?? '0..1';
    switch (item.rmType) {
      case 'SECTION':
        return this.archetypeRoot(
          'children',
          item,
          'SECTION',
          occurrences,
          [
            multiple(
              'items',
              '0..1',
              item.items.map((child) => this.content(child)),
            ),
          ],
          terms,
        );
      case 'OBSERVATION': {
        addStructure(terms, item.history, STRUCTURE_TEXT.history);
        addStructure(terms, item.event, STRUCTURE_TEXT.event);
        addStructure(terms, item.data, STRUCTURE_TEXT.data);
        const tree = complex('ITEM_TREE', '1..1', item.data.code, [this.items(item.items, terms)]);
        const event = complex('EVENT', '0..*', item.event.code, [single('data', '1..1', [tree])]);
        const history = complex('HISTORY', '1..1', item.history.code, [multiple('events', '0..1', [event], '1..*')]);
        return this.archetypeRoot('children', item, 'OBSERVATION', occurrences, [single('data', '1..1', [history])], terms);
      }
      case 'EVALUATION':
      case 'ADMIN_ENTRY': {
        addStructure(terms, item.data, STRUCTURE_TEXT.data);
        const tree = complex('ITEM_TREE', '1..1', item.data.code, [this.items(item.items, terms)]);
        return this.archetypeRoot('children', item, item.rmType, occurrences, [single('data', '1..1', [tree])], terms);
      }
      case 'INSTRUCTION': {
        addStructure(terms, item.activity, STRUCTURE_TEXT.activity);
        addStructure(terms, item.data, STRUCTURE_TEXT.data);
        const tree = complex('ITEM_TREE', '1..1', item.data.code, [this.items(item.items, terms)]);
        const activity = complex('ACTIVITY', '0..*', item.activity.code, [single('description', '1..1', [tree])]);
        return this.archetypeRoot('children', item, 'INSTRUCTION', occurrences, [multiple('activities', '0..1', [activity])], terms);
      }
      case 'ACTION': {
        addStructure(terms, item.data, STRUCTURE_TEXT.data);
        const attributes: XmlNode[] = [];
        const steps = item.careflowSteps ?? [];
        if (steps.length > 0) {
          for (const step of steps) terms.add(step.code, step.text, step.description);
          attributes.push(
            single(
              'ism_transition',
              '1..1',
              steps.map((step) =>
                complex('ISM_TRANSITION', '0..1', step.code, [
                  single('current_state', '1..1', [
                    complex('DV_CODED_TEXT', '1..1', '', [
                      single('defining_code', '1..1', [codeConstraint('openehr', [step.currentState])]),
                    ]),
                  ]),
                  single('careflow_step', '0..1', [
                    complex('DV_CODED_TEXT', '1..1', '', [single('defining_code', '1..1', [codeConstraint('local', [step.code])])]),
                  ]),
                ]),
              ),
            ),
          );
        }
        attributes.push(single('description', '1..1', [complex('ITEM_TREE', '1..1', item.data.code, [this.items(item.items, terms)])]));
        return this.archetypeRoot('children', item, 'ACTION', occurrences, attributes, terms);
      }
    }
  }

  items(items: readonly TreeItem[], terms: ArchetypeTerms): XmlNode {
    return multiple(
      'items',
      '0..1',
      items.map((item) => this.item(item, terms)),
    );
  }

  item(item: TreeItem, terms: ArchetypeTerms): XmlNode {
    const occurrences = item.occurrences ?? '0..1';
    if ('archetypeId' in item) return this.clusterArchetype(item);
    terms.add(item.code, item.text, item.description);
    if (item.binding !== undefined) terms.bind(item.binding.terminology, item.code, item.binding.code);
    const name = nameConstraint(item.rename, item.formerNames);
    if (item.rmType === 'CLUSTER') return complex('CLUSTER', occurrences, item.code, [this.items(item.items, terms), name]);
    return complex('ELEMENT', occurrences, item.code, [single('value', '0..1', [this.value(item.value, terms)]), name]);
  }

  clusterArchetype(item: ClusterArchetypeNode): XmlNode {
    const terms = new ArchetypeTerms();
    terms.add('at0000', item.text, item.description);
    return this.archetypeRoot('children', item, 'CLUSTER', item.occurrences ?? '0..1', [this.items(item.items, terms)], terms);
  }

  archetypeRoot(
    tag: string,
    node: ArchetypeNode,
    rmType: string,
    occurrences: string,
    attributes: XmlNode[],
    terms: ArchetypeTerms,
  ): XmlNode {
    if ('binding' in node && node.binding !== undefined) terms.bind(node.binding.terminology, 'at0000', node.binding.code);
    const name = nameConstraint(node.rename, 'formerNames' in node ? node.formerNames : undefined);
    const children: XmlNode[] = [
      textElement('rm_type_name', rmType),
      interval('occurrences', occurrences),
      textElement('node_id', 'at0000'),
      ...attributes,
      ...(name !== undefined ? [name] : []),
      element('archetype_id', [textElement('value', node.archetypeId)]),
      ...(tag === 'definition' ? [element('template_id', [textElement('value', this.#description.templateId)])] : []),
      ...terms.terms.map((term) =>
        element(
          'term_definitions',
          [textElement('items', term.text, { id: 'text' }), textElement('items', term.description, { id: 'description' })],
          { code: term.code },
        ),
      ),
      ...[...terms.bindings].map(([terminology, codes]) =>
        element(
          'term_bindings',
          [...codes].map(([code, target]) => element('items', [codePhrase('value', terminology, target)], { code })),
          { terminology },
        ),
      ),
    ];
    return element(tag, children, { 'xsi:type': 'C_ARCHETYPE_ROOT' });
  }

  value(value: ValueConstraint, terms: ArchetypeTerms): XmlNode {
    switch (value.type) {
      case 'DV_TEXT':
        return textConstraint(value);
      case 'DV_CODED_TEXT':
        return codedTextConstraint(value, terms);
      case 'DV_BOOLEAN':
        return complex('DV_BOOLEAN', '1..1', '', [
          single('value', '1..1', [
            primitive(
              'BOOLEAN',
              element('item', [textElement('true_valid', true), textElement('false_valid', true)], { 'xsi:type': 'C_BOOLEAN' }),
            ),
          ]),
        ]);
      case 'DV_DATE':
      case 'DV_DATE_TIME':
      case 'DV_TIME':
      case 'DV_DURATION':
        return temporalConstraint(value);
      case 'DV_COUNT': {
        if (value.min === undefined && value.max === undefined) return complex('DV_COUNT', '1..1', '', []);
        const range = boundsInterval('range', value.min, value.max);
        return complex('DV_COUNT', '1..1', '', [
          single('magnitude', '1..1', [primitive('INTEGER', element('item', [range], { 'xsi:type': 'C_INTEGER' }))]),
        ]);
      }
      case 'DV_QUANTITY':
        return quantityConstraint(value);
      case 'DV_ORDINAL':
        return ordinalConstraint(value, terms);
      default:
        return complex(value.type, '1..1', '', []);
    }
  }
}

type ValueOf<T extends ValueConstraint['type']> = Extract<ValueConstraint, { type: T }>;

function textConstraint(value: ValueOf<'DV_TEXT'>): XmlNode {
  if (value.list === undefined && value.pattern === undefined) return complex('DV_TEXT', '1..1', '', []);
  const item = element(
    'item',
    [
      ...(value.pattern !== undefined ? [textElement('pattern', value.pattern)] : []),
      ...(value.list ?? []).map((entry) => textElement('list', entry)),
    ],
    { 'xsi:type': 'C_STRING' },
  );
  return complex('DV_TEXT', '1..1', '', [single('value', '1..1', [primitive('STRING', item)])]);
}

function codedTextConstraint(value: ValueOf<'DV_CODED_TEXT'>, terms: ArchetypeTerms): XmlNode {
  const listed = value.codes ?? [];
  for (const term of listed) {
    if (value.terminology === 'local') {
      terms.add(term.code, term.text, term.description ?? '');
      if (term.binding !== undefined) terms.bind(term.binding.terminology, term.code, term.binding.code);
    } else {
      // Labels of external codes live in the archetype's terms as TERMINOLOGY::code, as template designers write them.
      terms.add(`${value.terminology}::${term.code}`, term.text, term.description ?? '');
    }
  }
  return complex('DV_CODED_TEXT', '1..1', '', [
    single('defining_code', '1..1', [
      codeConstraint(
        value.terminology,
        listed.map((term) => term.code),
      ),
    ]),
  ]);
}

/** DV_DATE, DV_DATE_TIME, DV_TIME and DV_DURATION: a pattern on the value, if the description gives one. */
function temporalConstraint(value: ValueOf<'DV_DATE' | 'DV_DATE_TIME' | 'DV_TIME' | 'DV_DURATION'>): XmlNode {
  if (value.pattern === undefined) return complex(value.type, '1..1', '', []);
  const primitiveType = value.type.slice(3);
  const item = element('item', [textElement('pattern', value.pattern)], { 'xsi:type': `C_${primitiveType}` });
  return complex(value.type, '1..1', '', [single('value', '1..1', [primitive(primitiveType, item)])]);
}

function quantityConstraint(value: ValueOf<'DV_QUANTITY'>): XmlNode {
  return element(
    'children',
    [
      textElement('rm_type_name', 'DV_QUANTITY'),
      interval('occurrences', '1..1'),
      textElement('node_id', ''),
      ...(value.property !== undefined ? [codePhrase('property', 'openehr', value.property.code)] : []),
      ...value.units.map((unit) =>
        element('list', [
          ...(unit.min !== undefined || unit.max !== undefined ? [boundsInterval('magnitude', unit.min, unit.max)] : []),
          ...(unit.precision !== undefined ? [boundsInterval('precision', unit.precision, unit.precision)] : []),
          textElement('units', unit.units),
        ]),
      ),
    ],
    { 'xsi:type': 'C_DV_QUANTITY' },
  );
}

function ordinalConstraint(value: ValueOf<'DV_ORDINAL'>, terms: ArchetypeTerms): XmlNode {
  for (const term of value.scale) {
    terms.add(term.code, term.text, term.description ?? '');
    if (term.binding !== undefined) terms.bind(term.binding.terminology, term.code, term.binding.code);
  }
  return element(
    'children',
    [
      textElement('rm_type_name', 'DV_ORDINAL'),
      interval('occurrences', '1..1'),
      textElement('node_id', ''),
      ...value.scale.map((term) =>
        element('list', [
          textElement('value', term.value),
          element('symbol', [textElement('value', ''), codePhrase('defining_code', 'local', term.code)]),
        ]),
      ),
    ],
    { 'xsi:type': 'C_DV_ORDINAL' },
  );
}

function addStructure(terms: ArchetypeTerms, structure: Structure, text: string): void {
  terms.add(structure.code, structure.text ?? text, structure.description ?? '@ internal @');
}

/** A stable uid per template id (a name-based UUID, version 5 layout over SHA-256). */
function templateUid(templateId: string): string {
  const hex = createHash('sha256').update(`urgent-care-plan:template:${templateId}`).digest('hex');
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function codePhrase(tag: string, terminology: string, code: string): XmlNode {
  return element(tag, [element('terminology_id', [textElement('value', terminology)]), textElement('code_string', code)]);
}

function interval(tag: string, occurrences: string): XmlNode {
  const { min, max } = parseOccurrences(occurrences);
  return boundsInterval(tag, min, max);
}

function boundsInterval(tag: string, lower: number | undefined, upper: number | undefined): XmlNode {
  return element(tag, [
    textElement('lower_included', lower !== undefined),
    textElement('upper_included', upper !== undefined),
    textElement('lower_unbounded', lower === undefined),
    textElement('upper_unbounded', upper === undefined),
    ...(lower !== undefined ? [textElement('lower', lower)] : []),
    ...(upper !== undefined ? [textElement('upper', upper)] : []),
  ]);
}

function complex(rmType: string, occurrences: string, nodeId: string, attributes: readonly (XmlNode | undefined)[]): XmlNode {
  return element(
    'children',
    [textElement('rm_type_name', rmType), interval('occurrences', occurrences), textElement('node_id', nodeId), ...attributes],
    {
      'xsi:type': 'C_COMPLEX_OBJECT',
    },
  );
}

function primitive(rmType: string, item: XmlNode): XmlNode {
  return element('children', [textElement('rm_type_name', rmType), interval('occurrences', '1..1'), textElement('node_id', ''), item], {
    'xsi:type': 'C_PRIMITIVE_OBJECT',
  });
}

function single(name: string, existence: string, children: readonly XmlNode[]): XmlNode {
  return element('attributes', [textElement('rm_attribute_name', name), interval('existence', existence), ...children], {
    'xsi:type': 'C_SINGLE_ATTRIBUTE',
  });
}

function multiple(name: string, existence: string, children: readonly XmlNode[], cardinality = '0..*'): XmlNode {
  return element(
    'attributes',
    [
      textElement('rm_attribute_name', name),
      interval('existence', existence),
      ...children,
      element('cardinality', [textElement('is_ordered', true), textElement('is_unique', false), interval('interval', cardinality)]),
    ],
    { 'xsi:type': 'C_MULTIPLE_ATTRIBUTE' },
  );
}

function codeConstraint(terminology: string, codes: readonly string[]): XmlNode {
  return element(
    'children',
    [
      textElement('rm_type_name', 'CODE_PHRASE'),
      interval('occurrences', '1..1'),
      textElement('node_id', ''),
      element('terminology_id', [textElement('value', terminology)]),
      ...codes.map((code) => textElement('code_list', code)),
    ],
    { 'xsi:type': 'C_CODE_PHRASE' },
  );
}

/** The template-level name of a node: its `name` constrained to one DV_TEXT value. */
/** The name constraint of a renamed node: its name, then any former names stored data may still carry. */
function nameConstraint(name: string | undefined, formerNames: readonly string[] = []): XmlNode | undefined {
  if (name === undefined) return undefined;
  const names = [name, ...formerNames.filter((former) => former !== name)];
  const item = element(
    'item',
    [...new Set(names)].map((allowed) => textElement('list', allowed)),
    { 'xsi:type': 'C_STRING' },
  );
  return single('name', '1..1', [complex('DV_TEXT', '1..1', '', [single('value', '1..1', [primitive('STRING', item)])])]);
}
