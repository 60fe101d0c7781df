import type { ApiClient } from './api-client';
import type { FinalState } from './final-state';
import type { Prng } from './prng';
import { resolveOpenConflicts } from './workload-runner';

interface ShipStatus {
  pending: number;
  awaitingOutcome: number;
  failed: number;
}

interface MasterStatus {
  outbox: { pending: number };
  conflicts: { open: number };
}

/** How long everything must stay quiet and equal before the final state is read. */
const QUIET_FOR_MS = 5_000;

/**
 * After healing: resolves every open conflict (as an operator would, each resolution recorded),
 * sends failed changes again, and waits until every ship's queue is settled, the master's outbox
 * is empty, no conflict is open and every node serves the same content checksum, for a while.
 */
export async function quiesce(
  api: ApiClient,
  prng: Prng,
  masters: string[],
  ships: string[],
  { timeoutMs }: { timeoutMs: number },
): Promise<FinalState['quiescence']> {
  const started = Date.now();
  let quietSince: number | null = null;
  let detail = 'not checked yet';
  while (Date.now() - started < timeoutMs) {
    const reasons: string[] = [];
    const open = await resolveOpenConflicts(prng, api, masters, 'healer', null);
    if (open !== 0) reasons.push(open < 0 ? 'conflicts not readable' : `${open} open conflict(s)`);
    for (const ship of ships) {
      const status = await api.call<ShipStatus>(
        'healer',
        ship,
        'GET',
        '/api/offline-sync/status',
        undefined,
        {
          record: false,
        },
      );
      if (status.status !== 200 || !status.body) {
        reasons.push(`${ship} status ${status.status ?? status.error}`);
        continue;
      }
      const { pending, awaitingOutcome, failed } = status.body;
      if (failed > 0) {
        await api.call('healer', ship, 'POST', '/api/offline-sync/push', { retryFailed: true });
      }
      if (pending + awaitingOutcome + failed > 0) {
        reasons.push(
          `${ship}: ${pending} pending, ${awaitingOutcome} awaiting an outcome, ${failed} failed`,
        );
      }
    }
    const master = await api.call<MasterStatus>(
      'healer',
      masters[0],
      'GET',
      '/api/offline-sync/status',
      undefined,
      { record: false },
    );
    if (master.status !== 200 || !master.body) {
      reasons.push(`master status ${master.status ?? master.error}`);
    } else if (master.body.outbox.pending > 0) {
      reasons.push(`master outbox: ${master.body.outbox.pending} pending`);
    }
    const sums = await Promise.all(
      [...masters, ...ships].map(async (node) => {
        const answer = await api.call<{ checksum: string }>(
          'healer',
          node,
          'GET',
          '/api/offline-sync/checksum',
          undefined,
          { record: false, timeoutMs: 30_000 },
        );
        return `${node}=${answer.body?.checksum?.slice(0, 8) ?? answer.error ?? answer.status}`;
      }),
    );
    if (new Set(sums.map((s) => s.split('=')[1])).size !== 1) {
      reasons.push(`checksums differ (${sums.join(' ')})`);
    }
    if (reasons.length === 0) {
      quietSince ??= Date.now();
      detail = 'settled queues, empty outbox, no open conflict, equal checksums';
      if (Date.now() - quietSince >= QUIET_FOR_MS) {
        return { reached: true, waitedMs: Date.now() - started, detail };
      }
    } else {
      quietSince = null;
      detail = reasons.join('; ');
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  return { reached: false, waitedMs: Date.now() - started, detail };
}
