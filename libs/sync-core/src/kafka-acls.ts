import { isShipId } from './contracts/wire-patterns.constants';
import { KafkaEnv, kafkaTopicNames } from './config/kafka.env';
import { validateEnv } from './config/validate-env';
import { kafkaAclCommands, syncKafkaAcls, type SyncAclPlan } from './kafka/sync-acls';
import { errorMessage } from './errors/error-message';

/**
 * The Kafka ACLs of a deployment, for a broker that runs an authorizer. Run:
 *   npm run --silent kafka-acls -- --master <user> --ship <ship-id>[=<user>] ... \
 *     [--bootstrap-server <host:port>] [--command-config <file>] [--json]
 * Topic names and the consumer group suffix come from the same variables the apps read
 * (KAFKA_TOPIC_PREFIX, KAFKA_TOPIC_*, KAFKA_OUTCOME_TOPIC_GROUPS, KAFKA_CONSUMER_GROUP_SUFFIX),
 * so the ACLs name the topics the apps use. stdout carries the kafka-acls.sh commands (or, with
 * --json, the list itself).
 */

const USAGE =
  'usage: kafka-acls --master <user> --ship <ship-id>[=<user>] ... ' +
  '[--bootstrap-server <host:port>] [--command-config <file>] [--json]\n';

const SASL_USER = /^[A-Za-z0-9._@-]{1,200}$/;

export interface KafkaAclsIo {
  out(text: string): void;
  err(text: string): void;
}

interface Options {
  plan: SyncAclPlan;
  connection: string;
  json: boolean;
}

function parse(args: readonly string[], env: Record<string, string | undefined>): Options {
  const kafka = validateEnv(KafkaEnv, env);
  let master: string | undefined;
  const ships: { shipId: string; user?: string }[] = [];
  let bootstrap = kafka.KAFKA_BROKERS.join(',');
  let commandConfig: string | undefined;
  let json = false;
  for (let i = 0; i < args.length; i += 1) {
    const flag = args[i];
    if (flag === '--json') {
      json = true;
      continue;
    }
    const value = args[i + 1];
    if (value === undefined || value.startsWith('--'))
      throw new RangeError(`${flag} needs a value`);
    i += 1;
    if (flag === '--master') {
      if (!SASL_USER.test(value)) throw new RangeError(`--master '${value}' is not a user name`);
      master = value;
    } else if (flag === '--ship') {
      const [shipId, user] = value.split('=', 2);
      if (!isShipId(shipId)) throw new RangeError(`--ship '${shipId}' is not a ship id`);
      if (user !== undefined && !SASL_USER.test(user)) {
        throw new RangeError(`--ship ${shipId}: '${user}' is not a user name`);
      }
      ships.push(user === undefined ? { shipId } : { shipId, user });
    } else if (flag === '--bootstrap-server') {
      bootstrap = value;
    } else if (flag === '--command-config') {
      commandConfig = value;
    } else {
      throw new RangeError(`unknown option ${flag}`);
    }
  }
  if (master === undefined) throw new RangeError('--master is required');
  const connection =
    `--bootstrap-server ${bootstrap}` +
    (commandConfig === undefined ? '' : ` --command-config ${commandConfig}`);
  return {
    plan: {
      topics: kafkaTopicNames(kafka),
      master,
      ships,
      groupSuffix: kafka.KAFKA_CONSUMER_GROUP_SUFFIX,
    },
    connection,
    json,
  };
}

/** The CLI: returns the exit code. */
export function runKafkaAcls(
  args: readonly string[],
  env: Record<string, string | undefined>,
  io: KafkaAclsIo,
): number {
  if (args.includes('--help') || args.includes('-h')) {
    io.err(USAGE);
    return 0;
  }
  let options: Options;
  try {
    options = parse(args, env);
  } catch (error) {
    io.err(`kafka-acls: ${errorMessage(error)}\n${USAGE}`);
    return 2;
  }
  const acls = syncKafkaAcls(options.plan);
  io.out(
    options.json
      ? `${JSON.stringify(acls, null, 2)}\n`
      : `${kafkaAclCommands(acls, options.connection).join('\n')}\n`,
  );
  return 0;
}

if (require.main === module) {
  process.exitCode = runKafkaAcls(process.argv.slice(2), process.env, {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  });
}
