/** What the ship knows about its link to the broker. */
export type LinkState = 'unknown' | 'online' | 'offline';

export interface LinkStatus {
  state: LinkState;
  /** When the current state was entered (null while unknown). */
  since: string | null;
  lastCheckAt: string | null;
  /** Why the last check failed, while offline. */
  lastError: string | null;
}

export interface LinkTransition {
  from: LinkState;
  to: Exclude<LinkState, 'unknown'>;
  at: string;
}

export type ProbeResult = { ok: true } | { ok: false; error: string };

export const INITIAL_LINK_STATUS: LinkStatus = {
  state: 'unknown',
  since: null,
  lastCheckAt: null,
  lastError: null,
};

/** The status after one probe, and the transition it made (null when the state did not change). */
export function nextLinkStatus(
  previous: LinkStatus,
  probe: ProbeResult,
  at: string,
): { status: LinkStatus; transition: LinkTransition | null } {
  const state = probe.ok ? 'online' : 'offline';
  const changed = state !== previous.state;
  return {
    status: {
      state,
      since: changed ? at : previous.since,
      lastCheckAt: at,
      lastError: probe.ok ? null : probe.error,
    },
    transition: changed ? { from: previous.state, to: state, at } : null,
  };
}
