import type { MemoryPeak, Scenario, ScenarioResult } from '../lib/scenario';

const TITLE = '8 memory';
const SOURCES = ['ingest', 'backlog', 'fanout'];

/** Peak RSS (VmHWM) of the master and ship processes of scenarios 1–3, read before they stopped. */
export const memory: Scenario = {
  name: 'memory',
  title: TITLE,
  run(context): Promise<ScenarioResult> {
    const peaks: (MemoryPeak & { scenario: string })[] = SOURCES.flatMap((scenario) =>
      (context.results[scenario]?.memory ?? []).map((m) => ({ ...m, scenario })),
    );
    const top = (role: MemoryPeak['role']) =>
      peaks.filter((p) => p.role === role).sort((a, b) => b.peakMb - a.peakMb)[0];
    const ship = top('ship');
    const master = top('master');
    const ran = SOURCES.filter((s) => context.results[s]).join(', ') || 'none';
    return Promise.resolve({
      rows: [
        {
          scenario: TITLE,
          metric: 'peak RSS of a ship',
          value: ship?.peakMb ?? null,
          unit: 'MB',
          target: '< 150',
          note: ship
            ? `${ship.node} in ${ship.scenario} (scenarios run: ${ran})`
            : 'no scenario 1–3 ran',
        },
        {
          scenario: TITLE,
          metric: 'peak RSS of the master',
          value: master?.peakMb ?? null,
          unit: 'MB',
          target: '< 300',
          note: master ? `in ${master.scenario}` : 'no scenario 1–3 ran',
        },
      ],
      details: { peaks },
    });
  },
};
