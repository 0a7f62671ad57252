import { Injectable } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { daysBetween, NotFoundError, UserPrincipal } from '@app/core';
import { TenantCalendar } from '@app/identity';
import { ReviewReportsRepository } from './review-reports.repository';

/** How many rows each short list of the dashboard shows; the counts are always complete. */
export const DASHBOARD_LIST_SIZE = 20;

export class DashboardCampaign {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) contractorId: string;
  @ApiProperty() contractor: string;
  @ApiProperty({ format: 'date' }) dueOn: string;
  @ApiProperty({ description: 'Days past the due date (0 when not overdue)' }) daysLate: number;
  @ApiProperty({ description: 'Items without a decision yet' }) undecided: number;
  @ApiProperty({ description: 'Unattested accounts already suspended (or deactivated) by the silence rule' }) silenced: boolean;
}

export class DashboardSuspension {
  @ApiProperty({ format: 'uuid' }) accountId: string;
  @ApiProperty() person: string;
  @ApiProperty() email: string;
  @ApiProperty() contractor: string;
  @ApiProperty() suspendedAt: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String,
    description: 'The campaign in progress that lists the account' }) campaignId: string | null;
}

class CampaignList {
  @ApiProperty() count: number;
  @ApiProperty({ type: [DashboardCampaign] }) items: DashboardCampaign[];
}

class SuspensionList {
  @ApiProperty() count: number;
  @ApiProperty({ type: [DashboardSuspension] }) items: DashboardSuspension[];
}

class CampaignsByStatus {
  @ApiProperty() open: number;
  @ApiProperty() submitted: number;
  @ApiProperty() certified: number;
}

export class ReviewDashboardView {
  @ApiProperty({ format: 'date', description: "The tenant's local day the figures are computed for" }) today: string;
  @ApiProperty({ type: CampaignsByStatus }) campaignsByStatus: CampaignsByStatus;
  @ApiProperty({ type: CampaignList, description: 'Open and past their due date, oldest first' }) overdue: CampaignList;
  @ApiProperty({ type: CampaignList, description: 'Submitted by the contractor, waiting for the RSSI to certify' }) toCertify: CampaignList;
  @ApiProperty({ type: SuspensionList,
    description: "Accounts currently suspended because nobody attested them (suspension kind 'review')" })
  suspendedForReview: SuspensionList;
}

/** R-ART34: the RSSI's view of the tenant's reviews: where campaigns stand, what is late, who lost access through silence. */
@Injectable()
export class ReviewDashboard {
  constructor(
    private readonly repo: ReviewReportsRepository,
    private readonly calendar: TenantCalendar,
  ) {}

  async of(principal: UserPrincipal): Promise<ReviewDashboardView> {
    const tenantId = principal.tenantId;
    if (!tenantId) throw new NotFoundError('Tenant');
    const today = await this.calendar.today(tenantId);
    const campaigns = async (which: 'overdue' | 'to_certify'): Promise<CampaignList> => {
      const rows = await this.repo.campaignsIn({ tenantId }, which, today, DASHBOARD_LIST_SIZE);
      return {
        count: rows[0]?.total ?? 0,
        items: rows.map((r) => ({
          id: r.id, contractorId: r.contractorId, contractor: r.contractor, dueOn: r.dueOn, daysLate: Math.max(daysBetween(r.dueOn, today),
            0),
          undecided: r.undecided, silenced: r.overdueSuspendedAt !== null,
        })),
      };
    };
    const suspended = await this.repo.suspendedForReview({ tenantId }, DASHBOARD_LIST_SIZE);
    return {
      today,
      campaignsByStatus: await this.repo.statusCounts({ tenantId }),
      overdue: await campaigns('overdue'),
      toCertify: await campaigns('to_certify'),
      suspendedForReview: {
        count: suspended[0]?.total ?? 0,
        items: suspended.map((s) => ({
          accountId: s.accountId, person: `${s.firstName} ${s.lastName}`, email: s.email, contractor: s.contractor,
          suspendedAt: s.suspendedAt.toISOString(), campaignId: s.campaignId,
        })),
      },
    };
  }
}
