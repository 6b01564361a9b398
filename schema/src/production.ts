// Imported first by every entry point: the variables libraries read from the environment themselves
// get their defaults here, before those libraries read them. The processes' own settings are read
// in each env.ts and passed down.
//
// graphql-js reads NODE_ENV once, when it loads, and outside production checks every failed
// `instanceof` for a second copy of itself from another realm: 7.5% of a publisher's CPU on a
// 500-organisation league (scripts/bench/RESULTS.md). Production is the documented default (each
// env.ts); development stays development.
process.env.NODE_ENV ??= 'production';

// @apollo/gateway 2.14 sends anonymous usage metrics to Apollo from every ApolloGateway it builds
// (in its constructor), probing cloud metadata addresses on the way (seen here as a 403 warning),
// unless this variable is true or 1. It has no constructor option, so the variable is the switch,
// set here before any gateway is built; a deployment that wants the metrics sets it to false.
process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';

export {};
