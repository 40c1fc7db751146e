/**
 * The API declaration: operations, the objects they return, their errors and resources.
 * See operations.ts for what is derived from it.
 */
export * from './errors.ts';
export * from './objects.ts';
export * from './operations.ts';
export * from './resources.ts';
export * from './rules.ts';
export * from './version.ts';
