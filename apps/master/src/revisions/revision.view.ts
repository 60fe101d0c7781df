/** One version of a (document, locale) as the API shows it: the edit log, oldest first. */
export interface RevisionView {
  version: number;
  /** `ship:<id>` or `master:<user>`. */
  author: string;
  changedFields: string[];
  deleted: boolean;
  /** The document's data as of this version. */
  data: Record<string, unknown>;
  /**
   * The ship change this version carries out (an applied change, or the change a keep-ship or
   * merge resolution settled); null for the master's own edits and keep-master resolutions.
   */
  changeId: string | null;
  at: string;
}

export interface RevisionPage {
  items: RevisionView[];
  page: number;
  pageSize: number;
  total: number;
}
