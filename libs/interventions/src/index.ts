export * from './interventions.module';
export * from './business-time';
export * from './views';
export * from './interventions.service';
export * from './reports.service';
export * from './decisions.service';
export * from './decision-recorder';
export * from './interventions.jobs';
