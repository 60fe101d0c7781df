export * from './background-thread';
