export * from './evidence.module';
export * from './evidence-pack.service';
export * from './evidence-archive';
export * from './audit-extract';
