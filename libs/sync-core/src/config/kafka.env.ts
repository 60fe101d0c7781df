import {
  ArrayNotEmpty,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import type { KafkaConnectionSettings } from '../kafka/kafka-connection.settings';
import { resolveTopicNames, type SyncTopicNames } from '../kafka/sync-topics';
import { EnvBool, EnvInt, EnvList, EnvLowerCase } from './env-transforms';

const TOPIC = /^[a-zA-Z0-9._-]{1,200}$/;
const TOPIC_MESSAGE = 'must be a Kafka topic name (letters, digits, ".", "_", "-")';

/** Kafka variables, named as in the earlier plugin's README and deployment guide. */
export class KafkaEnv {
  @EnvList()
  @Matches(/^[^\s:,]+:\d{1,5}$/, {
    each: true,
    message: 'must be a comma-separated list of host:port',
  })
  @ArrayNotEmpty({ message: 'must list at least one broker' })
  KAFKA_BROKERS: string[] = ['localhost:9092'];

  @IsOptional()
  @Matches(/^[a-zA-Z0-9._-]{1,100}$/, { message: 'must be letters, digits, ".", "_" or "-"' })
  @IsString()
  KAFKA_CLIENT_ID?: string;

  @EnvBool()
  @IsBoolean({ message: 'must be true or false' })
  KAFKA_SSL_ENABLED = false;

  @IsOptional()
  @IsString()
  KAFKA_SSL_CA_LOCATION?: string;

  @IsOptional()
  @IsString()
  KAFKA_SSL_CERT_LOCATION?: string;

  @IsOptional()
  @IsString()
  KAFKA_SSL_KEY_LOCATION?: string;

  @IsOptional()
  @IsString()
  KAFKA_SSL_KEY_PASSWORD?: string;

  @EnvBool()
  @IsBoolean({ message: 'must be true or false' })
  KAFKA_SSL_REJECT_UNAUTHORIZED = true;

  @IsOptional()
  @EnvLowerCase()
  @IsIn(['plain', 'scram-sha-256', 'scram-sha-512'], {
    message: 'must be one of plain, scram-sha-256, scram-sha-512',
  })
  KAFKA_SASL_MECHANISM?: 'plain' | 'scram-sha-256' | 'scram-sha-512';

  @ValidateIf((env: KafkaEnv) => env.KAFKA_SASL_MECHANISM !== undefined)
  @MinLength(1, { message: 'is required when KAFKA_SASL_MECHANISM is set' })
  @IsString({ message: 'is required when KAFKA_SASL_MECHANISM is set' })
  KAFKA_SASL_USERNAME?: string;

  @ValidateIf((env: KafkaEnv) => env.KAFKA_SASL_MECHANISM !== undefined)
  @MinLength(1, { message: 'is required when KAFKA_SASL_MECHANISM is set' })
  @IsString({ message: 'is required when KAFKA_SASL_MECHANISM is set' })
  KAFKA_SASL_PASSWORD?: string;

  @Matches(/^[a-zA-Z0-9._-]{0,100}$/, { message: 'must be letters, digits, ".", "_" or "-"' })
  @IsString()
  KAFKA_TOPIC_PREFIX = '';

  @Matches(TOPIC, { message: TOPIC_MESSAGE })
  KAFKA_TOPIC_SHIP_UPDATES = 'ship-updates';

  @Matches(TOPIC, { message: TOPIC_MESSAGE })
  KAFKA_TOPIC_MASTER_UPDATES = 'master-updates';

  @Matches(TOPIC, { message: TOPIC_MESSAGE })
  KAFKA_TOPIC_OUTCOMES_PREFIX = 'change-outcomes.';

  /**
   * 0: one outcome topic per ship. N: N shared outcome topics, each ship's by a hash of its id;
   * the same value on the master and every ship.
   */
  @EnvInt()
  @Min(0)
  @Max(100_000)
  @IsInt({ message: 'must be an integer: 0 (a topic per ship) or the number of shared topics' })
  KAFKA_OUTCOME_TOPIC_GROUPS = 0;

  @Matches(TOPIC, { message: TOPIC_MESSAGE })
  KAFKA_TOPIC_HEARTBEATS = 'ship-heartbeats';

  /** Appended to consumer group ids, e.g. to keep development runs apart. */
  @Matches(/^[a-zA-Z0-9._-]{0,100}$/, { message: 'must be letters, digits, ".", "_" or "-"' })
  @IsString()
  KAFKA_CONSUMER_GROUP_SUFFIX = '';

  @EnvLowerCase()
  @IsIn(['gzip', 'none'], { message: 'must be gzip or none' })
  KAFKA_COMPRESSION: 'gzip' | 'none' = 'gzip';

  @EnvInt()
  @Min(100)
  @Max(600_000)
  @IsInt({ message: 'must be an integer (milliseconds)' })
  KAFKA_CONNECTION_TIMEOUT = 10_000;
}

export function kafkaConnectionSettings(
  env: KafkaEnv,
  defaultClientId: string,
): KafkaConnectionSettings {
  return {
    brokers: env.KAFKA_BROKERS,
    clientId: env.KAFKA_CLIENT_ID ?? defaultClientId,
    connectionTimeoutMs: env.KAFKA_CONNECTION_TIMEOUT,
    ssl: env.KAFKA_SSL_ENABLED
      ? {
          enabled: true,
          caLocation: env.KAFKA_SSL_CA_LOCATION,
          certLocation: env.KAFKA_SSL_CERT_LOCATION,
          keyLocation: env.KAFKA_SSL_KEY_LOCATION,
          keyPassword: env.KAFKA_SSL_KEY_PASSWORD,
          rejectUnauthorized: env.KAFKA_SSL_REJECT_UNAUTHORIZED,
        }
      : undefined,
    sasl:
      env.KAFKA_SASL_MECHANISM && env.KAFKA_SASL_USERNAME && env.KAFKA_SASL_PASSWORD
        ? {
            mechanism: env.KAFKA_SASL_MECHANISM,
            username: env.KAFKA_SASL_USERNAME,
            password: env.KAFKA_SASL_PASSWORD,
          }
        : undefined,
  };
}

export function kafkaTopicNames(env: KafkaEnv): SyncTopicNames {
  return resolveTopicNames({
    prefix: env.KAFKA_TOPIC_PREFIX,
    shipUpdates: env.KAFKA_TOPIC_SHIP_UPDATES,
    masterUpdates: env.KAFKA_TOPIC_MASTER_UPDATES,
    outcomesPrefix: env.KAFKA_TOPIC_OUTCOMES_PREFIX,
    outcomeTopicGroups: env.KAFKA_OUTCOME_TOPIC_GROUPS,
    heartbeats: env.KAFKA_TOPIC_HEARTBEATS,
  });
}
