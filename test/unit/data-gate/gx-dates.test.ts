// A format rule judges the text as written, and a freshness rule the timestamps, on one column of one rules file:
// GX on pandas reads a CSV's dates as the strings the file has (read_csv without parse_dates), so
// expect_column_values_to_match_strftime_format runs datetime.strptime on that text
// (metrics/column_map_metrics/column_values_match_strftime_format.py), while a declared datetime column serves
// expect_column_max_timestamp_to_be_recent.
import { csv, validate } from './gx-support.js';

describe('a rules file that declares date: datetime', () => {
  const data = csv('dates.csv', ['id,date', '1,2001-01-01 00:01:00', '2,2001-01-02 10:00:00', '3,2001-01-03T11:00:00', '4,']);

  it('keeps format rules on the text as written and freshness on the timestamps', async () => {
    const result = await validate(
      data,
      [
        {
          expectation: 'expect_column_values_to_match_strftime_format',
          column: 'date',
          strftime_format: '%Y-%m-%d %H:%M:%S',
          result_format: 'COMPLETE',
        },
        { expectation: 'expect_column_max_timestamp_to_be_recent', column: 'date', max_age: '2d', now: '2001-01-04T00:00:00Z' },
        { expectation: 'expect_column_max_to_be_between', column: 'date', min_value: '2001-01-01', max_value: '2001-01-31' },
      ],
      { columns: { date: 'datetime' } },
    );
    // Only the row written with a T breaks the format; values shown as the file has them.
    expect(result.results[0].result).toMatchObject({
      element_count: 4,
      missing_count: 1,
      unexpected_count: 1,
      unexpected_list: ['2001-01-03T11:00:00'],
    });
    expect(result.results[0].meta.failing_rows[0]).toMatchObject({ line: 4, values: { date: '2001-01-03T11:00:00' } });
    expect(result.results[1].success).toBe(true);
    expect(result.results[1].result.observed_value).toBe('2001-01-03T11:00:00.000Z');
    expect(result.results[2].success).toBe(true);
  });
});
