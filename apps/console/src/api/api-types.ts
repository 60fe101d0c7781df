import type { MasterSchemas } from '@offline-sync/api-client';

/** The API's shapes the console reads, as the master's OpenAPI document (openapi/master.json) says. */
export type Principal = MasterSchemas['PrincipalResponse'];
export type Role = Principal['role'];
export type Conflict = MasterSchemas['ConflictResponse'];
export type ConflictPage = MasterSchemas['ConflictPageResponse'];
export type BulkResolution = MasterSchemas['BulkResolveResponse'];
export type Strategy = MasterSchemas['ResolveConflictDto']['strategy'];
export type Ship = MasterSchemas['ShipResponse'];
export type DeadLetter = MasterSchemas['DeadLetterResponse'];
export type DeadLetterPage = MasterSchemas['DeadLetterPageResponse'];
export type ContentType = MasterSchemas['ContentTypeResponse'];
export type ContentDocument = MasterSchemas['ContentDocumentResponse'];
export type ContentPage = MasterSchemas['ContentPageResponse'];
export type Revision = MasterSchemas['RevisionResponse'];
export type RevisionPage = MasterSchemas['RevisionPageResponse'];

export interface ConflictQuery {
  status?: 'open' | 'resolved';
  type?: string;
  ship?: string;
  locale?: string;
  document?: string;
  olderThanMinutes?: number;
  page?: number;
  pageSize?: number;
}

export interface DeadLetterQuery {
  status?: DeadLetter['status'];
  page?: number;
  pageSize?: number;
}

export interface ShipQuery {
  status?: 'online' | 'offline';
  sort?: 'id' | 'last-seen' | 'queue-depth' | 'updates-behind';
  search?: string;
  page?: number;
  pageSize?: number;
}
