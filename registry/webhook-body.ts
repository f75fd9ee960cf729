// registry/webhook-body: the body of `PUT /v1/webhooks/:id` (api.md §11) — schema, type and parser for
// untrusted JSON. Pure: the URL's address rule and the secret's form are checked by the route.
import { Type, type Static } from '@sinclair/typebox';
import { createParser } from '../platform/schema.js';
import { webhookEventTypes } from './webhook-event.js';

export const WebhookBody = Type.Object(
  {
    url: Type.String({ pattern: '^https://[^\\s/?#]+(/[^\\s#]*)?$', maxLength: 2048 }),
    events: Type.Array(Type.Union(webhookEventTypes.map((t) => Type.Literal(t))), {
      minItems: 1,
      maxItems: webhookEventTypes.length,
      uniqueItems: true,
    }),
    secret: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type WebhookBody = Static<typeof WebhookBody>;

export const parseWebhookBody = createParser(WebhookBody);
