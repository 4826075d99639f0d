/** The contract: everything two sides of fnstudio share. Browser-safe (no Node imports). */
export * from './outcome';
export * from './mock';
export * from './run-history';
export * from './replay';
export * from './function';
export * from './api';
export * from './ids';
export * from './errors';
export * from './methods';
export * from './transport';
export * from './client';
export * from './capture';
export * from './tests';
export * from './sync';
