// One line width for every file: no line past 140 characters (CI runs `npm run format:check`).
export default {
  printWidth: 140,
  singleQuote: true,
  trailingComma: 'all',
};
