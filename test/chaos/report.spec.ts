import type { CheckReport } from './checker';
import { FAULT_KINDS } from './fault-schedule';
import { formatReport, replayCommand } from './report';

describe('report', () => {
  it('names the command that replays a run', () => {
    expect(replayCommand({ seed: 7, minutes: 10, ships: 3, faults: FAULT_KINDS })).toBe(
      'npm run chaos -- --seed 7 --minutes 10 --ships 3 --faults all',
    );
    expect(
      replayCommand({
        seed: 7,
        minutes: 0.5,
        ships: 3,
        faults: ['kill-ship', 'link-cut'],
        defect: 'ack-before-commit',
        expect: ['lost-write'],
      }),
    ).toBe(
      'npm run chaos -- --seed 7 --minutes 0.5 --ships 3 --faults kill-ship,link-cut --defect ack-before-commit --expect lost-write',
    );
  });

  it('prints faults by kind, acknowledged writes, anomalies with examples, the seed and replay', () => {
    const report: CheckReport = {
      anomalies: [
        { kind: 'lost-write', message: 'ship-a acknowledged create of x', ops: [12] },
        { kind: 'lost-write', message: 'ship-b acknowledged create of y', ops: [13] },
        { kind: 'diverged', message: 'ship-c differs' },
      ],
      stats: {
        operations: 100,
        answers: { '2xx': 90, none: 10 },
        writesAcknowledged: { ships: 60, masters: 20, resolutions: 5 },
        faultsByKind: { 'kill-ship': 2, 'link-cut': 3 },
        faultErrors: 0,
        processExits: { starting: 1, crashed: 0 },
        conflicts: { total: 5, open: 0, resolved: 5 },
        deadLetters: { master: 0, ships: 0 },
        documents: 40,
        revisions: 90,
      },
    };
    const text = formatReport(
      { seed: 99, minutes: 1, ships: 3, faults: FAULT_KINDS },
      report,
      { dir: '.run/chaos/x' },
      { reached: true, waitedMs: 12_300, detail: '' },
      1,
    );
    expect(text).toContain('faults injected:    5 (kill-ship 2, link-cut 3)');
    expect(text).toContain('writes acknowledged: ships 60, masters 20, conflict resolutions 5');
    expect(text).toContain('anomalies:          3 (lost-write 2, diverged 1)');
    expect(text).toContain('- ship-a acknowledged create of x [op 12]');
    expect(text).toContain('... and 1 more (report.json)');
    expect(text).toContain('seed:               99');
    expect(text).toContain('replay:             npm run chaos -- --seed 99 --minutes 1');
  });
});
