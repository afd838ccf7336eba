/**
 * An operational template compiled for validation: every constraint object gets the lookups the
 * validator needs per data node (children by node id, slots, term texts of its archetype,
 * resolved internal references), so validating a composition never re-walks the OPT.
 */
import type { ArchetypeTerminology, CArchetypeRoot, CAttribute, CObject, Interval, OperationalTemplate } from '../template/opt-model.js';

/** Term texts of one archetype, in every language the template carries. */
export interface ArchetypeTerms {
  readonly archetypeId: string;
  /** All texts of a code (template language first), or undefined for an unknown code. */
  texts(code: string): readonly string[] | undefined;
}

export interface CompiledNode {
  readonly constraint: CObject;
  readonly rmType: string;
  /** The id data must carry: the archetype id for archetype roots, the target's id for internal refs. */
  readonly nodeId: string;
  readonly occurrences: Interval<number>;
  readonly attributes: ReadonlyMap<string, CompiledAttribute>;
  readonly archetype: ArchetypeTerms;
  /** For ARCHETYPE_INTERNAL_REF: the node it points at, once resolved. */
  readonly target: CompiledNode | undefined;
}

export interface CompiledAttribute {
  readonly name: string;
  readonly multiple: boolean;
  readonly existence: Interval<number>;
  readonly cardinality: Interval<number> | undefined;
  readonly children: readonly CompiledNode[];
  /** Children that carry a node id, by that id (several when the template tells them apart by name). */
  readonly byNodeId: ReadonlyMap<string, readonly CompiledNode[]>;
  readonly slots: readonly CompiledNode[];
  /** Children without a node id: data values, code phrases, primitives. */
  readonly unidentified: readonly CompiledNode[];
}

export interface CompiledTemplate {
  readonly template: OperationalTemplate;
  readonly root: CompiledNode;
  /** Internal references whose target path the template does not define; they accept any content. */
  readonly unresolvedReferences: readonly string[];
}

class MutableNode implements CompiledNode {
  readonly attributes = new Map<string, MutableAttribute>();
  target: MutableNode | undefined;

  constructor(
    readonly constraint: CObject,
    readonly archetype: ArchetypeTerms,
  ) {}

  get rmType(): string {
    return this.constraint.rmTypeName;
  }

  get occurrences(): Interval<number> {
    return this.constraint.occurrences;
  }

  get nodeId(): string {
    if (this.constraint.type === 'C_ARCHETYPE_ROOT') return this.constraint.archetypeId;
    if (this.constraint.nodeId === '' && this.target) return this.target.nodeId;
    return this.constraint.nodeId;
  }
}

class MutableAttribute implements CompiledAttribute {
  readonly children: MutableNode[] = [];
  byNodeId = new Map<string, MutableNode[]>();
  slots: MutableNode[] = [];
  unidentified: MutableNode[] = [];

  constructor(readonly source: CAttribute) {}

  get name(): string {
    return this.source.rmAttributeName;
  }

  get multiple(): boolean {
    return this.source.type === 'C_MULTIPLE_ATTRIBUTE';
  }

  get existence(): Interval<number> {
    return this.source.existence;
  }

  get cardinality(): Interval<number> | undefined {
    return this.source.cardinality?.interval;
  }

  index(): void {
    this.byNodeId = new Map();
    this.slots = [];
    this.unidentified = [];
    for (const child of this.children) {
      if (child.constraint.type === 'ARCHETYPE_SLOT') {
        this.slots.push(child);
        continue;
      }
      const id = child.nodeId;
      if (id === '') {
        this.unidentified.push(child);
        continue;
      }
      const list = this.byNodeId.get(id);
      if (list) list.push(child);
      else this.byNodeId.set(id, [child]);
    }
  }
}

function archetypeTerms(root: CArchetypeRoot, template: OperationalTemplate): ArchetypeTerms {
  const texts = new Map<string, string[]>();
  const add = (terminology: ArchetypeTerminology | undefined, preferred: string): void => {
    if (!terminology) return;
    const languages = Object.keys(terminology.termDefinitions).sort((a, b) => Number(b === preferred) - Number(a === preferred));
    for (const language of languages) {
      for (const term of Object.values(terminology.termDefinitions[language] ?? {})) {
        const list = texts.get(term.code);
        if (!list) texts.set(term.code, [term.text]);
        else if (!list.includes(term.text)) list.push(term.text);
      }
    }
  };
  const language = template.language.codeString;
  add(root, language);
  add(template.ontologies[root.archetypeId], language);
  return { archetypeId: root.archetypeId, texts: (code) => texts.get(code) };
}

/** Archetype-relative path of a node as ARCHETYPE_INTERNAL_REF.target_path writes it. */
function childPath(parent: string, attribute: string, node: CObject): string {
  const id = node.type === 'C_ARCHETYPE_ROOT' ? node.archetypeId : node.nodeId;
  return `${parent}/${attribute}${id === '' ? '' : `[${id}]`}`;
}

interface PendingReference {
  readonly node: MutableNode;
  readonly targetPath: string;
  readonly paths: ReadonlyMap<string, MutableNode>;
}

export function compileTemplate(template: OperationalTemplate): CompiledTemplate {
  const attributes: MutableAttribute[] = [];
  const references: PendingReference[] = [];

  const compile = (constraint: CObject, archetype: ArchetypeTerms, path: string, paths: Map<string, MutableNode>): MutableNode => {
    let terms = archetype;
    let nodePaths = paths;
    let ownPath = path;
    if (constraint.type === 'C_ARCHETYPE_ROOT') {
      terms = archetypeTerms(constraint, template);
      // Internal references are relative to the archetype that contains them.
      nodePaths = new Map();
      ownPath = '';
    }
    const node = new MutableNode(constraint, terms);
    nodePaths.set(ownPath === '' ? '/' : ownPath, node);
    if (constraint.type === 'ARCHETYPE_INTERNAL_REF') {
      references.push({ node, targetPath: constraint.targetPath, paths: nodePaths });
    }
    if (constraint.type === 'C_COMPLEX_OBJECT' || constraint.type === 'C_ARCHETYPE_ROOT') {
      for (const source of constraint.attributes) {
        const attribute = new MutableAttribute(source);
        for (const child of source.children) {
          attribute.children.push(compile(child, terms, childPath(ownPath, source.rmAttributeName, child), nodePaths));
        }
        node.attributes.set(source.rmAttributeName, attribute);
        attributes.push(attribute);
      }
    }
    return node;
  };

  const root = compile(template.definition, archetypeTerms(template.definition, template), '', new Map());
  const unresolvedReferences: string[] = [];
  const direct = new Map<MutableNode, MutableNode>();
  for (const reference of references) {
    const target = reference.paths.get(reference.targetPath.replace(/\s+/g, '').replace(/\/$/, '') || '/');
    if (target && target !== reference.node) direct.set(reference.node, target);
    else unresolvedReferences.push(reference.targetPath);
  }
  // A reference may point at another reference; follow the chain to a real node (cycles stay unresolved).
  for (const [node, first] of direct) {
    let target: MutableNode | undefined = first;
    const seen = new Set<MutableNode>([node]);
    while (target && direct.has(target) && !seen.has(target)) {
      seen.add(target);
      target = direct.get(target);
    }
    if (target && !direct.has(target)) node.target = target;
    else if (node.constraint.type === 'ARCHETYPE_INTERNAL_REF') unresolvedReferences.push(node.constraint.targetPath);
  }
  for (const attribute of attributes) attribute.index();
  return { template, root, unresolvedReferences };
}
