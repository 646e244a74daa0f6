/**
 * The CloudKit Web Services client: the public surface the sync engine and the shells use.
 *
 * One import point so main/sync/ does not depend on this folder's file layout.
 */
export { CloudKitClient } from './client';
export type {
  ApnsToken,
  CallerIdentity,
  CloudKitClientOptions,
  CloudRecord,
  CloudSubscription,
  DatabaseChangesPage,
  ItemResult,
  RecordOperation,
  SubscriptionOperation,
  ZoneChangesPage,
  ZoneInfo,
} from './client';
export { CloudKitConfig, type CloudKitConfigInput } from './config';
export {
  CLOUDKIT_ACTION_BY_KIND,
  CLOUDKIT_ERROR_KINDS,
  CloudKitError,
  classifyServerError,
  isCloudKitError,
  isRetryableCloudKitKind,
  retryAfterToMs,
  toAppError,
  type CloudKitAction,
  type CloudKitErrorKind,
} from './errors';
export {
  bytesField,
  decodeField,
  doubleField,
  encodeFields,
  int64Field,
  readInt64,
  readString,
  readStringList,
  readTimestamp,
  stringField,
  stringListField,
  timestampField,
  type FieldMap,
  type FieldValue,
} from './fields';
export { MAX_OPERATIONS_PER_REQUEST, MAX_REQUEST_BYTES, splitIntoBatches } from './batching';
export { CourierPoller, type CourierEndpoint, type CourierNotification } from './courier';
export { extractTokenFromMessage, extractWebAuthToken, StaticSignInFlow, type SignInFlow } from './sign-in';
