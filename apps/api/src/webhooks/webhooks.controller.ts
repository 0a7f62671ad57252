import { Body, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { actorOf, PageQuery, Principal, Role, TenantScope } from '@app/core';
import { Allow, CurrentPrincipal, Scope } from '@app/identity';
import { CreatedWebhookView, RotatedWebhookView, WebhookDeliveryPage, WebhookPage, WebhooksService } from '@app/notifications';
import { CreateWebhookDto, RotateSecretDto } from './webhooks.dto';
import { BearerController } from '../common/controllers';

/** What a receiver needs to know about a rotation (docs/guide.md "Webhooks", docs/operations.md "Key rotation"). */
const ROTATION = `During the grace period (\`gracePeriodHours\`: 24 by default, 0 to 168; 0 when the old secret leaked)
each delivery carries two comma-separated values in X-Prestagate-Signature, \`sha256=<with the new secret>,sha256=<with the
replaced one>\`, and afterwards only the new one: a receiver accepts a delivery when any value matches the secret it holds.
Rotating again within a grace period drops the oldest secret at once. Audited (\`webhook.secret_rotated\`, without any
secret). 409 WEBHOOK_REVOKED for a revoked webhook.`.replace(/\n/g, ' ');

/** R-NOT: downstream systems (IAM, SIEM, bastion) told of events, managed by the DSI. See docs/guide.md "Webhooks". */
@BearerController('webhooks', 'v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post() @Allow(Role.Dsi)
  @ApiOperation({
    summary: 'Subscribe a URL to events',
    description: 'Each event is POSTed as JSON `{id, event, occurredAt, tenantId, data}` with the headers X-Prestagate-Event, '
      + 'X-Prestagate-Delivery (the `id`, the same on every retry), X-Prestagate-Timestamp (unix seconds) and '
      + 'X-Prestagate-Signature: `sha256=` + hex HMAC-SHA256 of `<timestamp>.<raw body>` keyed with the secret. '
      + 'Any answer but a 2xx within 10 s is retried with exponential backoff. The secret is in this answer only.',
  })
  @ApiCreatedResponse({ type: CreatedWebhookView })
  create(
    @CurrentPrincipal() principal: Principal, @Scope() scope: TenantScope, @Body() body: CreateWebhookDto,
  ): Promise<CreatedWebhookView> {
    return this.webhooks.create(actorOf(principal), scope, body.url, body.events);
  }

  @Get() @Allow(Role.Dsi, Role.Rssi) @ApiOkResponse({ type: WebhookPage })
  list(@Scope() scope: TenantScope, @Query() q: PageQuery): Promise<WebhookPage> {
    return this.webhooks.list(scope, q);
  }

  @Delete(':id') @HttpCode(204) @Allow(Role.Dsi)
  @ApiOperation({ summary: 'Revoke a webhook: nothing more is delivered to it, including retries still pending' })
  @ApiNoContentResponse()
  async revoke(
    @CurrentPrincipal() principal: Principal, @Scope() scope: TenantScope, @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    await this.webhooks.revoke(actorOf(principal), scope, id);
  }

  @Post(':id/rotate-secret') @HttpCode(200) @Allow(Role.Dsi)
  @ApiOperation({ summary: 'Replace the signing secret; the new one is in this answer only', description: ROTATION })
  @ApiOkResponse({ type: RotatedWebhookView })
  rotateSecret(
    @CurrentPrincipal() principal: Principal, @Scope() scope: TenantScope, @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RotateSecretDto,
  ): Promise<RotatedWebhookView> {
    return this.webhooks.rotateSecret(actorOf(principal), scope, id, body.gracePeriodHours);
  }

  @Get(':id/deliveries') @Allow(Role.Dsi)
  @ApiOperation({ summary: 'The delivery log of a webhook, newest attempt first (failed attempts and successes)' })
  @ApiOkResponse({ type: WebhookDeliveryPage })
  deliveries(@Scope() scope: TenantScope, @Param('id', ParseUUIDPipe) id: string, @Query() q: PageQuery): Promise<WebhookDeliveryPage> {
    return this.webhooks.deliveries(scope, id, q);
  }
}
