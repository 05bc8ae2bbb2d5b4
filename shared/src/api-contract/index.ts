export * from './code-samples';
export * from './openapi';
export * from './operations';
export * from './responses';
