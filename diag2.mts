import { startEmulatorProcess } from './test/bench/library/emulator-process';
const emulator = await startEmulatorProcess({ photos: 100000, albums: 8, seed: 1 });
const r = await fetch(emulator.url + '/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(emulator.credentials) });
const j: any = await r.json();
const tok = j.access_token ?? j.id;
const h = { Authorization: 'Bearer ' + tok, 'X-Session-ID': tok };
for (const [count, offset] of [[1000, 0], [1000, 0], [100, 0], [1000, 50000], [1000, 90000]]) {
  const t = performance.now();
  const res = await fetch(`${emulator.url}/api/v1/photos?count=${count}&offset=${offset}&merged=true&order=newest`, { headers: h });
  const body = await res.text();
  console.log(count, offset, Math.round(performance.now() - t), 'ms', body.length, 'bytes', res.headers.get('content-encoding'));
}
const cfg: any = await (await fetch(`${emulator.url}/api/v1/config`, { headers: h })).json();
console.log('previewToken', cfg.previewToken, Object.keys(cfg.count ?? {}));
const page: any = await (await fetch(`${emulator.url}/api/v1/photos?count=20&offset=0&merged=true&order=newest`, { headers: h })).json();
for (const p of page.slice(0, 12)) {
  const t = performance.now();
  const res = await fetch(`${emulator.url}/api/v1/t/${p.Hash}/${cfg.previewToken}/tile_224`);
  const b = await res.arrayBuffer();
  console.log('thumb', res.status, Math.round(performance.now() - t), 'ms', b.byteLength);
}
await emulator.stop();
