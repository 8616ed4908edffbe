// The tsconfig.json `rollcall init` writes where there is none, so editors and `tsc` check scenarios.

/** Type-checks scenarios/ against rollcall's shipped types; emits nothing (rollcall runs the .ts files itself). */
export const TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
    },
    include: ['scenarios'],
  },
  null,
  2,
)}\n`;

/**
 * `scenarios/package.json`, for a repository whose package.json does not say "type": "module":
 * without it Node and tsx load the scenarios as CommonJS, and they fail to load.
 */
export const SCENARIOS_PACKAGE_JSON = `${JSON.stringify({ type: 'module' }, null, 2)}\n`;
