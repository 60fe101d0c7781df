import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OutboxMessage } from './entities/outbox-message.entity';

export interface OutboxSummary {
  pending: number;
  sent: number;
  /** Pending rows whose last send failed (attempts > 0). */
  failing: number;
  /** Rows that can never be sent, each with a dead letter saying why. */
  parked: number;
  byKind: Record<string, { pending: number; sent: number; parked: number }>;
}

export interface PendingPage {
  items: Array<Omit<OutboxMessage, 'payload'>>;
  page: number;
  pageSize: number;
  total: number;
}

/** The master outbox as operators see it (the seed's queue endpoints). */
@Injectable()
export class OutboxQueueService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async summary(): Promise<OutboxSummary> {
    const rows = await this.dataSource.query<
      Array<{ kind: string; status: string; n: number; failing: number }>
    >(
      `SELECT kind, status, count(*)::int AS n,
              count(*) FILTER (WHERE status = 'pending' AND attempts > 0)::int AS failing
         FROM outbox GROUP BY kind, status`,
    );
    const summary: OutboxSummary = { pending: 0, sent: 0, failing: 0, parked: 0, byKind: {} };
    for (const row of rows) {
      const kind = (summary.byKind[row.kind] ??= { pending: 0, sent: 0, parked: 0 });
      const status = row.status === 'pending' || row.status === 'parked' ? row.status : 'sent';
      summary[status] += row.n;
      kind[status] += row.n;
      summary.failing += row.failing;
    }
    return summary;
  }

  async pending(page: number, pageSize: number): Promise<PendingPage> {
    const [items, total] = await this.dataSource.getRepository(OutboxMessage).findAndCount({
      select: {
        id: true,
        kind: true,
        messageId: true,
        topic: true,
        key: true,
        status: true,
        attempts: true,
        lastError: true,
        createdAt: true,
        sentAt: true,
      },
      where: { status: 'pending' },
      order: { id: 'ASC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { items, page, pageSize, total };
  }
}
