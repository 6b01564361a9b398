import { readFileSync, watch } from 'node:fs';
import type { SupergraphSdlHook } from '@apollo/gateway';

/**
 * Serves the checked-in supergraph and swaps in a new one when the file changes. The gateway keeps
 * answering with the old plan until the new one composes; a bad file is logged and ignored.
 */
export function supergraphFromFile(
  path: string,
  onError: (error: unknown) => void,
): SupergraphSdlHook {
  return async ({ update }) => {
    let current = readFileSync(path, 'utf8');
    let timer: NodeJS.Timeout | undefined;
    const watcher = watch(path, () => {
      clearTimeout(timer);
      // Editors write in several steps; wait for the file to settle.
      timer = setTimeout(() => {
        try {
          const next = readFileSync(path, 'utf8');
          if (next.trim() === '' || next === current) return;
          update(next);
          current = next;
        } catch (error) {
          onError(error);
        }
      }, 200);
    });
    return {
      supergraphSdl: current,
      cleanup: async () => {
        clearTimeout(timer);
        watcher.close();
      },
    };
  };
}
