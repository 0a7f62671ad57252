import { Body, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { actorOf, Principal, Role, TenantScope } from '@app/core';
import { Allow, CurrentPrincipal, Scope } from '@app/identity';
import {
  ConnectorService, ConnectorTestView, ConnectorView, DirectorySync, DriftPage, EntryStateView, ReconciliationService, ReconciliationView,
} from '@app/provisioning';
import { DriftQueryDto, SaveConnectorDto } from './directory.dto';
import { BearerController } from '../common/controllers';

/** R-PROV the hospital's directory kept in step (docs/identity.md). */
@BearerController('directory', 'v1/directory')
export class DirectoryController {
  constructor(
    private readonly connectors: ConnectorService,
    private readonly sync: DirectorySync,
    private readonly reconciliation: ReconciliationService,
  ) {}

  @Get('connector') @Allow(Role.Dsi)
  @ApiOperation({ summary: 'The LDAP connector of the establishment (never the bind password); 404 DIRECTORY_NOT_CONFIGURED' })
  @ApiOkResponse({ type: ConnectorView })
  get(@Scope() scope: TenantScope): Promise<ConnectorView> {
    return this.connectors.get(scope);
  }

  @Put('connector') @Allow(Role.Dsi)
  @ApiOperation({ summary: 'Set the LDAP connector; the bind password is stored encrypted; audited without it' })
  @ApiOkResponse({ type: ConnectorView })
  save(@CurrentPrincipal() principal: Principal, @Scope() scope: TenantScope, @Body() body: SaveConnectorDto): Promise<ConnectorView> {
    return this.connectors.save(actorOf(principal), scope, body);
  }

  @Post('connector/test') @HttpCode(200) @Allow(Role.Dsi)
  @ApiOperation({ summary: 'Try the stored connector: connect (TLS), bind, base, groups; says what failed in plain words' })
  @ApiOkResponse({ type: ConnectorTestView })
  test(@Scope() scope: TenantScope): Promise<ConnectorTestView> {
    return this.connectors.test(scope);
  }

  @Get('accounts/:accountId') @Allow(Role.Dsi, Role.Rssi)
  @ApiOperation({ summary: 'The directory state of an account: in_step, pending, failed (with the directory\'s message) or none' })
  @ApiOkResponse({ type: EntryStateView })
  state(@Scope() scope: TenantScope, @Param('accountId', ParseUUIDPipe) accountId: string): Promise<EntryStateView> {
    return this.sync.stateOf(scope.tenantId, accountId);
  }

  @Post('reconcile') @HttpCode(200) @Allow(Role.Dsi, Role.Rssi)
  @ApiOperation({ summary: 'Compare the directory with Prestagate now (it also runs hourly); drift corrected when chosen' })
  @ApiOkResponse({ type: ReconciliationView })
  reconcile(@Scope() scope: TenantScope): Promise<ReconciliationView> {
    return this.reconciliation.run(scope);
  }

  @Get('drifts') @Allow(Role.Dsi, Role.Rssi)
  @ApiOperation({ summary: 'Drift found by reconciliation, newest first' })
  @ApiOkResponse({ type: DriftPage })
  drifts(@Scope() scope: TenantScope, @Query() q: DriftQueryDto): Promise<DriftPage> {
    return this.reconciliation.list(scope, q.open !== 'false', q);
  }
}
