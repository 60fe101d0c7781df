// A fleet scenario waits for real processes to converge over real links: give it room.
jest.setTimeout(300_000);
