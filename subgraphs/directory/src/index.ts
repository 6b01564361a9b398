// The package's API (`@crossgov/directory`): re-exports only. The process is src/main.ts.
export { createDirectoryServer, type DirectoryServerOptions } from './server.ts';
export {
  startDirectorySubgraph,
  type RunningDirectory,
  type StartDirectoryOptions,
} from './start.ts';
export { buildDirectorySchema } from './schema.ts';
export { openDirectoryDatabase, type DirectoryDatabase } from './db/client.ts';
export { syncDirectory } from './seed/sync.ts';
