/**
 * npm run templates:build — compiles every template description in templates/descriptions/ to its
 * OPT in templates/opt/. The committed OPTs are what the platform uploads; a test fails when they
 * drift from their descriptions, so run this after changing a description and commit both.
 */
import { writeFile } from 'node:fs/promises';
import { UCP_TEMPLATES_ROOT, compileTemplateDescriptions } from '../src/careplan/pathway/template-sources.js';

for (const template of await compileTemplateDescriptions()) {
  await writeFile(new URL(`opt/${encodeURIComponent(template.optFile)}`, UCP_TEMPLATES_ROOT), template.xml);
  console.log(`${template.file} -> templates/opt/${template.optFile}`);
}
