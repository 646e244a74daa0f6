import { z } from 'zod';

/**
 * zod schemas for every CloudKit Web Services body the client reads (docs/cloudkit.md §3, docs/cloudkit.md §4, docs/cloudkit.md §7).
 *
 * Objects are loose (`z.looseObject`): Apple adds keys over time (`zoneType`, `isEncrypted`, …)
 * and an unknown key must not break sync. Keys we rely on are checked strictly.
 * Per-item lists mix results and errors; like CloudKit JS, an entry is an error when it has a
 * `serverErrorCode` (docs/cloudkit.md §3.8), so every union tries the error shape first.
 */

/** The top-level or per-item error dictionary (docs/cloudkit.md §3.1, docs/cloudkit.md §3.5, docs/cloudkit.md §3.8). */
export const ServerErrorBody = z.looseObject({
  serverErrorCode: z.string(),
  reason: z.string().optional(),
  retryAfter: z.number().optional(),
  uuid: z.string().optional(),
  redirectURL: z.string().optional(),
  // CloudKit JS normalises this spelling too (docs/cloudkit.md §5).
  redirectUrl: z.string().optional(),
});
export type ServerErrorBody = z.infer<typeof ServerErrorBody>;

/** `{zoneName, ownerRecordName?}`; live payloads add `zoneType` (docs/cloudkit.md §3.5). */
export const ZoneId = z.looseObject({
  zoneName: z.string(),
  ownerRecordName: z.string().optional(),
  zoneType: z.string().optional(),
});
export type ZoneId = z.infer<typeof ZoneId>;

/** A field as it arrives: `{value, type?}` (docs/cloudkit.md §4). Typed decoding lives in fields.ts. */
export const WireField = z.looseObject({
  value: z.unknown(),
  type: z.string().optional(),
});
export type WireField = z.infer<typeof WireField>;

/** `created` / `modified` stamps on a saved record (docs/cloudkit.md §3.1). */
export const RecordStamp = z.looseObject({
  timestamp: z.number(),
  userRecordName: z.string().optional(),
  deviceID: z.string().optional(),
});
export type RecordStamp = z.infer<typeof RecordStamp>;

/** A record dictionary; a tombstone in a change feed has `deleted: true` and maybe little else (docs/cloudkit.md §3.7, docs/cloudkit.md §10.4). */
export const WireRecord = z.looseObject({
  recordName: z.string(),
  recordType: z.string().optional(),
  recordChangeTag: z.string().optional(),
  fields: z.record(z.string(), WireField).optional(),
  created: RecordStamp.optional(),
  modified: RecordStamp.optional(),
  deleted: z.boolean().optional(),
  zoneID: ZoneId.optional(),
});
export type WireRecord = z.infer<typeof WireRecord>;

/** The per-record error dictionary (docs/cloudkit.md §3.1 "Record Fetch Error Dictionary"). */
export const WireRecordError = ServerErrorBody.extend({ recordName: z.string().optional() });
export type WireRecordError = z.infer<typeof WireRecordError>;

const RecordEntry = z.union([WireRecordError, WireRecord]);

/** `records/modify` and `records/lookup` responses (docs/cloudkit.md §3.1, docs/cloudkit.md §3.3), also the 400 atomic-failure body. */
export const RecordsResponse = z.looseObject({ records: z.array(RecordEntry) });
export type RecordsResponse = z.infer<typeof RecordsResponse>;

/** A zone dictionary (docs/cloudkit.md §3.5); in change feeds a deleted zone has `deleted: true` (docs/cloudkit.md §3.6). */
export const WireZone = z.looseObject({
  zoneID: ZoneId,
  syncToken: z.string().optional(),
  atomic: z.boolean().optional(),
  deleted: z.boolean().optional(),
});
export type WireZone = z.infer<typeof WireZone>;

/** The zone error dictionary (docs/cloudkit.md §3.5). */
export const WireZoneError = ServerErrorBody.extend({ zoneID: ZoneId.optional() });
export type WireZoneError = z.infer<typeof WireZoneError>;

const ZoneEntry = z.union([WireZoneError, WireZone]);

/** `zones/list`, `zones/lookup`, `zones/modify` responses. */
export const ZonesResponse = z.looseObject({ zones: z.array(ZoneEntry) });
export type ZonesResponse = z.infer<typeof ZonesResponse>;

/** `changes/database` (docs/cloudkit.md §3.6). */
export const DatabaseChangesResponse = z.looseObject({
  zones: z.array(ZoneEntry),
  syncToken: z.string(),
  moreComing: z.boolean().default(false),
});
export type DatabaseChangesResponse = z.infer<typeof DatabaseChangesResponse>;

/** One zone's page in `changes/zone` (docs/cloudkit.md §3.7). */
export const WireZoneChanges = z.looseObject({
  zoneID: ZoneId,
  records: z.array(RecordEntry).default([]),
  syncToken: z.string(),
  moreComing: z.boolean().default(false),
});
export type WireZoneChanges = z.infer<typeof WireZoneChanges>;

/** `changes/zone` (docs/cloudkit.md §3.7): per zone, a page or an error. */
export const ZoneChangesResponse = z.looseObject({ zones: z.array(z.union([WireZoneError, WireZoneChanges])) });
export type ZoneChangesResponse = z.infer<typeof ZoneChangesResponse>;

/** A user identity (docs/cloudkit.md §9.8). */
export const UserIdentity = z.looseObject({
  userRecordName: z.string(),
  lookupInfo: z.looseObject({}).optional(),
  nameComponents: z.looseObject({}).optional(),
});
export type UserIdentity = z.infer<typeof UserIdentity>;

/**
 * The body of a user identity before normalising: Apple's `CloudKit.UserIdentity` carries
 * `userRecordName`, but a user who is not discoverable may get "only the lookupInfo key"
 * (Apple: CloudKit JS, `CloudKit.UserIdentity`), whose `userRecordName` then names the user.
 */
const LooseUserIdentity = z
  .looseObject({
    userRecordName: z.string().optional(),
    lookupInfo: z.looseObject({ userRecordName: z.string().optional() }).optional(),
    nameComponents: z.looseObject({}).optional(),
  })
  .transform((identity, ctx) => {
    const userRecordName = identity.userRecordName ?? identity.lookupInfo?.userRecordName;
    if (userRecordName === undefined) {
      ctx.addIssue({ code: 'custom', message: 'no userRecordName in the identity or its lookupInfo' });
      return z.NEVER;
    }
    return { ...identity, userRecordName };
  });

/**
 * `users/caller`: the UserIdentity dictionary itself, as Apple's CloudKit JS reads it
 * (`CloudKit.Container.fetchCurrentUserIdentity` resolves to the response body); an older Web
 * Services reference page shows `{users: [UserIdentity]}`. Accept both.
 */
export const CallerResponse = z.union([
  z.looseObject({ users: z.tuple([LooseUserIdentity], LooseUserIdentity) }).transform((body) => body.users[0]),
  LooseUserIdentity,
]);
export type CallerResponse = z.infer<typeof CallerResponse>;

/** A subscription dictionary (docs/cloudkit.md §7.3). */
export const WireSubscription = z.looseObject({
  subscriptionID: z.string(),
  // Optional: a delete result may carry only the ID.
  subscriptionType: z.string().optional(),
  zoneID: ZoneId.optional(),
  query: z.looseObject({ recordType: z.string().optional() }).optional(),
  firesOn: z.array(z.string()).optional(),
  firesOnce: z.boolean().optional(),
  zoneWide: z.boolean().optional(),
});
export type WireSubscription = z.infer<typeof WireSubscription>;

/** The subscription error dictionary. */
export const WireSubscriptionError = ServerErrorBody.extend({ subscriptionID: z.string().optional() });
export type WireSubscriptionError = z.infer<typeof WireSubscriptionError>;

/** `subscriptions/list`, `/lookup`, `/modify`. */
export const SubscriptionsResponse = z.looseObject({
  subscriptions: z.array(z.union([WireSubscriptionError, WireSubscription])),
});
export type SubscriptionsResponse = z.infer<typeof SubscriptionsResponse>;

/** `tokens/create` (docs/cloudkit.md §7.1). */
export const ApnsTokenResponse = z.looseObject({
  apnsEnvironment: z.enum(['development', 'production']).optional(),
  apnsToken: z.string().min(1),
  webcourierURL: z.url({ protocol: /^https?$/ }),
});
export type ApnsTokenResponse = z.infer<typeof ApnsTokenResponse>;

/**
 * Whether a per-item entry is an error dictionary: like CloudKit JS, by the presence of
 * `serverErrorCode` (docs/cloudkit.md §3.8). (A type guard, because loose objects defeat `in` narrowing.)
 */
export function isErrorEntry<E extends { serverErrorCode: string }, R extends object>(entry: E | R): entry is E {
  return typeof Reflect.get(entry, 'serverErrorCode') === 'string';
}

/** `tokens/register` answers with little or nothing we need. */
export const EmptyResponse = z.looseObject({});

/** One courier frame (docs/cloudkit.md §7.2). Only `ck` matters; `aps` is for display on Apple platforms. */
export const CourierFrame = z.looseObject({
  aps: z.looseObject({}).optional(),
  ck: z.looseObject({
    nid: z.string(),
    cid: z.string().optional(),
    ckuserid: z.string().optional(),
    ce: z.number().optional(),
    qry: z
      .looseObject({
        sid: z.string(),
        rid: z.string().optional(),
        fo: z.number().optional(),
        zid: z.string().optional(),
        zoid: z.string().optional(),
        dbs: z.number().optional(),
        af: z.record(z.string(), z.unknown()).optional(),
      })
      .optional(),
    fet: z.looseObject({ sid: z.string(), zid: z.string().optional(), zoid: z.string().optional() }).optional(),
  }),
});
export type CourierFrame = z.infer<typeof CourierFrame>;
