import { RECORD_OVERHEAD_BYTES, planRequests, requestBytes } from './request-plan';

describe('planRequests', () => {
  it.each([
    ['nothing', [], 10, { parked: [], requests: [] }],
    ['all in one request', [3, 3, 4], 10, { parked: [], requests: [[0, 1, 2]] }],
    [
      'a new request where the next would overflow',
      [6, 4, 1, 9],
      10,
      {
        parked: [],
        requests: [
          [0, 1],
          [2, 3],
        ],
      },
    ],
    [
      'one exactly at the limit goes alone',
      [2, 10, 2],
      10,
      {
        parked: [],
        requests: [[0], [1], [2]],
      },
    ],
    [
      'one over the limit is parked, the rest go in order',
      [4, 11, 5, 3],
      10,
      {
        parked: [1],
        requests: [[0, 2], [3]],
      },
    ],
    ['every one over the limit', [11, 12], 10, { parked: [0, 1], requests: [] }],
    ['parked at the end', [5, 50], 10, { parked: [1], requests: [[0]] }],
  ])('%s', (_name, sizes, max, expected) => {
    expect(planRequests(sizes, max)).toEqual(expected);
  });

  it.each([
    ['under both limits: grouped by the request limit', [3, 3, 3], 6, 10, [[0, 1], [2]]],
    ['over the request limit only: sent alone', [2, 8, 2], 6, 10, [[0], [1], [2]]],
    ['over the park limit: parked', [2, 11, 2], 6, 10, [[0, 2]]],
  ])('with smaller requests than the park limit, %s', (_name, sizes, max, park, requests) => {
    expect(planRequests(sizes, max, park).requests).toEqual(requests);
  });
});

describe('requestBytes', () => {
  it('counts key and value in UTF-8 bytes, plus the record around them', () => {
    expect(requestBytes('k', '{"a":"€"}')).toBe(1 + 11 + RECORD_OVERHEAD_BYTES);
  });
});
