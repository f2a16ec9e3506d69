import tseslint from 'typescript-eslint';

// The layers, as import rules. An ESLint rule set in a later block replaces the earlier one for the same
// files, so each block lists every restriction that applies to its files.
const NO_VSCODE = {
  name: 'vscode',
  message: 'src/core, src/cli and webview code must not import vscode: put VS Code adapters in src/vscode.',
};
const NO_EMULATOR = {
  regex: '(^|/)emulator/',
  message:
    'Token, session and explain code is shared by every provider: it must not depend on the emulator (src/core/emulator).',
};
const NO_SESSION = {
  regex: '^\\.\\./session/',
  message: 'The token client sits below sessions: core/session may use core/token, not the other way round.',
};
const NO_STATEFUL_SESSION = {
  regex: '/session/(refreshManager|fileRefreshLease|sessionStore)(\\.ts)?$',
  message:
    'Explanations are pure: read session state through sessionStatus.ts, not the stateful refresh machinery.',
};
const NO_COMMANDS = {
  regex: '(^|/)(vscode/)?commands/',
  message:
    'Sessions sit below commands: take what a command does as a function argument (wired in extension.ts).',
};
const NO_EMULATOR_INTERNALS = {
  regex: '(^|/)core/emulator/',
  message:
    'Only emulatorHost.ts (and the mock sign-in client in tokenService.ts) talk to the emulator: ask EmulatorHost.',
};

function restrict(paths, patterns) {
  return { 'no-restricted-imports': ['error', { paths, patterns }] };
}

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.cache/**', 'media/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-throw-literal': 'error',
    },
  },
  {
    // Type-aware rules: a promise is awaited, returned or deliberately voided, and never handed to
    // something that expects a plain function's return (an event listener, a setTimeout).
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's test() and suite() return promises that the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'suite', 'describe', 'it'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    // The core is shared with the CLI and tested in plain Node: it must never see the vscode API.
    files: ['src/core/**/*.ts', 'src/cli/**/*.ts', 'src/webview/**/*.ts'],
    rules: restrict([NO_VSCODE], []),
  },
  {
    files: ['src/core/session/**/*.ts'],
    rules: restrict([NO_VSCODE], [NO_EMULATOR]),
  },
  {
    files: ['src/core/token/**/*.ts'],
    rules: restrict([NO_VSCODE], [NO_EMULATOR, NO_SESSION]),
  },
  {
    files: ['src/core/explain/**/*.ts'],
    rules: restrict([NO_VSCODE], [NO_EMULATOR, NO_STATEFUL_SESSION]),
  },
  {
    files: ['src/vscode/**/*.ts'],
    ignores: ['src/vscode/emulatorHost.ts', 'src/vscode/sessions/tokenService.ts'],
    rules: restrict([], [NO_EMULATOR_INTERNALS]),
  },
  {
    files: ['src/vscode/sessions/**/*.ts'],
    ignores: ['src/vscode/sessions/tokenService.ts'],
    rules: restrict([], [NO_EMULATOR_INTERNALS, NO_COMMANDS]),
  },
  {
    files: ['src/vscode/sessions/tokenService.ts'],
    rules: restrict([], [NO_COMMANDS]),
  },
  {
    files: ['scripts/**/*.mjs', 'bin/**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
