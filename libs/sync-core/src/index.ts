/**
 * Offline Sync core: the contracts both apps speak (wire messages, signed envelopes), the
 * version and conflict rules, and the Kafka, configuration and Nest helpers they share.
 * Apps import from here only, never from each other.
 */
// Loaded first: every kafkajs client of the process then reads from repaired connections.
import './kafka/kafkajs-connection-repair';
export { assertRole } from './auth/api-key.guard';
export { hashedSecret } from './auth/api-keys.parser';
export type { ApiPrincipal } from './auth/api-principal';
export { API_ROLES, roleAllows } from './auth/api-role';
export type { ApiRole } from './auth/api-role';
export { Principal, Public, RequireRole } from './auth/auth.decorators';
export { AuthModule, authSettingsFromEnv } from './auth/auth.module';
export { WhoAmIModule } from './auth/whoami.controller';
export { EnvBool, EnvInt, EnvLowerCase } from './config/env-transforms';
export { IsParsable } from './config/is-parsable.validator';
export { kafkaConnectionSettings, kafkaTopicNames } from './config/kafka.env';
export { runMain } from './config/run-main';
export { SyncEnv } from './config/sync.env';
export { validateEnv } from './config/validate-env';
export type {
  ConflictPolicyName,
  ContentTypeDefinition,
} from './content-types/content-type.definition';
export { parseContentTypes } from './content-types/content-type.parser';
export { ContentTypeRegistry } from './content-types/content-type.registry';
export { LocalOnlyFields, parseLocalOnlyPattern } from './content-types/local-only-fields';
export { masterAuthor, shipAuthor } from './contracts/author.util';
export type { Author } from './contracts/author.util';
export { ChangeOutcomeDto } from './contracts/change-outcome.dto';
export type { ChangeOutcomeStatus } from './contracts/change-outcome.dto';
export { ChangeOutcomesPayloadDto } from './contracts/change-outcomes-payload.dto';
export {
  ChangeRejectionCode,
  formatRejectionReason,
} from './contracts/change-rejection-reason.util';
export { HeartbeatDto } from './contracts/heartbeat.dto';
export type { AppliedPosition } from './contracts/heartbeat.dto';
export { masterUpdateKey } from './contracts/master-update-key.util';
export { MasterUpdateDto } from './contracts/master-update.dto';
export { MessageKind } from './contracts/message-kind.enum';
export { hasOnlyKeys, isPlainObject } from './contracts/plain-object.util';
export { isFreeOfReservedKeys } from './contracts/reserved-key-scan.util';
export { SHIP_CHANGE_OPS } from './contracts/ship-change-op.enum';
export type { ShipChangeOp } from './contracts/ship-change-op.enum';
export { ShipChangeDto } from './contracts/ship-change.dto';
export { ShipChangesPayloadDto } from './contracts/ship-changes-payload.dto';
export { validateContract } from './contracts/validate-contract';
export { IsJsonObject, IsOmittable } from './contracts/wire-field.decorators';
export { isContentTypeName, isLocale, isWireUuid } from './contracts/wire-field.predicates';
export {
  CONTENT_TYPE_PATTERN,
  LOCALE_MAX_LENGTH,
  LOCALE_PATTERN,
  MASTER_SENDER,
  UUID_PATTERN,
} from './contracts/wire-patterns.constants';
export { ListeningPgClient } from './database/listening-pg-client';
export { buildBatchProofs, leafHash, rootFromProof, walkProof } from './envelope/batch-proof';
export type { NodePosition } from './envelope/batch-proof';
export { inCanonicalKeyOrder } from './envelope/canonical-json';
export { encodeEnvelope } from './envelope/envelope-codec';
export {
  signEnvelope,
  signEnvelopeAsync,
  signEnvelopeBatchAsync,
  signEnvelopeBatchEncodedAsync,
} from './envelope/envelope-signer';
export type { EnvelopeDraft } from './envelope/envelope-signer';
export { openEnvelope, verifyEnvelope, verifyEnvelopeAsync } from './envelope/envelope-verifier';
export type { VerifiedEnvelope } from './envelope/envelope-verifier';
export type { EnvelopeOf } from './envelope/envelope.types';
export { signingKeyWithoutKeyId } from './envelope/key-id';
export { KeyRing, parseKeyRingEntries } from './envelope/key-ring';
export {
  exportPrivateKeyBase64,
  exportPublicKeyBase64,
  generateSigningKeyPair,
  loadPrivateKey,
  loadPublicKey,
} from './envelope/signing-keys';
export { errorMessage } from './errors/error-message';
export { uuidV7 } from './ids/uuid-v7';
export { ConsumerActivity } from './kafka/consumer-activity';
export { masterConsumerGroupId, shipConsumerGroupId } from './kafka/consumer-groups';
export { DEAD_LETTER_SINK } from './kafka/dead-letter-sink';
export type { DeadLetterEntry, DeadLetterSink } from './kafka/dead-letter-sink';
export { deadLetterSource } from './kafka/dead-letter-source';
export { EnvelopeBatchDto } from './kafka/envelope-batch.dto';
export type { EnvelopeMessageDto } from './kafka/envelope-batch.dto';
export {
  ENVELOPE_PRODUCER_CONFIG,
  EnvelopePublisher,
  SENT_AT_HEADER,
  envelopeSendSettings,
} from './kafka/envelope-publisher';
export type { OutgoingEnvelope } from './kafka/envelope-publisher';
export { KafkaBatchContext } from './kafka/kafka-batch.context';
export { KafkaBatchServer } from './kafka/kafka-batch.server';
export type {
  KafkaBatchServerOptions,
  PartitionHold,
  StoredPosition,
} from './kafka/kafka-batch.server';
export { KAFKA_CLIENTS } from './kafka/kafka-client';
export type { KafkaClientName } from './kafka/kafka-client';
export { buildKafkaConfig } from './kafka/kafka-config.builder';
export { KeyHashPartitioner } from './kafka/key-hash.partitioner';
export {
  HeldMessageError,
  PermanentMessageError,
  TransientMessageError,
} from './kafka/message-failure';
export { isMessageTooLargeError } from './kafka/message-too-large';
export {
  SyncTopic,
  outcomeTopicConfig,
  outcomeTopicGroupOf,
  outcomeTopicsShared,
  outcomesTopicFor,
} from './kafka/sync-topics';
export type { SyncTopicNames } from './kafka/sync-topics';
export { ThreadedEnvelopePublisher } from './kafka/threaded-envelope-publisher';
export { ensureTopics } from './kafka/topic-admin';
export {
  ApiCounts,
  ApiJsonObject,
  ApiJsonValue,
  ApiPartitionOffsets,
  ApiTimestamp,
} from './nest/api-property.decorators';
export { DocumentTooLargeException } from './nest/document-too-large.exception';
export { ErrorResponse } from './nest/error-response';
export { installGracefulShutdown } from './nest/graceful-shutdown';
export { InputValidationException } from './nest/input-validation.exception';
export { MAX_REQUEST_BODY_BYTES, limitJsonBodies } from './nest/json-body-limit';
export { PaginationQueryDto } from './nest/pagination-query.dto';
export { ContentChecksumResponse, HealthCheckResponse } from './nest/shared.responses';
export { isStorageFull } from './nest/storage-full';
export { SyncExceptionFilter } from './nest/sync-exception.filter';
export { formatFieldErrors } from './nest/validation-errors';
export type { FieldError } from './nest/validation-errors';
export { createValidationPipe } from './nest/validation-pipe.factory';
export type { FastParameterChecks } from './nest/validation-pipe.factory';
export { APP_VERSION } from './observability/app-version';
export { ObservabilityModule } from './observability/observability.module';
export { API_PREFIX, buildOpenApiDocument, setupOpenApi } from './observability/openapi';
export type { OpenApiSettings } from './observability/openapi';
export { SyncMetric } from './observability/sync-metrics';
export type { MessageStatus } from './observability/sync-metrics';
export { backoffDelay, exponentialBackoff } from './retry/backoff';
export { BackgroundThread } from './threads/background-thread';
export type { ConflictRule, ConflictType, MasterRevision } from './versioning/change-decision';
export { contentChecksum } from './versioning/content-checksum';
export type { ContentChecksum } from './versioning/content-checksum';
export { decideShipChange } from './versioning/decide-ship-change';
export { changedFieldNames, diffFields } from './versioning/diff-fields';
export {
  MAX_DOCUMENT_BYTES,
  documentTooLargeReason,
  oversizedDocumentBytes,
} from './versioning/document-size';
export { effectiveEditedAt } from './versioning/edit-time';
export { jsonEqual } from './versioning/json-equal';
export { findUnstorableText, mayHoldUnstorableText } from './versioning/storable-text';
