/**
 * zod schemas for every request body the emulator accepts (docs/cloudkit.md §3, docs/cloudkit.md §7).
 *
 * Unknown keys are stripped (CloudKit ignores sharing keys we do not emulate); `null` is accepted
 * wherever Apple's own examples send it (e.g. `"desiredKeys": null`). A body that does not parse
 * becomes 400 BAD_REQUEST naming the offending path, the way the live service says "Unexpected input".
 */
import { z } from 'zod';
import { ckError } from './errors';

const DesiredKeysSchema = z.array(z.string()).nullish();

/** `{zoneName, ownerRecordName?}`; live payloads add `zoneType`, which we accept and ignore. */
export const ZoneIdSchema = z.object({
  zoneName: z.string().min(1),
  ownerRecordName: z.string().nullish(),
  zoneType: z.string().nullish(),
});
export type ZoneId = z.infer<typeof ZoneIdSchema>;

/** A field on the wire: `{value, type?}` (docs/cloudkit.md §4). */
export const FieldInputSchema = z.object({ value: z.unknown(), type: z.string().nullish() });

export const RecordInputSchema = z.object({
  recordName: z.string().min(1).nullish(),
  recordType: z.string().min(1).nullish(),
  recordChangeTag: z.string().nullish(),
  fields: z.record(z.string(), FieldInputSchema).nullish(),
});
export type RecordInput = z.infer<typeof RecordInputSchema>;

export const RECORD_OPERATION_TYPES = ['create', 'update', 'forceUpdate', 'replace', 'forceReplace', 'delete', 'forceDelete'] as const;
export type RecordOperationType = (typeof RECORD_OPERATION_TYPES)[number];

export const ModifyRecordsSchema = z.object({
  operations: z.array(
    z.object({
      operationType: z.enum(RECORD_OPERATION_TYPES),
      record: RecordInputSchema,
      desiredKeys: DesiredKeysSchema,
    }),
  ),
  zoneID: ZoneIdSchema.nullish(),
  atomic: z.boolean().nullish(),
  desiredKeys: DesiredKeysSchema,
  numbersAsStrings: z.boolean().nullish(),
});

export const LookupRecordsSchema = z.object({
  records: z.array(z.object({ recordName: z.string().min(1), desiredKeys: DesiredKeysSchema })),
  zoneID: ZoneIdSchema.nullish(),
  desiredKeys: DesiredKeysSchema,
  numbersAsStrings: z.boolean().nullish(),
});

const ResultsLimitSchema = z.number().int().min(1).nullish();

export const FilterSchema = z.object({
  comparator: z.string(),
  fieldName: z.string().nullish(),
  systemFieldName: z.string().nullish(),
  fieldValue: FieldInputSchema,
  distance: z.number().nullish(),
});
export type Filter = z.infer<typeof FilterSchema>;

export const SortSchema = z.object({
  fieldName: z.string().nullish(),
  systemFieldName: z.string().nullish(),
  ascending: z.boolean().nullish(),
  relativeLocation: z.unknown().optional(),
});

export const QueryDefinitionSchema = z.object({
  recordType: z.string().min(1),
  filterBy: z.array(FilterSchema).nullish(),
  sortBy: z.array(SortSchema).nullish(),
});
export type QueryDefinition = z.infer<typeof QueryDefinitionSchema>;

export const QueryRecordsSchema = z.object({
  zoneID: ZoneIdSchema.nullish(),
  resultsLimit: ResultsLimitSchema,
  query: QueryDefinitionSchema,
  continuationMarker: z.string().nullish(),
  desiredKeys: DesiredKeysSchema,
  zoneWide: z.boolean().nullish(),
  numbersAsStrings: z.boolean().nullish(),
});

export const ModifyZonesSchema = z.object({
  operations: z.array(z.object({ operationType: z.enum(['create', 'delete']), zone: z.object({ zoneID: ZoneIdSchema }) })),
});

export const LookupZonesSchema = z.object({ zones: z.array(ZoneIdSchema) });

export const DatabaseChangesSchema = z.object({ syncToken: z.string().nullish(), resultsLimit: ResultsLimitSchema });

/** Legacy zones/changes: the live service reads `metaSyncToken` and silently ignores `syncToken` (docs/cloudkit.md §3.6). */
export const ZoneChangesLegacySchema = z.object({
  metaSyncToken: z.string().nullish(),
  resultsLimit: ResultsLimitSchema,
});

const ZoneChangeOptions = {
  resultsLimit: ResultsLimitSchema,
  desiredKeys: DesiredKeysSchema,
  desiredRecordTypes: z.array(z.string()).nullish(),
};

export const ZoneChangesSchema = z.object({
  zones: z.array(z.object({ zoneID: ZoneIdSchema, syncToken: z.string().nullish(), ...ZoneChangeOptions })),
  ...ZoneChangeOptions,
  reverse: z.boolean().nullish(),
  numbersAsStrings: z.boolean().nullish(),
});

export const RecordChangesSchema = z.object({
  zoneID: ZoneIdSchema,
  syncToken: z.string().nullish(),
  resultsLimit: ResultsLimitSchema,
  desiredKeys: DesiredKeysSchema,
  numbersAsStrings: z.boolean().nullish(),
  reverse: z.boolean().nullish(),
});

export const FIRES_ON = ['create', 'update', 'delete'] as const;

export const SubscriptionInputSchema = z.object({
  subscriptionID: z.string().min(1).nullish(),
  subscriptionType: z.enum(['zone', 'query']),
  zoneID: ZoneIdSchema.nullish(),
  query: z.object({ recordType: z.string().min(1), filterBy: z.array(FilterSchema).nullish() }).nullish(),
  firesOn: z.array(z.enum(FIRES_ON)).nullish(),
  firesOnce: z.boolean().nullish(),
  zoneWide: z.boolean().nullish(),
  notificationInfo: z.record(z.string(), z.unknown()).nullish(),
});

export type SubscriptionInput = z.infer<typeof SubscriptionInputSchema>;

export const ModifySubscriptionsSchema = z.object({
  operations: z.array(z.object({ operationType: z.enum(['create', 'update', 'delete']), subscription: SubscriptionInputSchema })),
});

export const LookupSubscriptionsSchema = z.object({
  subscriptions: z.array(z.object({ subscriptionID: z.string().min(1) })),
});

const ApnsEnvironmentSchema = z.enum(['development', 'production']);

export const CreateTokenSchema = z.object({ apnsEnvironment: ApnsEnvironmentSchema });

/** tokens/register needs both keys (docs/cloudkit.md §7.1, live). */
export const RegisterTokenSchema = z.object({ apnsEnvironment: ApnsEnvironmentSchema, apnsToken: z.string().min(1) });

/**
 * Parses a request body or throws 400 BAD_REQUEST naming the paths that failed.
 */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const where = result.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
  throw ckError('BAD_REQUEST', `Unexpected input: ${where}`);
}
