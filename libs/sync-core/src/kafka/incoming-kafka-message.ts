import { Type } from 'class-transformer';
import {
  IsInt,
  IsNumberString,
  IsObject,
  IsOptional,
  IsString,
  Min,
  ValidateNested,
} from 'class-validator';

/**
 * One Kafka message as the batch transport hands it to a handler. Handlers extend this class to
 * type `value` (the decoded JSON), so the global ValidationPipe validates the whole batch.
 */
export class IncomingKafkaMessage<T = unknown> {
  @IsNumberString()
  offset!: string;

  @IsOptional()
  @IsString()
  key!: string | null;

  @IsNumberString()
  timestamp!: string;

  @IsObject()
  headers!: Record<string, string>;

  /** Size of the raw value in bytes. */
  @IsInt()
  @Min(0)
  size!: number;

  value!: T;

  /** The raw value, kept so a rejected message can be dead-lettered byte for byte. */
  @IsString()
  raw!: string;
}

/** A batch of messages from one partition of one topic, in offset order. */
export class IncomingKafkaBatch<M extends IncomingKafkaMessage = IncomingKafkaMessage> {
  @IsString()
  topic!: string;

  @IsInt()
  @Min(0)
  partition!: number;

  @ValidateNested({ each: true })
  @Type(() => IncomingKafkaMessage)
  messages!: M[];
}
