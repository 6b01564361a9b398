import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '.data/**',
      'schema/sdl/**',
      '**/drizzle/**',
      '**/*.tmp.ts',
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js'] })],
      // The files the import rules read to follow an import further. Without .ts here no-cycle
      // resolved each import but never read the module it named (the default is .js, .mjs and
      // .cjs), so it saw no cycle at all: it missed server.ts re-exporting from start.ts, which
      // imported server.ts.
      'import-x/extensions': ['.ts', '.js'],
      'import-x/ignore': ['node_modules'],
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // type-graphql resolver classes are created inside factories and typed by decorators.
      '@typescript-eslint/no-unsafe-function-type': 'off',
      // Import cycles, re-exports included; a type-only import is none (it is erased). With
      // ignoreExternal it follows imports within one package only: another workspace package
      // ('@crossgov/schema') resolves outside this one and counts as external, and following
      // node_modules from every file would be slow. So `pnpm lint` runs dpdm after ESLint over the
      // whole workspace, packages included, with the same rule; within a package the two agree.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
);
