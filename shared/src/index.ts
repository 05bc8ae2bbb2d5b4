export * from './constants';
export * from './errors';
export * from './ids';
export * from './pricing';
export * from './routes';
export * from './schemas';
export * from './table';
export * from './ulid';
