import { Module } from '@nestjs/common';
import { RevisionLog } from './revision-log';

@Module({ providers: [RevisionLog], exports: [RevisionLog] })
export class RevisionsModule {}
