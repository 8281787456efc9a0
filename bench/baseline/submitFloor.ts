import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Client } from '@temporalio/client';

/** What one timed run of the floor measured. */
export interface FloorRun {
  ops: number;
  seconds: number;
  latenciesMs: number[];
}

/**
 * The floor under request submission: the least durable work one submission can do, run as a bare loop with no
 * HTTP, validation, locking or slot check. Each operation is one PostgreSQL insert (autocommit) and one Temporal
 * workflow start through the same client library and server the API uses, on a task queue no worker polls, so the
 * floor pays for recording and starting, never for running. Benchmark-only.
 */
export async function createSubmitFloor(opts: {
  databaseUrl: string;
  temporal: Client;
  /** Same pool size as the API's, so neither side gets more database connections. */
  poolMax: number;
}) {
  const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolMax });
  await pool.query(
    'CREATE TABLE IF NOT EXISTS bench_floor (id uuid PRIMARY KEY, payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())',
  );
  const taskQueue = `bench-floor-${randomUUID()}`;

  async function once(): Promise<void> {
    const id = randomUUID();
    const payload = {
      requestId: id,
      practiceId: randomUUID(),
      clinicianId: randomUUID(),
      startsAt: new Date().toISOString(),
    };
    await pool.query('INSERT INTO bench_floor (id, payload) VALUES ($1, $2)', [id, payload]);
    await opts.temporal.workflow.start('floorWorkflow', {
      taskQueue,
      workflowId: `bench-floor-${id}`,
      args: [payload],
    });
  }

  return {
    /** Runs `concurrency` loops for durationMs and reports every operation's latency. */
    async run(concurrency: number, durationMs: number): Promise<FloorRun> {
      const latenciesMs: number[] = [];
      const started = performance.now();
      const until = started + durationMs;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (performance.now() < until) {
            const t0 = performance.now();
            await once();
            latenciesMs.push(performance.now() - t0);
          }
        }),
      );
      return { ops: latenciesMs.length, seconds: (performance.now() - started) / 1000, latenciesMs };
    },
    close: () => pool.end(),
  };
}
