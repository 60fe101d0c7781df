/**
 * When a ship's edit happened, as far as the master can tell (docs/protocol.md, "Versions, not
 * clocks"). Edit times come from the ship's clock and only ever inform last-write-wins and the
 * edit log; they never decide what versions decide. Two bounds keep a wrong clock from winning:
 * - an edit is never later than the envelope that carries it was sealed (same clock);
 * - an envelope sealed "in the future" by more than the tolerance shows the ship's clock runs
 *   ahead by at least that much: its edit times move back by the same amount.
 * Whatever is left is clamped to the receipt time plus the tolerance.
 */
export function effectiveEditedAt(
  editedAt: string,
  sentAt: string,
  receivedAtMs: number,
  toleranceMs: number,
): string {
  const edited = Date.parse(editedAt);
  if (Number.isNaN(edited)) return editedAt;
  const sent = Date.parse(sentAt);
  let effective = Number.isNaN(sent) ? edited : Math.min(edited, sent);
  const ahead = Number.isNaN(sent) ? 0 : sent - receivedAtMs;
  if (ahead > toleranceMs) effective -= ahead;
  effective = Math.min(effective, receivedAtMs + toleranceMs);
  return effective === edited ? editedAt : new Date(effective).toISOString();
}
