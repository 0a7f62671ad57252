export * from './digests.module';
export * from './digest.service';
export * from './digest.jobs';
export * from './iso-week';
