import { Module } from '@nestjs/common';
import { ChecksumController } from './checksum.controller';
import { ChecksumService } from './checksum.service';

@Module({ controllers: [ChecksumController], providers: [ChecksumService] })
export class ChecksumModule {}
