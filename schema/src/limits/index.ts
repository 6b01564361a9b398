export * from './settings.ts';
export * from './measure.ts';
export * from './refusals.ts';
export * from './plugin.ts';
export * from './harden.ts';
