import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ResourcePatternTypes,
  type AclEntry,
} from 'kafkajs';
import { masterConsumerGroupId, shipConsumerGroupId } from './consumer-groups';
import { outcomesTopicFor, type SyncTopicNames } from './sync-topics';

/** One ALLOW rule of a broker running an authorizer (everything not allowed is refused). */
export interface SyncAcl {
  /** `User:<SASL user name>`. */
  principal: string;
  resourceType: 'topic' | 'group';
  patternType: 'literal' | 'prefixed';
  resourceName: string;
  /** Read, Write and Create are all the product needs: Read and Write imply Describe. */
  operation: 'read' | 'write' | 'create';
}

export interface SyncAclPlan {
  topics: SyncTopicNames;
  /** The master's SASL user name (every replica uses it). */
  master: string;
  /** Each ship's SASL user name; by convention its ship id. */
  ships: readonly { shipId: string; user?: string }[];
  /** KAFKA_CONSUMER_GROUP_SUFFIX of the deployment, if any. */
  groupSuffix?: string;
}

/**
 * Every ACL a deployment needs, from the topic names the apps are configured with: the master
 * alone writes master-updates and the outcome topics (and creates the topics it uses); a ship
 * writes ship-updates and heartbeats, reads master-updates and its own outcome topic (which it
 * may create) with its own consumer group, and nothing else. Both the operators' kafka-acls
 * commands (npm run kafka-acls) and the authorizer test are made from this list.
 */
export function syncKafkaAcls(plan: SyncAclPlan): SyncAcl[] {
  const { topics } = plan;
  const acls: SyncAcl[] = [];
  const allow = (
    user: string,
    resourceType: SyncAcl['resourceType'],
    resourceName: string,
    operations: SyncAcl['operation'][],
    patternType: SyncAcl['patternType'] = 'literal',
  ): void => {
    for (const operation of operations) {
      acls.push({ principal: `User:${user}`, resourceType, patternType, resourceName, operation });
    }
  };
  allow(plan.master, 'topic', topics.masterUpdates, ['write', 'create']);
  allow(plan.master, 'topic', topics.outcomesPrefix, ['write', 'create'], 'prefixed');
  allow(plan.master, 'topic', topics.shipUpdates, ['read', 'create']);
  allow(plan.master, 'topic', topics.heartbeats, ['read', 'create']);
  allow(plan.master, 'group', masterConsumerGroupId(plan.groupSuffix), ['read']);
  for (const { shipId, user = shipId } of plan.ships) {
    allow(user, 'topic', topics.shipUpdates, ['write']);
    allow(user, 'topic', topics.heartbeats, ['write']);
    allow(user, 'topic', topics.masterUpdates, ['read']);
    allow(user, 'topic', outcomesTopicFor(topics, shipId), ['read', 'create']);
    allow(user, 'group', shipConsumerGroupId(shipId, plan.groupSuffix), ['read']);
  }
  return acls;
}

/** The same ACLs for kafkajs's admin.createAcls. */
export function kafkaJsAclEntries(acls: readonly SyncAcl[]): AclEntry[] {
  return acls.map((acl) => ({
    principal: acl.principal,
    host: '*',
    resourceType: acl.resourceType === 'topic' ? AclResourceTypes.TOPIC : AclResourceTypes.GROUP,
    resourceName: acl.resourceName,
    resourcePatternType:
      acl.patternType === 'prefixed' ? ResourcePatternTypes.PREFIXED : ResourcePatternTypes.LITERAL,
    operation: {
      read: AclOperationTypes.READ,
      write: AclOperationTypes.WRITE,
      create: AclOperationTypes.CREATE,
    }[acl.operation],
    permissionType: AclPermissionTypes.ALLOW,
  }));
}

/**
 * The same ACLs as `kafka-acls.sh --add` commands, one per principal and resource (its
 * operations together), in the list's order. `connection` goes after the script name, e.g.
 * `--bootstrap-server kafka:9093 --command-config admin.properties`.
 */
export function kafkaAclCommands(acls: readonly SyncAcl[], connection: string): string[] {
  const commands = new Map<string, { head: string; operations: string[] }>();
  for (const acl of acls) {
    const pattern = acl.patternType === 'prefixed' ? ' --resource-pattern-type prefixed' : '';
    const head = `--allow-principal ${acl.principal} --${acl.resourceType} ${acl.resourceName}${pattern}`;
    const command = commands.get(head) ?? { head, operations: [] };
    command.operations.push(acl.operation[0].toUpperCase() + acl.operation.slice(1));
    commands.set(head, command);
  }
  return [...commands.values()].map(
    ({ head, operations }) =>
      `kafka-acls.sh ${connection} --add ${head} ${operations.map((o) => `--operation ${o}`).join(' ')}`,
  );
}
