// The write probe's result as the journal stores it: writes attempted, acknowledged, failed, lost and refused.
export interface WriteProbeResult {
  attempted: number;
  /** Writes the server acknowledged (OK): each must still be there at the end. */
  acknowledged: number;
  /**
   * Writes that got an error or timed out: not acknowledged, so never counted as lost (they may or may not have
   * landed).
   */
  failed: number;
  /** Acknowledged writes whose value was gone or different at the end. */
  lost: number;
  /** Acknowledged writes that could not be read back (the read failed): neither lost nor kept. */
  unverified: number;
  /** The longest stretch in which writes failed: from the first failing write to the next one acknowledged, ms. */
  refusedMs: number;
  /** When that stretch began, ms since t = 0; null when no write failed. */
  refusedFromMs: number | null;
  /** Up to 20 lost keys, to look at by hand. */
  lostKeys: string[];
  /** The first error texts and how often each came. */
  errors: Record<string, number>;
}
