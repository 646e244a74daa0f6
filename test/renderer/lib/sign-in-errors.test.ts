import { describe, expect, test } from 'vitest';
import { AppError, type ErrorKind } from '../../../shared/errors';
import { checkServerAddress, describeSignInError } from '../../../renderer/lib/sign-in-errors';

describe('describeSignInError', () => {
  test.each<[ErrorKind, RegExp, string | null]>([
    ['validation', /doesn't look like a server address/, 'server'],
    ['network', /Can't reach the server/, 'server'],
    ['tls', /certificate can't be verified/, 'server'],
    ['server', /not a PhotoPrism server|doesn't look like a PhotoPrism server/, 'server'],
    ['auth', /Wrong user name or password/, 'credentials'],
    ['two-factor-required', /verification code/, 'code'],
    ['rate-limited', /Too many sign-in attempts/, null],
  ])('%s → a clear title and the right field', (kind, title, field) => {
    const problem = describeSignInError(new AppError(kind, 'details from main'));
    expect(problem.kind).toBe(kind);
    expect(problem.title).toMatch(title);
    expect(problem.field).toBe(field);
  });

  test("main's message is shown as the detail where it carries specifics", () => {
    const problem = describeSignInError(new AppError('rate-limited', 'Try again in 42 seconds.'));
    expect(problem.detail).toBe('Try again in 42 seconds.');
  });

  test('a 2FA problem says what main found (a code of the wrong length is not a wrong password)', () => {
    const problem = describeSignInError(new AppError('two-factor-required', 'The verification code has 6 digits.'));
    expect(problem).toMatchObject({ field: 'code', detail: 'The verification code has 6 digits.' });
    expect(`${problem.title} ${problem.detail}`).not.toMatch(/password/);
  });

  test('wrong credentials never echo the server text and hint at app passwords', () => {
    const problem = describeSignInError(new AppError('auth', 'invalid credentials for alice'));
    expect(problem.detail).toMatch(/app password/);
    expect(problem.detail).not.toMatch(/alice/);
  });

  test('an unexpected throw is still a sentence', () => {
    expect(describeSignInError(new Error('boom'))).toMatchObject({ kind: 'internal', detail: 'boom' });
  });
});

describe('checkServerAddress', () => {
  test.each(['photos.example.com', 'https://photos.example.com', 'http://192.168.1.5:2342', 'nas.local:2342/photoprism'])(
    'accepts %s',
    (address) => expect(checkServerAddress(address)).toBeNull(),
  );

  test.each([
    ['', /Enter the address/],
    ['photos example.com', /spaces/],
    ['ftp://photos.example.com', /https:\/\/ or http:\/\//],
    ['https://', /doesn't look like a server address/],
    ['https://alice:secret@photos.example.com', /own fields/],
  ])('refuses %j', (address, message) => {
    expect(checkServerAddress(address)).toMatch(message);
  });
});
