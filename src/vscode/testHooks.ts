// The explicit test-only switch: the extension-host tests (run with NHS_AUTH_TEST=1) get the
// extension's internals under `testing`; every other caller gets the public API alone.

export const TEST_SWITCH = 'NHS_AUTH_TEST';

export function withTestHooks<A extends object, H>(
  api: A,
  hooks: () => H,
  env: Readonly<Record<string, string | undefined>> = process.env,
): A | (A & { readonly testing: H }) {
  return env[TEST_SWITCH] === '1' ? Object.freeze({ ...api, testing: hooks() }) : api;
}
