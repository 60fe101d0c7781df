import { INITIAL_LINK_STATUS, nextLinkStatus } from './link-state';

describe('nextLinkStatus', () => {
  it('goes from unknown to online on the first good probe, reporting the transition', () => {
    const { status, transition } = nextLinkStatus(INITIAL_LINK_STATUS, { ok: true }, 't1');
    expect(status).toEqual({ state: 'online', since: 't1', lastCheckAt: 't1', lastError: null });
    expect(transition).toEqual({ from: 'unknown', to: 'online', at: 't1' });
  });

  it('goes offline on a failed probe and keeps the reason', () => {
    const online = nextLinkStatus(INITIAL_LINK_STATUS, { ok: true }, 't1').status;
    const { status, transition } = nextLinkStatus(online, { ok: false, error: 'refused' }, 't2');
    expect(status).toEqual({
      state: 'offline',
      since: 't2',
      lastCheckAt: 't2',
      lastError: 'refused',
    });
    expect(transition).toEqual({ from: 'online', to: 'offline', at: 't2' });
  });

  it('reports no transition while the state holds, but keeps `since` and updates the check time', () => {
    const offline = nextLinkStatus(INITIAL_LINK_STATUS, { ok: false, error: 'a' }, 't1').status;
    const { status, transition } = nextLinkStatus(offline, { ok: false, error: 'b' }, 't2');
    expect(transition).toBeNull();
    expect(status).toEqual({ state: 'offline', since: 't1', lastCheckAt: 't2', lastError: 'b' });
  });

  it('reports the return of the link (offline → online), which starts a flush', () => {
    const offline = nextLinkStatus(INITIAL_LINK_STATUS, { ok: false, error: 'a' }, 't1').status;
    expect(nextLinkStatus(offline, { ok: true }, 't2').transition).toEqual({
      from: 'offline',
      to: 'online',
      at: 't2',
    });
  });
});
