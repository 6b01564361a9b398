import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './processes.ts';

// The comments cite the rules and the design by document and section, `docs/domain.md, "SPC"` or
// `README "Limits"`, so that a reader can follow them (issue 18, "Docs the comments can cite"). A
// renamed heading or a moved document breaks a citation silently; this finds every one in the
// project's TypeScript and checks that the document is in the repository and has the section.

const SOURCE_FOLDERS = ['gateway', 'subgraphs', 'schema', 'scripts', 'test'];

/** Every TypeScript file of the project, node_modules and build output left out. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.'))
      return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** A document's headings, without their #s. */
const headingsOf = (document: string) =>
  [...readFileSync(join(ROOT, document), 'utf8').matchAll(/^#{1,6} +(.+?) *$/gm)].map((m) => m[1]!);

// Between a document and its quoted section a comment may break its line: `*` or `//` then spaces.
const BREAK = String.raw`(?:\s|\*|//)*`;
const CITATIONS = [
  {
    pattern: new RegExp(String.raw`\b(docs/[a-z-]+\.md)(?:,${BREAK}"([^"\n]+)")?`, 'g'),
    document: (m: RegExpMatchArray) => m[1]!,
    section: (m: RegExpMatchArray) => m[2],
  },
  {
    pattern: new RegExp(String.raw`\bREADME(?:'s)?${BREAK}"([^"\n]+)"`, 'g'),
    document: () => 'README.md',
    section: (m: RegExpMatchArray) => m[1],
  },
];

interface Citation {
  file: string;
  line: number;
  document: string;
  section: string | undefined;
}

function citations(): Citation[] {
  const found: Citation[] = [];
  for (const path of SOURCE_FOLDERS.flatMap((folder) => sources(join(ROOT, folder)))) {
    const text = readFileSync(path, 'utf8');
    for (const { pattern, document, section } of CITATIONS) {
      for (const match of text.matchAll(pattern)) {
        found.push({
          file: relative(ROOT, path),
          line: text.slice(0, match.index).split('\n').length,
          document: document(match),
          section: section(match),
        });
      }
    }
  }
  return found;
}

/** Every path from the repository's root a file names (`gateway/src/plugins/overload.ts`, `scripts/bench/RESULTS.md`). */
function pathsNamed(): { file: string; line: number; path: string }[] {
  const found: { file: string; line: number; path: string }[] = [];
  const PATH =
    /(?<![\w./-])((?:gateway|subgraphs|schema|scripts|test|docs)\/[\w./-]*\.(?:ts|md|json|sql|csv|graphql|yaml))\b/g;
  for (const path of SOURCE_FOLDERS.flatMap((folder) => sources(join(ROOT, folder)))) {
    const text = readFileSync(path, 'utf8');
    for (const match of text.matchAll(PATH))
      found.push({
        file: relative(ROOT, path),
        line: text.slice(0, match.index).split('\n').length,
        path: match[1]!,
      });
  }
  return found;
}

/** A section is cited by its heading, or by the heading's first words ("Load shedding" for "Load shedding and deadlines"). */
const names = (heading: string, section: string) =>
  heading === section || heading.startsWith(`${section} `);

describe('citations of the docs in comments', () => {
  const all = citations();

  it('finds the citations the code makes', () => {
    // Not a vacuous pass: the code cites the architecture, the domain rules and the README throughout.
    expect(
      all.filter((c) => c.document === 'docs/architecture.md' && c.section).length,
    ).toBeGreaterThan(10);
    expect(all.filter((c) => c.document === 'docs/domain.md' && c.section).length).toBeGreaterThan(
      10,
    );
    expect(all.filter((c) => c.document === 'README.md').length).toBeGreaterThan(10);
  });

  it('cites only documents in the repository, and sections they have', () => {
    const headings = new Map<string, string[] | null>();
    const broken = all.flatMap((citation) => {
      if (!headings.has(citation.document)) {
        try {
          headings.set(citation.document, headingsOf(citation.document));
        } catch {
          headings.set(citation.document, null);
        }
      }
      const known = headings.get(citation.document);
      const where = `${citation.file}:${citation.line} cites ${citation.document}${citation.section ? `, "${citation.section}"` : ''}`;
      if (known === null) return [`${where}: no such document in the repository`];
      if (citation.section && !known!.some((heading) => names(heading, citation.section!)))
        return [`${where}: it has no such section`];
      return [];
    });
    expect(broken).toEqual([]);
  });

  it('names only files that exist, by their path from the repository root', () => {
    const named = pathsNamed();
    expect(named.length).toBeGreaterThan(20);
    // A glob or a pattern in a comment (`test/**/*.e2e.test.ts`) names no one file.
    const missing = named.filter(
      ({ path }) => !path.includes('*') && !path.includes('<') && !existsSync(join(ROOT, path)),
    );
    expect(
      missing.map(({ file, line, path }) => `${file}:${line} names ${path}, which does not exist`),
    ).toEqual([]);
  });
});
