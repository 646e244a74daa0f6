import { describe, expect, it } from 'vitest';
import { photoprismLink } from '../../../shared/sync/state';

describe('the PhotoPrism link in the sync status', () => {
  it('passes the connection state through, and does not call a connection in progress a problem', () => {
    expect(photoprismLink('online')).toBe('online');
    expect(photoprismLink('offline')).toBe('offline');
    expect(photoprismLink('needs-sign-in')).toBe('needs-sign-in');
    expect(photoprismLink('signed-out')).toBe('signed-out');
    expect(photoprismLink('connecting')).toBe('online');
  });
});
