import { describe, expect, it } from 'vitest';
import { createMemoryLogger, redactText } from '../../../main/log/logger';

describe('the logger never writes secrets', () => {
  it('masks fields whose names look like secrets, at any depth', () => {
    const log = createMemoryLogger();
    log.info('signed in', {
      user: 'alice',
      headers: { 'X-Auth-Token': 'abc123', Authorization: 'Bearer xyz' },
      nested: { sessionId: 's1', password: 'hunter2', ckWebAuthToken: 'tok' },
    });
    const line = log.lines.join('\n');
    for (const secret of ['abc123', 'xyz', 's1', 'hunter2', 'tok']) expect(line).not.toContain(secret);
    expect(line).toContain('alice');
  });

  it('drops query strings from URLs (CloudKit tokens travel there)', () => {
    const text = redactText(
      'GET https://api.apple-cloudkit.com/database/1/c/development/private/records/modify?ckAPIToken=K&ckWebAuthToken=W failed',
    );
    expect(text).not.toContain('ckWebAuthToken=W');
    expect(text).toContain('/records/modify?[query redacted]');
  });

  it('masks bearer tokens inside messages and error texts', () => {
    const log = createMemoryLogger();
    log.error('request failed', { error: new Error('401 for Bearer abc.def.ghi') });
    expect(log.lines.join('\n')).not.toContain('abc.def.ghi');
  });

  it('filters by level', () => {
    const log = createMemoryLogger();
    log.debug('detail');
    expect(log.lines).toHaveLength(1);
    log.child('sub').warn('careful');
    expect(log.lines[1]).toContain('[test:sub]');
  });
});
