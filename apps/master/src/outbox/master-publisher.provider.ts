import { EnvelopePublisher } from '@offline-sync/sync-core';
import { MasterConfig } from '../core/config/master-config';

/** The master's one idempotent producer (acks from all in-sync replicas). */
export const MASTER_PUBLISHER = Symbol('MASTER_PUBLISHER');

export const masterPublisherProvider = {
  provide: MASTER_PUBLISHER,
  inject: [MasterConfig],
  useFactory: (config: MasterConfig): EnvelopePublisher =>
    new EnvelopePublisher({ kafka: config.kafka, compression: config.compression }),
};
