/**
 * The baseline of the emergency summary benchmark: a bare Fastify route that reads the same
 * JSONB row from the same database with the same pool size, without authentication, access
 * control or audit. What the platform adds is measured against it.
 */
import Fastify from 'fastify';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env['DATABASE_URL'], max: Number(process.env['UCP_DB_POOL_SIZE'] ?? 10) });
const app = Fastify();
app.get('/readyz', async () => ({ status: 'ready' }));
app.get<{ Params: { ehr_id: string } }>('/bare/:ehr_id', async (request, reply) => {
  const { rows } = await pool.query<{ summary: unknown }>('SELECT summary FROM care_plan_summary WHERE ehr_id = $1', [
    request.params.ehr_id,
  ]);
  if (rows.length === 0) return reply.code(404).send({ title: 'not found' });
  return rows[0]?.summary;
});
await app.listen({ port: Number(process.env['PORT']), host: '127.0.0.1' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void app
      .close()
      .then(() => pool.end())
      .then(() => process.exit(0));
  });
}
