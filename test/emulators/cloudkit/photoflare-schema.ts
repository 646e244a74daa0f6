/**
 * Photoflare's CloudKit schema, read from the file the repository ships for CloudKit Console
 * (docs/cloudkit-schema.ckdb), so the tests exercise the very schema a container is set up with.
 *
 * The emulator starts with an EMPTY schema, as a new container does (CloudKit Web Services
 * creates no record types on write). Tests that sync install this one:
 * `startCloudKitEmulator({ recordTypes: photoflareSchema() })` or `admin.installSchema(...)`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCkdb } from './schema-language';
import type { RecordTypeSchema } from './types';

/** Where the repository keeps the schema. */
export const PHOTOFLARE_SCHEMA_PATH = fileURLToPath(new URL('../../../docs/cloudkit-schema.ckdb', import.meta.url));

let cached: RecordTypeSchema | undefined;

/** The record types of docs/cloudkit-schema.ckdb. */
export function photoflareSchema(): RecordTypeSchema {
  cached ??= parseCkdb(readFileSync(PHOTOFLARE_SCHEMA_PATH, 'utf8'));
  return cached;
}
