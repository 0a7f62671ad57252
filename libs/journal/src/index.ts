export * from './journal.module';
export * from './events';
export * from './partitions';
export * from './seal';
export * from './ingestion.service';
export * from './retention.service';
export * from './journal.jobs';
