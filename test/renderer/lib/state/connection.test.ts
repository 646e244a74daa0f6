import { afterEach, expect, test } from 'vitest';
import { setBridgeForTests } from '../../../../renderer/lib/api';
import { ConnectionState } from '../../../../renderer/lib/state/connection.svelte';
import type { ConnectionStatus } from '../../../../shared/library/schemas';

afterEach(() => setBridgeForTests(undefined));

const online: ConnectionStatus = {
  state: 'online',
  serverUrl: 'https://photos.example.test',
  insecureHttp: false,
  userName: 'admin',
  serverVersion: null,
  lastError: null,
  indexing: null,
  lastRefreshedAt: null,
};

test('the server counts as back when the status turns online, not on every push while online', () => {
  const connection = new ConnectionState();
  connection.apply(online);
  expect(connection.cameOnline).toBe(1);
  // Index progress or a refresh's answer while online: nothing came back.
  connection.apply({ ...online, indexing: { done: 10, total: 100 } });
  connection.apply(online);
  expect(connection.cameOnline).toBe(1);
  connection.apply({ ...online, state: 'offline' });
  expect(connection.cameOnline).toBe(1);
  connection.apply(online);
  expect(connection.cameOnline).toBe(2);
});
