export * from './notifications.module';
export * from './notifications.service';
export * from './email.handler';
export * from './templates/templates';
