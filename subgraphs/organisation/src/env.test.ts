import { describe, expect, it } from 'vitest';
import { readEnv } from './env.ts';

describe("the organisation subgraph's environment", () => {
  it('takes the import limits .env.example documents, with their defaults', () => {
    expect(readEnv({ PUBLISHER: 'nhs-england' })).toMatchObject({
      IMPORT_MAX_CSV_BYTES: 20 * 1024 * 1024,
      IMPORT_MAX_JSON_BYTES: 10 * 1024 * 1024,
      IMPORT_MAX_PROBLEMS: 1000,
    });
    expect(
      readEnv({
        PUBLISHER: 'nhs-england',
        IMPORT_MAX_CSV_BYTES: '1048576',
        IMPORT_MAX_PROBLEMS: '50',
      }),
    ).toMatchObject({
      IMPORT_MAX_CSV_BYTES: 1048576,
      IMPORT_MAX_PROBLEMS: 50,
    });
  });

  it('refuses a bad setting by name, and traces only with a URL to send them to', () => {
    expect(() => readEnv({ PUBLISHER: 'nhs-england', IMPORT_MAX_PROBLEMS: '0' })).toThrow(
      /IMPORT_MAX_PROBLEMS/,
    );
    expect(() =>
      readEnv({ PUBLISHER: 'nhs-england', OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }),
    ).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
    expect(
      readEnv({ PUBLISHER: 'nhs-england', OTEL_EXPORTER_OTLP_ENDPOINT: '' })
        .OTEL_EXPORTER_OTLP_ENDPOINT,
    ).toBeUndefined();
  });
});
