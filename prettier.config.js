// One formatting, checked by `pnpm format:check` (in `pnpm check` and .ci/run).
/** @type {import('prettier').Config} */
export default {
  singleQuote: true,
  // Two panes of a side-by-side diff fit a laptop screen at 100 columns; 180 did not.
  printWidth: 100,
  // Template literals holding HTML, SQL or GraphQL keep the layout they were written in.
  embeddedLanguageFormatting: 'off',
};
