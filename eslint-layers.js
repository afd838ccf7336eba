/**
 * The dependency rules of docs/architecture.md ("Dependency rules"), as data: for each part of
 * src/, the other parts it may import. eslint.config.js turns them into no-restricted-imports
 * rules (an import of any other part fails the lint); test/architecture/layers.test.ts keeps this
 * table and the one in the docs equal and proves that a forbidden import fails.
 *
 * A part is a folder under src/ (`openehr/*` and the entry file `main` are parts of their own).
 */
export const LAYERS = {
  main: ['auth', 'config', 'db', 'demo', 'http', 'secrets', 'server'],
  server: [
    'access',
    'api',
    'audit',
    'auth',
    'careplan',
    'cds-hooks',
    'config',
    'db',
    'demo',
    'demographics',
    'designer',
    'errors',
    'events',
    'fhir',
    'http',
    'integration',
    'nrl',
    'openehr/rest',
    'openehr/service',
    'organisations',
    'repository',
    'secrets',
    'smart',
    'web',
  ],
  http: ['access', 'auth', 'config', 'db', 'errors'],
  errors: [],
  config: ['secrets', 'shared'],
  nhs: [],
  shared: [],
  db: ['shared'],
  secrets: ['db'],
  system: ['db'],
  access: ['db'],
  audit: ['access', 'config', 'db', 'errors', 'nhs', 'shared'],
  organisations: ['access', 'db', 'errors'],
  users: ['access', 'auth', 'db', 'errors', 'nhs', 'organisations', 'secrets', 'shared'],
  auth: ['access', 'audit', 'db', 'demo', 'errors', 'http', 'nhs', 'organisations', 'secrets', 'shared', 'users'],
  api: [
    'access',
    'audit',
    'auth',
    'careplan',
    'config',
    'db',
    'demographics',
    'errors',
    'fhir',
    'http',
    'nhs',
    'organisations',
    'repository',
    'system',
    'users',
  ],
  repository: ['access', 'audit', 'db', 'errors', 'nhs', 'openehr/service', 'openehr/store', 'shared'],
  events: ['db', 'errors', 'http'],
  delivery: ['db', 'events'],
  careplan: [
    'access',
    'audit',
    'db',
    'errors',
    'events',
    'http',
    'nhs',
    'openehr/aql',
    'openehr/flat',
    'openehr/rm',
    'openehr/service',
    'openehr/template',
    'openehr/template-builder',
    'organisations',
    'repository',
    'shared',
  ],
  demographics: ['access', 'audit', 'db', 'errors', 'http', 'nhs'],
  designer: [
    'access',
    'api',
    'audit',
    'careplan',
    'db',
    'errors',
    'http',
    'openehr/service',
    'openehr/template',
    'openehr/template-builder',
  ],
  fhir: [
    'access',
    'audit',
    'careplan',
    'db',
    'delivery',
    'demographics',
    'errors',
    'events',
    'http',
    'nhs',
    'organisations',
    'repository',
    'secrets',
    'server',
    'shared',
  ],
  smart: ['access', 'audit', 'auth', 'db', 'errors', 'fhir', 'http', 'nhs', 'repository', 'users'],
  'cds-hooks': ['access', 'careplan', 'db', 'errors', 'integration', 'nhs', 'organisations', 'repository'],
  integration: ['access', 'audit', 'auth', 'db', 'errors', 'nhs', 'users'],
  nrl: ['careplan', 'db', 'delivery', 'events'],
  demo: [
    'access',
    'careplan',
    'config',
    'db',
    'demographics',
    'designer',
    'nhs',
    'openehr/service',
    'openehr/store',
    'organisations',
    'repository',
    'system',
    'users',
  ],
  web: ['http'],
  'openehr/rm': ['shared'],
  'openehr/terminology': [],
  'openehr/template': ['openehr/rm', 'openehr/terminology'],
  'openehr/flat': ['openehr/rm', 'openehr/template', 'openehr/terminology', 'shared'],
  'openehr/validation': ['openehr/rm', 'openehr/template', 'openehr/terminology', 'shared'],
  'openehr/example': ['openehr/flat', 'openehr/rm', 'openehr/template', 'shared'],
  'openehr/template-builder': ['openehr/template', 'shared'],
  'openehr/aql': ['openehr/rm'],
  'openehr/store': ['db', 'errors', 'events', 'openehr/rm', 'openehr/template', 'openehr/terminology', 'shared'],
  'openehr/service': [
    'access',
    'audit',
    'config',
    'db',
    'errors',
    'openehr/aql',
    'openehr/flat',
    'openehr/rm',
    'openehr/store',
    'openehr/template',
    'openehr/terminology',
    'openehr/validation',
    'shared',
  ],
  'openehr/rest': [
    'errors',
    'http',
    'openehr/example',
    'openehr/flat',
    'openehr/rm',
    'openehr/service',
    'openehr/terminology',
    'repository',
    'shared',
  ],
};

import path from 'node:path';
import process from 'node:process';

/** The part of src/ a file (absolute or relative to the repository) belongs to; undefined outside src/. */
export function partOf(file) {
  const relative = path.relative(process.cwd(), path.resolve(file)).split(path.sep);
  if (relative[0] !== 'src' || relative.length < 2) return undefined;
  if (relative.length === 2) return relative[1].replace(/\.tsx?$/, '');
  if (relative[1] === 'openehr' && relative.length > 3) return `openehr/${relative[2]}`;
  return relative[1];
}

/**
 * The lint rule: an import (or re-export) from another part of src/ must be one the part may
 * import. The specifier is resolved against the importing file, so relative imports at any depth
 * are judged by where they land.
 */
const allowedImports = {
  meta: {
    type: 'problem',
    docs: { description: 'dependency rules between the parts of src/ (docs/architecture.md)' },
    schema: [],
    messages: { forbidden: '{{from}} may not import {{to}} (docs/architecture.md, dependency rules).' },
  },
  create(context) {
    const from = partOf(context.filename);
    if (from === undefined || !(from in LAYERS)) return {};
    const allowed = new Set([from, ...LAYERS[from]]);
    const check = (node) => {
      const specifier = node.source?.value;
      if (typeof specifier !== 'string' || !specifier.startsWith('.')) return;
      const to = partOf(path.resolve(path.dirname(context.filename), specifier));
      if (to === undefined || allowed.has(to)) return;
      context.report({ node: node.source, messageId: 'forbidden', data: { from, to } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};

export const layersPlugin = { rules: { 'allowed-imports': allowedImports } };
