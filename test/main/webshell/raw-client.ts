import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { WebShell } from '../../../main/webshell/server';
import { frameText } from '../../../main/webshell/bridge-connection';

/**
 * Clients for the web shell's tests that control every byte: raw HTTP over a net socket, a GET
 * with exact headers, the secret-for-cookie trade, and the bridge socket.
 */

/** A minimal built renderer to serve. */
export function makeStaticDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'photoflare-static-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Photoflare</title>');
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
  return dir;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** A GET (or another method) with exactly these headers, so tests control Host and Cookie. */
export function get(shell: WebShell, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  return getAt(shell.port, path, headers, method);
}

/** `get` to another port of the web shell (an image origin). */
export function getAt(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Trade the URL secret for the session cookie, as a browser does on first open; returns the
 * `name=value` pair to send back in a Cookie header.
 */
export async function signInCookie(shell: WebShell): Promise<string> {
  const secret = new URL(shell.url).searchParams.get('secret') ?? '';
  const res = await get(shell, `/?secret=${encodeURIComponent(secret)}`, { host: `127.0.0.1:${shell.port}` });
  const setCookie = [res.headers['set-cookie'] ?? []].flat()[0];
  if (res.status !== 302 || !setCookie) throw new Error(`secret trade failed: ${res.status}`);
  return setCookie.split(';')[0] ?? '';
}

/**
 * Write raw bytes and read whatever comes back until the server closes the connection. A
 * server that keeps the connection open (an incomplete request) is cut off after `idleMs` of
 * silence: that is not a failure, only the end of what this exchange can observe.
 */
export function rawExchange(port: number, bytes: string | Buffer, idleMs = 2_000): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(idleMs, () => socket.destroy());
    socket.on('connect', () => socket.end(bytes));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
  });
}

/** The start of a WebSocket upgrade request for `path`, before the blank line. */
export function upgradeHead(path: string, host: string, extra: Record<string, string> = {}): string {
  const lines = [
    `GET ${path} HTTP/1.1`,
    `Host: ${host}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version: 13',
    ...Object.entries(extra).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Open the bridge socket; resolves with the socket or the HTTP status that refused it. */
export function openSocket(shell: WebShell, headers: Record<string, string>, path = '/bridge'): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${shell.port}${path}`, { headers });
    ws.on('open', () => resolve(ws));
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(-1));
  });
}

/** One request over the bridge; resolves with the reply's Result. */
export function call(ws: WebSocket, id: number, channel: unknown, req: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const frame = JSON.parse(frameText(data)) as { type: string; id?: number; result?: unknown };
      if (frame.type === 'reply' && frame.id === id) {
        ws.off('message', onMessage);
        resolve(frame.result);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ type: 'request', id, channel, request: req }));
  });
}

/** Collects exceptions nobody caught: in production each one would have ended the process. */
export function watchUncaught(): { readonly errors: unknown[]; stop(): void } {
  const errors: unknown[] = [];
  const record = (error: unknown) => errors.push(error);
  process.on('uncaughtException', record);
  process.on('unhandledRejection', record);
  return {
    errors,
    stop: () => {
      process.off('uncaughtException', record);
      process.off('unhandledRejection', record);
    },
  };
}
