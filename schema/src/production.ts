// Imported first by every entry point, before graphql is loaded. graphql-js reads NODE_ENV once, when
// it loads, and outside production checks every failed `instanceof` for a second copy of itself
// from another realm: 7.5% of a publisher's CPU on a 500-organisation league (scripts/bench/RESULTS.md).
// Production is the documented default (each env.ts); development stays development.
process.env.NODE_ENV ??= 'production';

export {};
