export * from './apps-under-test';
export * from './databases';
export * from './test-context';
export * from './smtp-receiver';
export * from './fixtures';
export * from './world';
export * from './waiting';
export * from './own-services';
