/** What the master knows of when a ship's envelope was made and sent, on the ship's clock. */
export interface ShipClockReadings {
  /** The envelope's timestamp: when the ship sealed it. */
  sealedAt: string;
  /** The Kafka message time the ship set when it sent the envelope (ms), when known. */
  sentAtMs?: number;
  /**
   * How far the ship's clock ran ahead of the master's by its recent heartbeats (ms), when known:
   * a lower bound of its lead too, but read on messages sent while its link was up, so it is not
   * cut short by an envelope whose send waited out an outage.
   */
  heartbeatLeadMs?: number;
}

/**
 * When a ship's edit happened, as far as the master can tell (docs/protocol.md, "Guarantees").
 * Edit times come from the ship's clock and only ever inform last-write-wins and the edit log;
 * they never decide what versions decide. Bounds keep a wrong clock from winning:
 * - an edit is never later than the envelope that carries it was sealed (same clock);
 * - a ship's clock read at sealing or sending that is "in the future" on arrival runs ahead by at
 *   least that much, and so does one its recent heartbeats showed ahead (all lower bounds of its
 *   lead; an envelope may wait long after sealing, or its send wait out an outage): its edit times
 *   move back by the largest;
 * - whatever is left is clamped to the arrival time plus the tolerance.
 */
export function effectiveEditedAt(
  editedAt: string,
  readings: ShipClockReadings,
  receivedAtMs: number,
  toleranceMs: number,
): string {
  const edited = Date.parse(editedAt);
  if (Number.isNaN(edited)) return editedAt;
  const sealed = Date.parse(readings.sealedAt);
  let effective = Number.isNaN(sealed) ? edited : Math.min(edited, sealed);
  const leads = [sealed, readings.sentAtMs ?? Number.NaN]
    .filter((reading) => Number.isFinite(reading))
    .map((reading) => reading - receivedAtMs);
  if (readings.heartbeatLeadMs !== undefined && Number.isFinite(readings.heartbeatLeadMs)) {
    leads.push(readings.heartbeatLeadMs);
  }
  const lead = Math.max(0, ...leads);
  if (lead > toleranceMs) effective -= lead;
  effective = Math.min(effective, receivedAtMs + toleranceMs);
  return effective === edited ? editedAt : new Date(effective).toISOString();
}
