import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import {
  CLOUDKIT_ACTION_BY_KIND,
  CLOUDKIT_ERROR_KINDS,
  classifyServerError,
  CloudKitError,
  isRetryableCloudKitKind,
  retryAfterToMs,
  toAppError,
} from '../../../main/cloudkit/errors';

describe('classifyServerError: the docs/cloudkit.md §5 table', () => {
  const rows = [
    ['ACCESS_DENIED', 403, 'access-denied', 'stop-and-tell-user', 'permission'],
    ['ATOMIC_ERROR', 400, 'atomic-error', 'resend-without-culprit', 'bad-request'],
    ['AUTHENTICATION_FAILED', 401, 'auth-failed', 'sign-in', 'auth'],
    ['AUTHENTICATION_REQUIRED', 421, 'auth-required', 'sign-in', 'auth'],
    ['BAD_REQUEST', 400, 'bad-request', 'fix-request', 'bad-request'],
    ['CONFLICT', 409, 'conflict', 'resolve-conflict', 'conflict'],
    ['EXISTS', 409, 'exists', 'lookup-existing', 'conflict'],
    ['INTERNAL_ERROR', 500, 'server', 'retry-later', 'server'],
    ['NOT_FOUND', 404, 'not-found', 'drop-or-recreate', 'not-found'],
    ['QUOTA_EXCEEDED', 413, 'quota-exceeded', 'stop-and-tell-user', 'quota'],
    ['THROTTLED', 429, 'throttled', 'retry-later', 'rate-limited'],
    ['TRY_AGAIN_LATER', 503, 'try-again-later', 'retry-later', 'server'],
    ['VALIDATING_REFERENCE_ERROR', 412, 'validating-reference', 'save-target-first', 'bad-request'],
    ['ZONE_NOT_FOUND', 404, 'zone-not-found', 'recreate-zone', 'not-found'],
    ['UNIQUE_FIELD_ERROR', 409, 'unique-field', 'resolve-conflict', 'conflict'],
  ] as const;

  it.each(rows)('%s (%i) → %s, action %s, UI kind %s', (code, status, kind, action, appKind) => {
    const error = classifyServerError({ status, body: { serverErrorCode: code, reason: 'r', uuid: 'u1' }, operation: 'records/modify' });
    expect(error.kind).toBe(kind);
    expect(error.action).toBe(action);
    expect(error.status).toBe(status);
    expect(error.serverErrorCode).toBe(code);
    expect(error.uuid).toBe('u1');
    expect(error.operation).toBe('records/modify');
    expect(error.toAppError().kind).toBe(appKind);
  });

  it('classifies per-record error dictionaries, which carry no status', () => {
    expect(classifyServerError({ body: { serverErrorCode: 'CONFLICT', reason: 'tag mismatch' } }).kind).toBe('conflict');
  });

  it('keeps the redirect URL of AUTHENTICATION_REQUIRED, in either spelling (docs/cloudkit.md §5)', () => {
    const body = {
      uuid: 'x',
      serverErrorCode: 'AUTHENTICATION_REQUIRED',
      reason: 'request needs authorization',
      redirectURL: 'https://idmsa.example/auth',
    };
    expect(classifyServerError({ status: 421, body }).redirectUrl).toBe('https://idmsa.example/auth');
    expect(
      classifyServerError({ status: 421, body: { serverErrorCode: 'AUTHENTICATION_REQUIRED', redirectUrl: 'https://b.example' } })
        .redirectUrl,
    ).toBe('https://b.example');
  });

  it('reads the TN3162 throttle body and its retryAfter', () => {
    const body = {
      reason: 'Database throttled, retry later',
      retryAfter: 110207,
      serverErrorCode: 'THROTTLED',
      error_code: 'THROTTLED',
      messageForDeveloper: 'Database throttled, retry later',
      uuid: 'wsThrottles_1',
    };
    const error = classifyServerError({ status: 429, body });
    expect(error.kind).toBe('throttled');
    expect(error.retryAfterMs).toBe(110207);
    expect(classifyServerError({ status: 429, body: { serverErrorCode: 'THROTTLED', retryAfter: 30 } }).retryAfterMs).toBe(30_000);
  });

  it('falls back on the status when the body names no code', () => {
    expect(classifyServerError({ status: 503 }).kind).toBe('try-again-later');
    expect(classifyServerError({ status: 502 }).kind).toBe('server');
    expect(classifyServerError({ status: 429 }).kind).toBe('throttled');
    expect(classifyServerError({ status: 421 }).kind).toBe('auth-required');
    expect(classifyServerError({ status: 401 }).kind).toBe('auth-failed');
    expect(classifyServerError({ status: 413 }).kind).toBe('quota-exceeded');
    expect(classifyServerError({ status: 500, body: { serverErrorCode: 'SOMETHING_NEW' } }).kind).toBe('server');
    expect(classifyServerError({ status: 418, body: { serverErrorCode: 'SOMETHING_NEW' } }).kind).toBe('unknown');
  });

  describe('an expired sync token (docs/cloudkit.md §5: no documented code)', () => {
    it('reads BAD_REQUEST on a changes/* request made with a token as "refetch from the start"', () => {
      const error = classifyServerError({
        status: 400,
        body: { serverErrorCode: 'BAD_REQUEST' },
        operation: 'changes/zone',
        usedSyncToken: true,
      });
      expect(error.kind).toBe('sync-token-expired');
      expect(error.action).toBe('refetch-from-start');
    });

    it('reads an unrecognised 4xx code the same way', () => {
      expect(classifyServerError({ status: 410, body: { serverErrorCode: 'CHANGE_TOKEN_EXPIRED' }, usedSyncToken: true }).kind).toBe(
        'sync-token-expired',
      );
    });

    it('keeps transient, auth and zone failures as they are', () => {
      for (const [code, status, kind] of [
        ['THROTTLED', 429, 'throttled'],
        ['TRY_AGAIN_LATER', 503, 'try-again-later'],
        ['INTERNAL_ERROR', 500, 'server'],
        ['AUTHENTICATION_FAILED', 401, 'auth-failed'],
        ['ZONE_NOT_FOUND', 404, 'zone-not-found'],
        ['QUOTA_EXCEEDED', 413, 'quota-exceeded'],
      ] as const) {
        expect(classifyServerError({ status, body: { serverErrorCode: code }, usedSyncToken: true }).kind).toBe(kind);
      }
    });

    it('does not blame the token when none was sent', () => {
      expect(classifyServerError({ status: 400, body: { serverErrorCode: 'BAD_REQUEST' }, usedSyncToken: false }).kind).toBe('bad-request');
    });
  });
});

describe('retryAfterToMs (unit unconfirmed, docs/cloudkit.md §10.3)', () => {
  it('reads small values as seconds and implausibly large ones as milliseconds', () => {
    expect(retryAfterToMs(0)).toBe(0);
    expect(retryAfterToMs(2.5)).toBe(2500);
    expect(retryAfterToMs(3600)).toBe(3_600_000);
    expect(retryAfterToMs(110207)).toBe(110207);
  });

  it('ignores absent or nonsensical values', () => {
    expect(retryAfterToMs(undefined)).toBeUndefined();
    expect(retryAfterToMs(-1)).toBeUndefined();
    expect(retryAfterToMs(Number.NaN)).toBeUndefined();
  });
});

describe('CloudKitError', () => {
  it('has an action and a human message for every kind, and none mentions a URL', () => {
    for (const kind of CLOUDKIT_ERROR_KINDS) {
      const error = new CloudKitError(kind, { redirectUrl: 'https://secret.example/?ckWebAuthToken=x' });
      expect(CLOUDKIT_ACTION_BY_KIND[kind]).toBeTruthy();
      expect(error.message.length).toBeGreaterThan(10);
      expect(error.message).not.toMatch(/https?:|ckWebAuthToken/);
      expect(JSON.stringify(error.toLogFields())).not.toContain('secret.example');
    }
  });

  it('retries only the transient kinds', () => {
    const retryable = CLOUDKIT_ERROR_KINDS.filter(isRetryableCloudKitKind);
    expect(retryable.sort()).toEqual(['network', 'server', 'throttled', 'try-again-later', 'unexpected-response']);
  });

  it('maps to AppErrors for the UI, and wraps foreign errors as internal', () => {
    const app = toAppError(new CloudKitError('quota-exceeded'));
    expect(app).toBeInstanceOf(AppError);
    expect(app.kind).toBe('quota');
    expect(app.message).toMatch(/iCloud storage is full/);
    const existing = new AppError('network', 'offline');
    expect(toAppError(existing)).toBe(existing);
    expect(toAppError(new Error('boom')).kind).toBe('internal');
  });
});
