import { Inject, Injectable } from '@nestjs/common';
import { signEnvelopeAsync, signEnvelopeBatchEncodedAsync } from '@offline-sync/sync-core';
import type { KeyObject } from 'node:crypto';
import { MasterConfig } from '../core/config/master-config';
import { MASTER_SIGNING_KEY } from '../core/signing/signing.tokens';
import type { MasterDraft } from './outbox-drafts';
import type { PendingRow, SignedRow } from './outbox-rows';

/**
 * Messages under one batch signature: one Ed25519 operation instead of 128 for the master and for
 * every ship, for a proof of 7 hashes (~300 bytes) on each message.
 */
const SIGNED_BATCH = 128;

/** Signs the outbox rows' drafts into the envelopes the relay sends. */
@Injectable()
export class OutboxSigner {
  constructor(
    @Inject(MASTER_SIGNING_KEY) private readonly signingKey: KeyObject,
    private readonly config: MasterConfig,
  ) {}

  /**
   * Rows' drafts as signed envelopes in their JSON text, signed on the thread pool (the event loop
   * meanwhile serves the ingest): in batches under one signature each, or one by one for a fleet
   * that still has ships reading only schema version 1.
   */
  async envelopesOf(rows: PendingRow[], drafts: MasterDraft[]): Promise<SignedRow[]> {
    if (this.config.sync.batchSigning) {
      const batches = Array.from({ length: Math.ceil(drafts.length / SIGNED_BATCH) }, (_, i) =>
        drafts.slice(i * SIGNED_BATCH, (i + 1) * SIGNED_BATCH),
      );
      // Each envelope's canonical text (hashed into its batch's tree) is also what goes on the
      // wire: one serialisation per envelope.
      const encoded = (
        await Promise.all(
          batches.map((batch) => signEnvelopeBatchEncodedAsync(batch, this.signingKey)),
        )
      ).flat();
      return encoded.map((text, i) => ({ key: rows[i].key, encoded: text }));
    }
    const signed = await Promise.all(
      drafts.map((draft) => signEnvelopeAsync(draft, this.signingKey)),
    );
    // The text encodeEnvelope would send, kept as text so that its size can be measured.
    return signed.map((envelope, i) => ({ key: rows[i].key, encoded: JSON.stringify(envelope) }));
  }
}
