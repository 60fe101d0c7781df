import { Global, Module } from '@nestjs/common';
import { ShipClock } from './ship-clock';

/** The ship's clock for edit times and envelope timestamps, shared by every module. */
@Global()
@Module({ providers: [ShipClock], exports: [ShipClock] })
export class ShipClockModule {}
