// Real brokers and databases take seconds to start and stop: give hooks and tests room.
jest.setTimeout(120_000);
