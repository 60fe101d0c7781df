import { syncKafkaAcls } from './sync-acls';
import {
  outcomeTopicGroupOf,
  outcomeTopicsShared,
  outcomesTopicFor,
  resolveTopicNames,
  type SyncTopicNames,
} from './sync-topics';

function names(outcomeTopicGroups?: number): SyncTopicNames {
  return resolveTopicNames({
    prefix: 'prod.',
    shipUpdates: 'ship-updates',
    masterUpdates: 'master-updates',
    outcomesPrefix: 'change-outcomes.',
    outcomeTopicGroups,
    heartbeats: 'ship-heartbeats',
  });
}

describe('outcome topics', () => {
  it('are one per ship unless grouped', () => {
    expect(names().outcomeTopicGroups).toBe(0);
    expect(outcomeTopicsShared(names())).toBe(false);
    expect(outcomesTopicFor(names(), 'ship-a')).toBe('prod.change-outcomes.ship-a');
  });

  // Pinned: master and ships of other builds must agree on every ship's group.
  it.each([
    ['ship-a', 100, 3],
    ['ship-b', 100, 44],
    ['fleet-00001', 100, 23],
    ['ship-a', 7, 0],
    ['ship-b', 7, 6],
    ['fleet-00001', 7, 3],
  ])('put %s in group %i of %i as SHA-256 says', (shipId, groups, group) => {
    expect(outcomeTopicGroupOf(shipId, groups)).toBe(group);
    expect(outcomesTopicFor(names(groups), shipId)).toBe(
      `prod.change-outcomes.group-${group}-of-${groups}`,
    );
    expect(outcomeTopicsShared(names(groups))).toBe(true);
  });

  it('spread a fleet evenly over the groups', () => {
    const counts = new Array<number>(100).fill(0);
    for (let i = 0; i < 10_000; i += 1) {
      counts[outcomeTopicGroupOf(`ship-${String(i).padStart(5, '0')}`, 100)] += 1;
    }
    expect(Math.min(...counts)).toBeGreaterThan(60);
    expect(Math.max(...counts)).toBeLessThan(140);
  });

  it('name the group count, so a changed count never reuses a topic of another grouping', () => {
    expect(outcomesTopicFor(names(10), 'ship-a')).not.toBe(outcomesTopicFor(names(20), 'ship-a'));
  });

  it('give each ship read access to its group topic when grouped', () => {
    const topics = names(7);
    const acls = syncKafkaAcls({
      topics,
      master: 'hub',
      ships: [{ shipId: 'ship-a' }, { shipId: 'ship-b' }],
      groupSuffix: '',
    });
    const reads = (user: string) =>
      acls
        .filter(
          (acl) =>
            acl.principal === `User:${user}` &&
            acl.operation === 'read' &&
            acl.resourceName.startsWith(topics.outcomesPrefix),
        )
        .map((acl) => acl.resourceName);
    expect(reads('ship-a')).toEqual(['prod.change-outcomes.group-0-of-7']);
    expect(reads('ship-b')).toEqual(['prod.change-outcomes.group-6-of-7']);
  });
});
