import 'reflect-metadata';

export * from './registry.ts';
export * from './errors.ts';
export * from './federation.ts';
export * from './periods.ts';
export * from './dates.ts';
export * from './types/enums.ts';
export * from './types/dated.type.ts';
export * from './types/service.type.ts';
export * from './types/measurement.type.ts';
export * from './types/indicator.type.ts';
export * from './types/programme.type.ts';
export * from './compose.ts';
export * from './types/scorecard.type.ts';
export * from './types/progress.type.ts';
export * from './env.ts';
export * from './batch.ts';
export * from './types/organisation-summary.type.ts';
