import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';

/**
 * electron-builder.yml: valid for the electron-builder we ship with (its own schema check, the
 * one `electron-builder` runs before packing), plus explicit asserts on every key that matters
 * for security or for the Mac build, so a careless edit fails here rather than in a release.
 */
const ROOT = join(__dirname, '..', '..');
const raw: unknown = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8'));

const Config = z.object({
  appId: z.string(),
  productName: z.string(),
  directories: z.object({ output: z.string(), buildResources: z.string() }),
  files: z.array(z.string()),
  asar: z.boolean(),
  asarUnpack: z.array(z.string()),
  electronFuses: z.record(z.string(), z.boolean()),
  mac: z.object({
    category: z.string(),
    target: z.array(z.object({ target: z.string(), arch: z.array(z.string()) })),
    darkModeSupport: z.boolean(),
    hardenedRuntime: z.boolean(),
    entitlements: z.string(),
    entitlementsInherit: z.string(),
    notarize: z.boolean(),
  }),
});
const config = Config.parse(raw);

describe('electron-builder.yml', () => {
  it("passes electron-builder's own configuration schema", async () => {
    await expect(validateConfiguration(raw as never, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('the schema check does bite (a typo is rejected)', async () => {
    const broken = { ...(raw as object), mac: { ...config.mac, hardenedRuntim: true } };
    await expect(validateConfiguration(broken as never, new DebugLogger(false))).rejects.toThrow(
      /Invalid configuration object[\s\S]*configuration\.mac/,
    );
  });

  it('names the app', () => {
    expect(config.appId).toBe('app.photoflare.desktop');
    expect(config.productName).toBe('Photoflare');
    expect(config.mac.category).toBe('public.app-category.photography');
    expect(config.mac.darkModeSupport).toBe(true);
  });

  it('sets the Electron fuses', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('builds a universal dmg + zip with the hardened runtime, entitlements and notarisation', () => {
    expect(config.mac.target).toEqual([
      { target: 'dmg', arch: ['universal'] },
      { target: 'zip', arch: ['universal'] },
    ]);
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.mac.notarize).toBe(true);
    for (const file of [config.mac.entitlements, config.mac.entitlementsInherit]) {
      expect(existsSync(join(ROOT, file)), file).toBe(true);
    }
  });

  it('keeps entitlements to the minimum: JIT only, nothing that weakens the hardened runtime', () => {
    for (const file of [config.mac.entitlements, config.mac.entitlementsInherit]) {
      const plist = readFileSync(join(ROOT, file), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
      const keys = [...plist.matchAll(/<key>([^<]+)<\/key>/g)].map((match) => match[1]);
      expect(keys, file).toEqual(['com.apple.security.cs.allow-jit']);
    }
  });

  it('packs the built app only, with native modules unpacked, and never writes into dist/', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('**/*.node');
    expect(config.files).toEqual(expect.arrayContaining(['dist/main/**', 'dist/preload/**', 'dist/renderer/**', 'package.json']));
    expect(config.files.some((pattern) => /^(main|renderer|preload|shared|test)\//.test(pattern))).toBe(false);
    expect(config.directories.output).not.toBe('dist');
    // The top level is fixed: no build/ folder; resources live beside the platform code.
    expect(config.directories.buildResources).toBe('main/platform/mac');
  });
});
