export * from './code-samples';
export * from './error-meanings';
export * from './openapi';
export * from './operations';
export * from './responses';
