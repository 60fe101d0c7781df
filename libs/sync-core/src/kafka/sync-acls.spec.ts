import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ResourcePatternTypes,
} from 'kafkajs';
import { kafkaAclCommands, kafkaJsAclEntries, syncKafkaAcls, type SyncAcl } from './sync-acls';
import { resolveTopicNames } from './sync-topics';

const topics = resolveTopicNames({
  prefix: 'prod.',
  shipUpdates: 'ship-updates',
  masterUpdates: 'master-updates',
  outcomesPrefix: 'change-outcomes.',
  outcomeTopicGroups: 0,
  heartbeats: 'ship-heartbeats',
});
const acls = syncKafkaAcls({
  topics,
  master: 'hub',
  ships: [{ shipId: 'ship-a' }, { shipId: 'ship-b', user: 'sasl-ship-b' }],
  groupSuffix: '-eu',
});

/** `<operation> <topic|group> <name>[*]` of one principal, * marking a prefix. */
function rulesOf(principal: string): string[] {
  return acls
    .filter((acl) => acl.principal === principal)
    .map(
      (acl) =>
        `${acl.operation} ${acl.resourceType} ${acl.resourceName}${acl.patternType === 'prefixed' ? '*' : ''}`,
    );
}

describe('syncKafkaAcls', () => {
  it.each<[string, string[]]>([
    [
      'User:hub',
      [
        'write topic prod.master-updates',
        'create topic prod.master-updates',
        'write topic prod.change-outcomes.*',
        'create topic prod.change-outcomes.*',
        'read topic prod.ship-updates',
        'create topic prod.ship-updates',
        'read topic prod.ship-heartbeats',
        'create topic prod.ship-heartbeats',
        'read group offline-sync-master-eu',
      ],
    ],
    [
      'User:ship-a',
      [
        'write topic prod.ship-updates',
        'write topic prod.ship-heartbeats',
        'read topic prod.master-updates',
        'read topic prod.change-outcomes.ship-a',
        'create topic prod.change-outcomes.ship-a',
        'read group offline-sync-ship-ship-a-eu',
      ],
    ],
    [
      'User:sasl-ship-b',
      [
        'write topic prod.ship-updates',
        'write topic prod.ship-heartbeats',
        'read topic prod.master-updates',
        'read topic prod.change-outcomes.ship-b',
        'create topic prod.change-outcomes.ship-b',
        'read group offline-sync-ship-ship-b-eu',
      ],
    ],
  ])('%s may do exactly this', (principal, rules) => {
    expect(rulesOf(principal)).toEqual(rules);
  });

  it('lets no ship write what the master writes, nor read another ship’s outcomes', () => {
    const ships = acls.filter((acl) => acl.principal !== 'User:hub');
    const masterWrites = acls.filter((a) => a.principal === 'User:hub' && a.operation === 'write');
    for (const written of masterWrites) {
      expect(ships.filter((acl) => acl.operation === 'write' && covers(written, acl))).toEqual([]);
    }
    expect(
      ships.filter(
        (acl) =>
          acl.resourceName.startsWith(topics.outcomesPrefix) &&
          !acl.resourceName.endsWith(acl.principal === 'User:ship-a' ? 'ship-a' : 'ship-b'),
      ),
    ).toEqual([]);
    expect(ships.every((acl) => acl.patternType === 'literal')).toBe(true);
  });
});

/** Whether `acl` (literal) names a topic that `rule` covers. */
function covers(rule: SyncAcl, acl: SyncAcl): boolean {
  return rule.patternType === 'prefixed'
    ? acl.resourceName.startsWith(rule.resourceName)
    : acl.resourceName === rule.resourceName;
}

describe('kafkaJsAclEntries', () => {
  it('maps each rule to an ALLOW entry for any host', () => {
    const [first, prefixed] = kafkaJsAclEntries(
      acls.filter(
        (acl) =>
          acl.resourceName.startsWith('prod.change-outcomes.') && acl.principal === 'User:hub',
      ),
    );
    expect(first).toEqual({
      principal: 'User:hub',
      host: '*',
      resourceType: AclResourceTypes.TOPIC,
      resourceName: 'prod.change-outcomes.',
      resourcePatternType: ResourcePatternTypes.PREFIXED,
      operation: AclOperationTypes.WRITE,
      permissionType: AclPermissionTypes.ALLOW,
    });
    expect(prefixed.operation).toBe(AclOperationTypes.CREATE);
    const group = kafkaJsAclEntries(acls).find((e) => e.resourceType === AclResourceTypes.GROUP);
    expect(group).toMatchObject({
      resourceName: 'offline-sync-master-eu',
      resourcePatternType: ResourcePatternTypes.LITERAL,
      operation: AclOperationTypes.READ,
    });
  });
});

describe('kafkaAclCommands', () => {
  it('gives one kafka-acls.sh command per principal and resource, with its operations', () => {
    const commands = kafkaAclCommands(acls, '--bootstrap-server k:9093');
    expect(commands).toHaveLength(5 + 5 + 5);
    expect(commands[1]).toBe(
      'kafka-acls.sh --bootstrap-server k:9093 --add --allow-principal User:hub --topic prod.change-outcomes. --resource-pattern-type prefixed --operation Write --operation Create',
    );
    expect(commands[9]).toBe(
      'kafka-acls.sh --bootstrap-server k:9093 --add --allow-principal User:ship-a --group offline-sync-ship-ship-a-eu --operation Read',
    );
  });
});
