// registry/webhook-store: webhook state in Redis (api.md §11) — subscriptions, each event's body stored once
// (job data carries ids only), a bounded delivery log per subscription, "delivered" markers that make a
// repeated delivery job a no-op, once-markers (SET NX) for reminders, and the intents of transfer transitions
// whose event may not have been raised yet. It never judges and never sends: callers decide, this store keeps.
import type { Redis } from '../platform/redis.js';
import { defaultRedisPrefix, segment, tail } from './keys.js';
import type { WebhookEvent, WebhookEventType } from './webhook-event.js';

/** Who a subscription belongs to: an exporter's enterprise users, or everyone's (reviewer, admin). */
export type WebhookScope =
  { readonly kind: 'exporter'; readonly exporterId: string } | { readonly kind: 'global' };

export interface WebhookSubscription {
  readonly id: string;
  readonly url: string;
  readonly events: readonly WebhookEventType[];
  readonly scope: WebhookScope;
  /** `whsec_…`: never answered after the PUT that generated it. */
  readonly secret: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export type DeliveryOutcome =
  | 'delivered'
  | 'http_error'
  | 'address_not_allowed'
  | 'dns_error'
  | 'connect_refused'
  | 'unreachable'
  | 'timeout'
  | 'tls_error'
  | 'connection_reset'
  | 'network_error';

/** One attempt to send one event to one subscription, as the delivery log shows it. */
export interface WebhookDeliveryEntry {
  readonly eventId: string;
  readonly eventType: WebhookEventType;
  readonly attempt: number;
  readonly at: string;
  readonly outcome: DeliveryOutcome;
  /** The receiver's HTTP status, when it answered. */
  readonly httpStatus: number | null;
  readonly durationMs: number;
  /** True on the last attempt that failed: no more retries for this event. */
  readonly exhausted: boolean;
}

/** The log keeps the latest entries per subscription, so a chatty subscription cannot grow Redis without bound. */
const deliveryLogLength = 200;
/** Event bodies and delivered markers outlive every retry schedule (8 attempts from 5 s is ~21 minutes). */
const eventTtlSeconds = 7 * 24 * 3600;

/** Key names under XBORDER_REDIS_PREFIX. */
const keysUnder = (prefix: string) => ({
  subscription: (id: string) => `${prefix}:webhook:${tail(id)}`,
  subscriptions: () => `${prefix}:index:webhook`,
  event: (id: string) => `${prefix}:webhook-event:${segment(id)}`,
  log: (subscriptionId: string) => `${prefix}:webhook-log:${tail(subscriptionId)}`,
  delivered: (subscriptionId: string, eventId: string) =>
    `${prefix}:webhook-done:${segment(eventId)}:${tail(subscriptionId)}`,
  once: (name: string) => `${prefix}:notify-once:${tail(name)}`,
  intents: () => `${prefix}:notify-intents`,
});

export interface WebhookStore {
  put(subscription: WebhookSubscription): Promise<void>;
  get(id: string): Promise<WebhookSubscription | null>;
  list(): Promise<WebhookSubscription[]>;
  remove(id: string): Promise<void>;
  /** Stores an event's body once (the first writer wins: a re-raised event keeps its first timestamp). */
  saveEvent(event: WebhookEvent): Promise<void>;
  getEvent(id: string): Promise<WebhookEvent | null>;
  logDelivery(subscriptionId: string, entry: WebhookDeliveryEntry): Promise<void>;
  deliveries(subscriptionId: string, limit: number): Promise<WebhookDeliveryEntry[]>;
  markDelivered(subscriptionId: string, eventId: string): Promise<void>;
  isDelivered(subscriptionId: string, eventId: string): Promise<boolean>;
  /** True the first time `name` is claimed; the marker lives `ttlSeconds` (a reminder's window). */
  claimOnce(name: string, ttlSeconds: number): Promise<boolean>;
  isClaimed(name: string): Promise<boolean>;
  /** A transition about to happen to `transferId`; answers the intent's handle for `clearIntent`. */
  addIntent(transferId: string, nonce: string, at: Date): Promise<string>;
  clearIntent(handle: string): Promise<void>;
  /** Intents older than `before`: their transfer's event may not have been raised (a crash in between). */
  staleIntents(before: Date, count: number): Promise<{ handle: string; transferId: string }[]>;
}

function decode<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

export function createWebhookStore(redis: Redis, prefix: string = defaultRedisPrefix): WebhookStore {
  const k = keysUnder(prefix);
  return {
    async put(subscription) {
      await redis
        .multi()
        .set(k.subscription(subscription.id), JSON.stringify(subscription))
        .zadd(k.subscriptions(), Date.parse(subscription.createdAt), subscription.id)
        .exec();
    },
    get: async (id) => decode<WebhookSubscription>(await redis.get(k.subscription(id))),
    async list() {
      const ids = await redis.zrange(k.subscriptions(), '0', '-1');
      if (ids.length === 0) return [];
      const texts = await redis.mget(ids.map(k.subscription));
      return texts.flatMap((t) => {
        const s = decode<WebhookSubscription>(t);
        return s === null ? [] : [s];
      });
    },
    async remove(id) {
      await redis.multi().del(k.subscription(id), k.log(id)).zrem(k.subscriptions(), id).exec();
    },
    async saveEvent(event) {
      await redis.set(k.event(event.id), JSON.stringify(event), 'EX', eventTtlSeconds, 'NX');
    },
    getEvent: async (id) => decode<WebhookEvent>(await redis.get(k.event(id))),
    async logDelivery(subscriptionId, entry) {
      await redis
        .multi()
        .lpush(k.log(subscriptionId), JSON.stringify(entry))
        .ltrim(k.log(subscriptionId), 0, deliveryLogLength - 1)
        .exec();
    },
    async deliveries(subscriptionId, limit) {
      const texts = await redis.lrange(k.log(subscriptionId), 0, Math.min(limit, deliveryLogLength) - 1);
      return texts.map((t) => JSON.parse(t) as WebhookDeliveryEntry);
    },
    async markDelivered(subscriptionId, eventId) {
      await redis.set(k.delivered(subscriptionId, eventId), '1', 'EX', eventTtlSeconds);
    },
    isDelivered: async (subscriptionId, eventId) =>
      (await redis.exists(k.delivered(subscriptionId, eventId))) === 1,
    claimOnce: async (name, ttlSeconds) =>
      (await redis.set(k.once(name), '1', 'EX', Math.max(1, Math.ceil(ttlSeconds)), 'NX')) === 'OK',
    isClaimed: async (name) => (await redis.exists(k.once(name))) === 1,
    async addIntent(transferId, nonce, at) {
      const handle = `${transferId}|${nonce}`;
      await redis.zadd(k.intents(), at.getTime(), handle);
      return handle;
    },
    async clearIntent(handle) {
      await redis.zrem(k.intents(), handle);
    },
    async staleIntents(before, count) {
      const handles = await redis.zrangebyscore(
        k.intents(),
        '-inf',
        String(before.getTime()),
        'LIMIT',
        0,
        count,
      );
      return handles.map((handle) => ({ handle, transferId: handle.split('|')[0] ?? '' }));
    },
  };
}
