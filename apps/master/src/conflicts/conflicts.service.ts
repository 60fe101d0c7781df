import { ConflictException, HttpException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  DocumentTooLargeException,
  InputValidationException,
  changedFieldNames,
  findUnstorableText,
  formatRejectionReason,
  masterAuthor,
  oversizedDocumentBytes,
  type ApiPrincipal,
} from '@offline-sync/sync-core';
import { DataSource, LessThanOrEqual, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { MasterConfig } from '../core/config/master-config';
import type { DocumentRef } from '../documents/document-key';
import type { DocumentState } from '../documents/document-state';
import { DocumentStore } from '../documents/document-store';
import { VersionWriter } from '../documents/version-writer';
import { RecordedOutcomes } from '../ingest/recorded-outcomes';
import { OutboxRelay } from '../outbox/outbox-relay';
import { OutcomeSender } from '../outbox/outcome-sender';
import { conflictView, type ConflictView, type RestorationView } from './conflict.view';
import type { ConflictQueryDto } from './dto/conflict-query.dto';
import type { ResolveConflictDto } from './dto/resolve-conflict.dto';
import type { BulkResolveResult, ResolveConflictsDto } from './dto/resolve-conflicts.dto';
import { Conflict } from './entities/conflict.entity';

export interface ConflictPage {
  items: ConflictView[];
  page: number;
  pageSize: number;
  total: number;
  /** Every open and resolved conflict, whatever the filters. */
  counts: { open: number; resolved: number };
}

/** A conflict being resolved: what was decided, and the master version it becomes. */
interface Resolution {
  id: string;
  strategy: ResolveConflictDto['strategy'];
  conflict: Conflict;
  ref: DocumentRef;
  /** The document as it is now, locked (null: the master does not have it). */
  current: DocumentState | null;
  /** The side kept. */
  data: Record<string, unknown>;
  deleted: boolean;
  version: number;
  author: string;
  at: string;
}

@Injectable()
export class ConflictsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly documents: DocumentStore,
    private readonly versions: VersionWriter,
    private readonly recordedOutcomes: RecordedOutcomes,
    private readonly outcomes: OutcomeSender,
    private readonly relay: OutboxRelay,
    private readonly config: MasterConfig,
  ) {}

  async list(query: ConflictQueryDto): Promise<ConflictPage> {
    const where: FindOptionsWhere<Conflict> = {};
    if (query.status) where.status = query.status;
    if (query.ship) where.shipId = query.ship;
    if (query.type) where.type = query.type;
    if (query.locale !== undefined) where.locale = query.locale;
    if (query.document) where.documentId = query.document;
    if (query.olderThanMinutes !== undefined) {
      where.createdAt = LessThanOrEqual(new Date(Date.now() - query.olderThanMinutes * 60_000));
    }
    const [rows, total] = await this.dataSource.getRepository(Conflict).findAndCount({
      where,
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    });
    const counts = await this.dataSource.query<Array<{ status: string; n: number }>>(
      `SELECT status, count(*)::int AS n FROM conflicts GROUP BY status`,
    );
    const count = (status: string): number => counts.find((c) => c.status === status)?.n ?? 0;
    return {
      items: rows.map((row) => conflictView(row)),
      page: query.page,
      pageSize: query.pageSize,
      total,
      counts: { open: count('open'), resolved: count('resolved') },
    };
  }

  /**
   * While open, the master side is the document as it is now (what keep-master would keep, and
   * what a merge is made against); once resolved, the state it was decided against.
   */
  async get(id: string): Promise<ConflictView> {
    const conflict = await this.dataSource.getRepository(Conflict).findOneBy({ id });
    if (!conflict) throw new NotFoundException(`No conflict ${id}`);
    if (conflict.status === 'open') {
      const current = await this.documents.loadOne(this.dataSource.manager, {
        type: conflict.type,
        documentId: conflict.documentId,
        locale: conflict.locale,
      });
      if (current) {
        conflict.masterVersion = current.version;
        conflict.masterData = current.data;
        conflict.masterDeleted = current.deleted;
      }
    }
    return conflictView(conflict, true, await this.restorations(id));
  }

  /** Who put back which side of a conflict, as which version, oldest first. */
  private async restorations(id: string): Promise<RestorationView[]> {
    const rows = await this.dataSource.query<
      Array<{ side: 'ship' | 'master'; version: number; restored_by: string; restored_at: Date }>
    >(
      `SELECT side, version, restored_by, restored_at FROM conflict_restorations
        WHERE conflict_id = $1 ORDER BY id`,
      [id],
    );
    return rows.map((r) => ({
      side: r.side,
      version: r.version,
      by: r.restored_by,
      at: r.restored_at.toISOString(),
    }));
  }

  /**
   * Resolves several conflicts the same way, each on its own (one refused does not stop the
   * others), answering per conflict the status its single request would have had.
   */
  async resolveMany(dto: ResolveConflictsDto, principal: ApiPrincipal): Promise<BulkResolveResult> {
    const results: BulkResolveResult['results'] = [];
    for (const id of [...new Set(dto.ids)]) {
      try {
        await this.resolve(id, { strategy: dto.strategy }, principal);
        results.push({ id, status: 200 });
      } catch (error) {
        if (!(error instanceof HttpException)) throw error;
        results.push({ id, status: error.getStatus(), message: error.message });
      }
    }
    return { results };
  }

  /**
   * Puts back one side of a resolved conflict (the one that lost, or either after a merge) as a
   * new master version by `master:<operator>`, broadcast like any other and recorded with the
   * conflict: the losing value is never lost, and who restored it when stays on record.
   */
  async restore(
    id: string,
    side: 'ship' | 'master',
    principal: ApiPrincipal,
  ): Promise<ConflictView> {
    await this.dataSource.transaction(async (manager) => {
      const found = await manager.getRepository(Conflict).findOneBy({ id });
      if (!found) throw new NotFoundException(`No conflict ${id}`);
      if (found.status !== 'resolved') {
        throw new ConflictException(`Conflict ${id} is open: resolve it instead`);
      }
      const ref = { type: found.type, documentId: found.documentId, locale: found.locale };
      const current = await this.documents.lockAndLoadOne(manager, ref);
      const deleted = side === 'ship' ? found.shipDeleted : found.masterDeleted;
      const data = side === 'ship' ? found.shipData : found.masterData;
      const currentData = current && !current.deleted ? current.data : {};
      const version = (current?.version ?? 0) + 1;
      await this.versions.write(manager, [
        {
          ...ref,
          version,
          deleted,
          data: deleted ? currentData : data,
          author: masterAuthor(principal.name),
          changedFields: deleted ? [] : changedFieldNames(currentData, data),
          at: new Date().toISOString(),
        },
      ]);
      await manager.query(
        `INSERT INTO conflict_restorations (conflict_id, side, version, restored_by)
         VALUES ($1, $2, $3, $4)`,
        [id, side, version, masterAuthor(principal.name)],
      );
    });
    this.relay.kick();
    return this.get(id);
  }

  /**
   * Settles a conflict as a new master version by `master:<operator>`, broadcast like any other,
   * and tells the ship the final outcome of the change(s) it held, so its copy converges and the
   * change never comes back as a conflict. A second resolution answers 409.
   */
  async resolve(
    id: string,
    dto: ResolveConflictDto,
    principal: ApiPrincipal,
  ): Promise<ConflictView> {
    const view = await this.dataSource.transaction(async (manager) => {
      const resolution = await this.decide(manager, id, dto, principal);
      await this.writeResolution(manager, resolution);
      await this.settleShipChanges(manager, resolution);
      const resolved = await manager.getRepository(Conflict).findOneByOrFail({ id });
      return conflictView(resolved, true, []);
    });
    this.relay.kick();
    return view;
  }

  /** Locks the open conflict and its document, and decides and checks the side kept. */
  private async decide(
    manager: EntityManager,
    id: string,
    dto: ResolveConflictDto,
    principal: ApiPrincipal,
  ): Promise<Resolution> {
    const { conflict, ref, current } = await this.lockOpen(manager, id);
    const kept = keptSide(dto, conflict, current);
    if (!kept.deleted) this.checkKept(dto.strategy, conflict.type, kept.data);
    return {
      id,
      strategy: dto.strategy,
      conflict,
      ref,
      current,
      data: kept.data,
      deleted: kept.deleted,
      version: (current?.version ?? 0) + 1,
      author: masterAuthor(principal.name),
      at: new Date().toISOString(),
    };
  }

  /**
   * The document lock first, as the ingest takes it, so the two never deadlock; then the
   * conflict row, re-read under its lock so a concurrent resolution is seen.
   */
  private async lockOpen(
    manager: EntityManager,
    id: string,
  ): Promise<{ conflict: Conflict; ref: DocumentRef; current: DocumentState | null }> {
    const found = await manager.getRepository(Conflict).findOneBy({ id });
    if (!found) throw new NotFoundException(`No conflict ${id}`);
    const ref = { type: found.type, documentId: found.documentId, locale: found.locale };
    const current = await this.documents.lockAndLoadOne(manager, ref);
    const conflict = await manager
      .getRepository(Conflict)
      .findOneOrFail({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (conflict.status !== 'open') {
      throw new ConflictException(
        `Conflict ${id} was already resolved (${conflict.resolution ?? 'unknown'} by ${conflict.resolvedBy ?? 'unknown'})`,
      );
    }
    return { conflict, ref, current };
  }

  /** Refuses kept data its content type or the size cap refuses, naming the field as sent. */
  private checkKept(
    strategy: ResolveConflictDto['strategy'],
    type: string,
    data: Record<string, unknown>,
  ): void {
    // keep-ship's data is the ship's side as the conflict kept it; keep-master's is the current.
    const prefix = strategy === 'merge' ? 'mergeData' : 'shipData';
    const oversized = strategy === 'keep-master' ? null : oversizedDocumentBytes(data);
    if (oversized !== null) throw new DocumentTooLargeException(prefix, oversized);
    const errors = this.config.contentTypes.validate(type, data);
    const unstorable = findUnstorableText(data);
    if (unstorable) errors.push(unstorable);
    if (errors.length > 0) {
      throw new InputValidationException(
        errors.map((e) => ({ field: e.field.replace(/^data/, prefix), reason: e.reason })),
      );
    }
  }

  /** The side kept as the document's new master version, and the conflict marked resolved. */
  private async writeResolution(manager: EntityManager, resolution: Resolution): Promise<void> {
    const { id, strategy, conflict, ref, current, data, deleted, version, author, at } = resolution;
    const currentData = current && !current.deleted ? current.data : {};
    await this.versions.write(manager, [
      {
        ...ref,
        version,
        deleted,
        data,
        author,
        changedFields: deleted ? [] : changedFieldNames(currentData, data),
        ...(strategy === 'keep-master'
          ? {}
          : { origin: { shipId: conflict.shipId, changeId: conflict.changeId } }),
        at,
      },
    ]);
    await manager.query(
      `UPDATE conflicts SET status = 'resolved', resolution = $2, resolved_data = $3,
         resolved_version = $4, resolved_by = $5, resolved_at = $6, updated_at = now()
       WHERE id = $1`,
      [id, strategy, deleted ? null : JSON.stringify(data), version, author, at],
    );
  }

  /** The ship's change(s) held by the conflict get their final outcome, queued for the ship. */
  private async settleShipChanges(manager: EntityManager, resolution: Resolution): Promise<void> {
    const { id, strategy, conflict, version, author } = resolution;
    const superseded = formatRejectionReason(
      'superseded',
      `conflict ${id} resolved keep-master by ${author}`,
    );
    const outcomes = await this.recordedOutcomes.settleConflict(manager, id, {
      status: strategy === 'keep-master' ? 'rejected' : 'applied',
      version,
      reason: strategy === 'keep-master' ? superseded : null,
    });
    if (outcomes.length > 0) {
      await this.outcomes.queue(manager, new Map([[conflict.shipId, outcomes]]));
    }
  }
}

/** The side a strategy keeps: the data and deletion the new master version holds. */
function keptSide(
  dto: ResolveConflictDto,
  conflict: Conflict,
  current: DocumentState | null,
): { data: Record<string, unknown>; deleted: boolean } {
  if (dto.strategy === 'keep-ship') {
    const deleted = conflict.shipDeleted;
    return { deleted, data: deleted ? (current?.data ?? {}) : conflict.shipData };
  }
  if (dto.strategy === 'keep-master') {
    return { deleted: current?.deleted ?? true, data: current?.data ?? {} };
  }
  if (dto.mergeData === undefined) {
    throw new InputValidationException([
      { field: 'mergeData', reason: "is required when strategy is 'merge'" },
    ]);
  }
  return { deleted: false, data: dto.mergeData };
}
