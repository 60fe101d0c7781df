import { Module } from '@nestjs/common';
import { DocumentsModule } from '../documents/documents.module';
import { OutboxModule } from '../outbox/outbox.module';
import { EnvelopeMarks } from './envelope-marks';
import { EnvelopePublisher } from './envelope-publisher';
import { EnvelopeSealer } from './envelope-sealer';
import { EnvelopesRepository } from './envelopes.repository';
import { FailedRequeue } from './failed-requeue';
import { OutcomeReaskService } from './outcome-reask.service';
import { RelayService } from './relay.service';
import { SendLine } from './send-line';

/** Sends the outbox: the one owner of the `sync_envelopes` table. */
@Module({
  imports: [OutboxModule, DocumentsModule],
  providers: [
    RelayService,
    EnvelopeSealer,
    SendLine,
    EnvelopePublisher,
    EnvelopeMarks,
    FailedRequeue,
    OutcomeReaskService,
    EnvelopesRepository,
  ],
  exports: [RelayService, EnvelopesRepository],
})
export class RelayModule {}
