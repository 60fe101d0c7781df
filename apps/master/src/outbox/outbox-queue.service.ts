import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OutboxMessage } from './entities/outbox-message.entity';

export interface OutboxSummary {
  pending: number;
  sent: number;
  /** Pending rows whose last send failed (attempts > 0). */
  failing: number;
  byKind: Record<string, { pending: number; sent: number }>;
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
    const summary: OutboxSummary = { pending: 0, sent: 0, failing: 0, byKind: {} };
    for (const row of rows) {
      const kind = (summary.byKind[row.kind] ??= { pending: 0, sent: 0 });
      if (row.status === 'pending') {
        summary.pending += row.n;
        kind.pending += row.n;
      } else {
        summary.sent += row.n;
        kind.sent += row.n;
      }
      summary.failing += row.failing;
    }
    return summary;
  }

  async pending(page: number, pageSize: number): Promise<PendingPage> {
    const [items, total] = await this.dataSource.getRepository(OutboxMessage).findAndCount({
      select: [
        'id',
        'kind',
        'messageId',
        'topic',
        'key',
        'status',
        'attempts',
        'lastError',
        'createdAt',
        'sentAt',
      ],
      where: { status: 'pending' },
      order: { id: 'ASC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { items, page, pageSize, total };
  }
}
