import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../../main/log/logger';

/**
 * Every shape a token takes on its way into a log line (main/log/redact.ts lists them). Each
 * case goes through the logger three ways: in the message, in a field, and inside an Error
 * (message and stack), because that is how they reach the sink.
 */
const SESSION = 'a3f1c2d4e5b6a7980c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f'; // 48 hex, like PhotoPrism's
const PREVIEW = 'pv7x2k9q';
const CK_WEB = '146__54__AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
const DOWNLOAD = 'dl5k3m8w';

function logged(text: string): string {
  const log = createMemoryLogger();
  log.info(text);
  log.info('field', { detail: text, list: [text] });
  const error = new Error(`request failed: ${text}`);
  log.error('error', { error, wrapped: new Error('outer', { cause: new Error(text) }) });
  return log.lines.join('\n');
}

const SHAPES: { name: string; text: string; secrets: string[]; kept: string[] }[] = [
  {
    name: 'CloudKit query string on a full URL',
    text: `POST https://api.apple-cloudkit.com/database/1/iCloud.x/development/private/records/modify?ckAPIToken=APIKEY123&ckWebAuthToken=${CK_WEB}`,
    secrets: ['APIKEY123', CK_WEB],
    kept: ['/records/modify'],
  },
  {
    name: 'download token in a path-only URL (/api/v1/dl/<hash>?t=<token>)',
    text: `GET /api/v1/dl/0f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a?t=${DOWNLOAD} failed`,
    secrets: [DOWNLOAD],
    kept: ['/api/v1/dl/0f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a'],
  },
  {
    name: 'session token as a path segment (/session/<token>)',
    text: `GET http://192.168.1.5:2342/api/v1/session/${SESSION}: 404`,
    secrets: [SESSION],
    kept: ['/api/v1/session/', '404'],
  },
  {
    name: 'short session token as a path segment',
    text: 'GET /api/v1/session/sess-abc123xyz failed',
    secrets: ['sess-abc123xyz'],
    kept: ['/api/v1/session/'],
  },
  {
    name: 'preview token in a thumbnail path (/t/<hash>/<token>/<size>)',
    text: `thumbnail /api/v1/t/0f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a/${PREVIEW}/tile_224 answered 403`,
    secrets: [PREVIEW],
    kept: ['/api/v1/t/0f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a/', '/tile_224', '403'],
  },
  {
    name: 'preview token in a video path (/videos/<hash>/<token>/<format>)',
    text: `GET /api/v1/videos/0f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a/${PREVIEW}/avc`,
    secrets: [PREVIEW],
    kept: ['/avc'],
  },
  {
    name: 'web auth token in a fragment (#ckWebAuthToken=)',
    text: `callback photoflare://icloud-callback#ckWebAuthToken=${CK_WEB}&ckSession=SESSIONX`,
    secrets: [CK_WEB, 'SESSIONX'],
    kept: ['photoflare://icloud-callback#ckWebAuthToken='],
  },
  {
    name: 'Authorization header as text',
    text: 'sent Authorization: Bearer eyJhbGciOi.payload.sig',
    secrets: ['eyJhbGciOi', 'payload.sig'],
    kept: ['Authorization'],
  },
  {
    name: 'X-Auth-Token header as text',
    text: `headers: X-Auth-Token: ${SESSION.slice(0, 40)}zz`,
    secrets: [`${SESSION.slice(0, 40)}zz`],
    kept: ['X-Auth-Token'],
  },
  {
    name: 'X-Session-ID header as text',
    text: 'X-Session-ID: 0123abcd-session',
    secrets: ['0123abcd-session'],
    kept: ['X-Session-ID'],
  },
  {
    name: 'X-Download-Token header as text',
    text: `X-Download-Token: ${DOWNLOAD}`,
    secrets: [DOWNLOAD],
    kept: ['X-Download-Token'],
  },
  {
    name: 'Cookie header with several cookies',
    text: 'Cookie: photoflare_shell=s3cr3tcookie; other=val2ue',
    secrets: ['s3cr3tcookie', 'val2ue'],
    kept: ['Cookie'],
  },
  {
    name: 'headers serialised as JSON inside a message',
    text: `request {"x-auth-token":"tok-json-1","X-Session-ID":"tok-json-2","accept":"application/json"}`,
    secrets: ['tok-json-1', 'tok-json-2'],
    kept: ['application/json'],
  },
  {
    name: 'a bare 48-hex PhotoPrism token in free text',
    text: `stored token ${SESSION} for alice`,
    secrets: [SESSION],
    kept: ['alice'],
  },
];

describe('log redaction, one case per token shape', () => {
  for (const shape of SHAPES) {
    it(shape.name, () => {
      const text = logged(shape.text);
      for (const secret of shape.secrets) expect(text).not.toContain(secret);
      for (const part of shape.kept) expect(text).toContain(part);
    });
  }

  it('masks header-named fields in objects, at any depth, including Cookie and X-Download-Token', () => {
    const log = createMemoryLogger();
    log.warn('response', {
      request: { headers: { Cookie: 'c=abc', 'X-Download-Token': DOWNLOAD, 'X-Session-ID': 'sid-9', accept: 'image/*' } },
    });
    const line = log.lines.join('\n');
    for (const secret of ['c=abc', DOWNLOAD, 'sid-9']) expect(line).not.toContain(secret);
    expect(line).toContain('image/*');
  });

  it('masks tokens in error causes and in URL objects', () => {
    const log = createMemoryLogger();
    const cause = Object.assign(new Error(`connect ECONNREFUSED for /api/v1/session/${SESSION}`), { code: 'ECONNREFUSED' });
    log.error('failed', { error: new Error('sign-in failed', { cause }), url: new URL(`https://h/api/v1/dl/x?t=${DOWNLOAD}`) });
    const line = log.lines.join('\n');
    expect(line).not.toContain(SESSION);
    expect(line).not.toContain(DOWNLOAD);
    expect(line).toContain('ECONNREFUSED');
  });
});
