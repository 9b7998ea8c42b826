export {
  CurrentSession,
  Email,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  NewPassword,
  SESSION_COOKIE,
  SessionEnvelope,
  SignedOut,
  SignedOutEnvelope,
  SignedUpEnvelope,
  SignInBody,
  SignUpBody,
  User,
  UserId,
} from './accounts.js';
export { type EndpointName, endpoints } from './all-endpoints.js';
export {
  API_VERSION_HEADER,
  API_VERSIONS,
  ApiVersion,
  ASSIGNMENT_REASONS,
  AssignmentReason,
  apiVersionOfPath,
  CANARY_BUCKET_COOKIE,
  CANARY_BUCKET_MAX_AGE_SECONDS,
  CANARY_BUCKETS,
  CANARY_COOKIE,
  CANARY_HEADER,
  CanaryBucket,
  RolloutState,
  RolloutStateEnvelope,
  SetRolloutBody,
  V2Share,
  VersionAssignment,
  VersionAssignmentEnvelope,
  VersionHeaders,
} from './api-versions.js';
export {
  CUSTOMER_NAME_COLLATION,
  CustomerSummary,
  CustomersReport,
  CustomersReportEnvelope,
  CustomersReportQuery,
} from './customers-report.js';
export { DateTime, encodeDateTime } from './date-time.js';
export { DEADLINES, DeadlineLimits, REQUEST_TIMEOUT_HEADER, RequestTimeoutMs } from './deadlines.js';
export type { BodyMediaType, Endpoint, EndpointAuth, HttpMethod } from './endpoint.js';
export { coreEndpoints, pathOf } from './endpoints.js';
export { endpointsV2 } from './endpoints-v2.js';
export { ErrorDetails, ErrorEnvelope, successEnvelope, ValidationIssue } from './envelope.js';
export { ERROR_NAMES, ErrorCatalogue, type ErrorName, errorNameOfCode } from './error-catalogue.js';
export { EventGeneratorEnvelope, EventGeneratorSettings } from './event-generator.js';
export {
  GeneratorTickEvent,
  LiveEvent,
  OrderCreatedEvent,
  OrderStatusChangedEvent,
  PresenceMessage,
  StreamResetEvent,
  WS_MAX_CLIENT_MESSAGE_BYTES,
  WsClientMessage,
  WsServerMessage,
} from './events.js';
export { Health, HealthEnvelope, Readiness, ReadinessEnvelope } from './health.js';
export { HeapSnapshotFile, HeapSnapshotFileEnvelope } from './heap-snapshots.js';
export {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENCY_KEY_TTL_MS,
  IDEMPOTENT_REPLAYED_HEADER,
  IdempotencyKey,
} from './idempotency.js';
export { Limits, LimitsEnvelope } from './limits.js';
export { shedWhenOverloaded } from './load-shedding.js';
export { fromCents, MAX_AMOUNT, Money, toCents } from './money.js';
export { buildOpenApiDocument } from './openapi.js';
export {
  BatchOrderIds,
  BatchOrdersQuery,
  CreatedOrderEnvelope,
  CreateOrderBody,
  CreateOrderHeaders,
  ListOrdersQuery,
  MAX_BATCH_IDS,
  MAX_ITEMS_PER_ORDER,
  ORDER_STATUS_TRANSITIONS,
  ORDER_STATUSES,
  Order,
  OrderCursor,
  OrderEnvelope,
  OrderId,
  OrderIdParams,
  OrderItem,
  OrderPage,
  OrderPageEnvelope,
  OrderStatus,
  OrdersBatch,
  OrdersBatchEnvelope,
  Sku,
  UpdateOrderStatusBody,
} from './orders.js';
export {
  CreatedOrderV2Envelope,
  CreateOrderBodyV2,
  createBodyFromV2,
  MoneyV2,
  OrderItemV2,
  OrderPageV2,
  OrderPageV2Envelope,
  OrdersBatchV2,
  OrdersBatchV2Envelope,
  OrderV2,
  OrderV2Envelope,
  SHOP_CURRENCY,
  toOrderV2,
} from './orders-v2.js';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './page-size.js';
export { type Action, type Entity, PERMISSIONS, type Reach, ROLES, Role, reachOf } from './permissions.js';
export {
  BucketLimit,
  RATE_LIMIT_BUCKETS,
  RATE_LIMIT_DEFAULTS,
  RATE_LIMIT_HEADERS,
  RateLimitBucket,
  type RateLimitCost,
  type RateLimitDeclaration,
  RateLimits,
  RateLimitWeighting,
} from './rate-limits.js';
export { OrdersReport, OrdersReportEnvelope, OrdersReportRow } from './reports.js';
export { REQUEST_ID_HEADER, REQUEST_ID_PATTERN } from './request-id.js';
export {
  ApiCallPhases,
  ApiCallSample,
  RUM_API_ROUTES,
  RUM_MAX_BATCH_BYTES,
  RUM_MAX_SAMPLES_PER_BATCH,
  RUM_PAGES,
  RumApiRoute,
  RumBatch,
  RumPage,
  RumReceipt,
  RumReceiptEnvelope,
  RumSample,
  ServerTimingReadBack,
  WEB_VITALS,
  WebVitalName,
  WebVitalSample,
} from './rum.js';
export { type RequestPart, toValidationIssues } from './validation-issues.js';
export { wireJsonSchema } from './wire-json-schema.js';
