import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Config } from '../config/config.js';
import type { Database } from '../db/database.js';
import { readSystemSetting } from '../system/system-settings.js';
import { problemResponses } from '../http/schemas.js';

export interface ApiRoutesOptions {
  db: Database;
  config: Config;
  version: string;
}

const SystemInfoSchema = Type.Object({
  name: Type.String(),
  version: Type.String(),
  systemId: Type.String({ description: 'openEHR system id of this repository' }),
  database: Type.Union([Type.Literal('postgres'), Type.Literal('pglite')]),
  demo: Type.Boolean({ description: 'True when the store holds the synthetic demo dataset' }),
});

/** The care plan application's own API. Errors are application/problem+json. */
export const apiRoutes: FastifyPluginAsyncTypebox<ApiRoutesOptions> = async (app, { db, config, version }) => {
  app.get(
    '/system',
    {
      config: { policy: { kind: 'public', reason: 'describes the installation; holds no personal data' } },
      schema: {
        tags: ['system'],
        summary: 'What this installation is',
        response: { 200: SystemInfoSchema, ...problemResponses },
      },
    },
    async () => ({
      name: 'Urgent Care Plan',
      version,
      systemId: config.systemId,
      database: db.backend,
      demo: (await readSystemSetting(db, 'demo_dataset')) !== undefined,
    }),
  );
};
