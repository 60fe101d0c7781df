import { Module } from '@nestjs/common';
import { DocumentsModule } from '../documents/documents.module';
import { InboxModule } from '../inbox/inbox.module';
import { OutboxModule } from '../outbox/outbox.module';
import { ChangeOutcomesController } from './change-outcomes.controller';
import { OutcomesService } from './outcomes.service';

@Module({
  imports: [OutboxModule, DocumentsModule, InboxModule],
  controllers: [ChangeOutcomesController],
  providers: [OutcomesService],
})
export class OutcomesModule {}
