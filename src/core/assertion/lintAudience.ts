// The `aud` rules: it must equal the exact token URL, and a wrong URL usually means a wrong environment.
import { environmentOfTokenUrl, environmentsOfHost } from '../environments.ts';
import { CLIENT_ASSERTION_ERRORS } from './platformErrors.ts';
import { CHECK_ORDER } from './lintTypes.ts';
import type { OrderedFinding } from './lintTypes.ts';

function audError(rule: string, message: string, fix: string): OrderedFinding {
  return {
    order: CHECK_ORDER.aud,
    rule,
    severity: 'error',
    message,
    fix,
    platformError: CLIENT_ASSERTION_ERRORS.aud,
  };
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

function sameHost(a: string, b: string): boolean {
  try {
    return new URL(a).host.toLowerCase() === new URL(b).host.toLowerCase();
  } catch {
    return false;
  }
}

export function lintAudience(aud: unknown, tokenUrl: string | undefined): OrderedFinding[] {
  const target = tokenUrl?.trim();
  const setTo = target
    ? `Set aud to exactly "${target}".`
    : 'Set aud to the exact token URL you POST to, e.g. https://int.api.service.nhs.uk/oauth2-mock/token.';
  if (aud === undefined || aud === null || aud === '') {
    return [audError('aud-missing', 'The aud claim is missing.', setTo)];
  }
  if (Array.isArray(aud)) {
    if (target && aud.length === 1 && aud[0] === target) {
      return [
        {
          order: CHECK_ORDER.aud,
          rule: 'aud-array',
          severity: 'warning',
          message:
            'aud is an array holding the token URL; the platform compares aud with the token URL as a string.',
          fix: `${setTo} Send it as a string, not an array.`,
        },
      ];
    }
    return [
      audError(
        'aud-type',
        `aud is an array of ${aud.length}; the platform expects the token URL as a single string.`,
        setTo,
      ),
    ];
  }
  if (typeof aud !== 'string') {
    return [audError('aud-type', `aud is a ${typeof aud}; it must be the token URL as a string.`, setTo)];
  }
  const audEnv = environmentOfTokenUrl(aud);
  if (!target) {
    if (audEnv || /^https?:\/\/[^/]+\/.*token$/.test(aud)) return [];
    return [
      {
        order: CHECK_ORDER.aud,
        rule: 'aud-unknown',
        severity: 'warning',
        message: `aud "${aud}" is not a platform token URL.`,
        fix: setTo,
      },
    ];
  }
  if (aud === target) return [];
  const targetEnv = environmentOfTokenUrl(target);
  const targetName = targetEnv ? targetEnv.label : target;
  if (aud.replace(/\/+$/, '').toLowerCase() === target.replace(/\/+$/, '').toLowerCase()) {
    const what = aud.replace(/\/+$/, '') === target.replace(/\/+$/, '') ? 'a trailing slash' : 'letter case';
    return [
      audError(
        'aud-mismatch',
        `aud "${aud}" differs from the token URL "${target}" only by ${what}; the platform compares them exactly.`,
        setTo,
      ),
    ];
  }
  if (audEnv && targetEnv && audEnv.host !== targetEnv.host) {
    return [
      audError(
        'aud-environment',
        `aud is the ${audEnv.label} token URL but this profile targets ${targetName}.`,
        `${setTo} If the token URL is right, also check the API key: each environment has its own app and key.`,
      ),
    ];
  }
  if (sameHost(aud, target)) {
    const other = audEnv ?? environmentsOfHost(aud).find((e) => pathOf(aud).startsWith(`/${e.basePath}/`));
    const audName = other ? ` (${other.label})` : '';
    return [
      audError(
        'aud-path',
        `aud has the path ${pathOf(aud)}${audName} but this profile targets ${pathOf(target)}${targetEnv ? ` (${targetName})` : ''}; the base path (oauth2, oauth2-mock, oauth2-no-smartcard) must match too.`,
        setTo,
      ),
    ];
  }
  if (audEnv) {
    return [
      audError(
        'aud-environment',
        `aud is the ${audEnv.label} token URL but this profile targets ${targetName}.`,
        setTo,
      ),
    ];
  }
  return [audError('aud-mismatch', `aud "${aud}" is not the token URL "${target}".`, setTo)];
}
