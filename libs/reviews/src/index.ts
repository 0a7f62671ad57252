export * from './reviews.module';
export * from './views';
export * from './reviews.service';
export * from './escalation.service';
export * from './evidence.service';
export * from './reviews.jobs';
export * from './evidence-html';
export * from './dashboard.service';
