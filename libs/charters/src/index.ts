export * from './charters.module';
export * from './entities';
export * from './views';
export * from './documents.service';
export * from './signatures.service';
export * from './gate.service';
export * from './deadlines.service';
export * from './charters.jobs';
