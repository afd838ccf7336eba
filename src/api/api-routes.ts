import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Config } from '../config/config.js';
import type { SystemFacts } from './system-facts.js';
import { problemResponses } from '../http/schemas.js';

export interface ApiRoutesOptions {
  facts: SystemFacts;
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
export const apiRoutes: FastifyPluginAsyncTypebox<ApiRoutesOptions> = async (app, { facts, config, version }) => {
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
      database: facts.backend,
      demo: await facts.holdsDemoDataset(),
    }),
  );
};
