// The pandas dtype names a suggested type rule uses for each of our column types, chosen so that Great Expectations
// (pandas) accepts the same data and data-gate checks the same thing. Pure function.
import type { ColumnProfile } from './column-profile.js';

export interface TypeRule {
  expectation: 'expect_column_values_to_be_of_type' | 'expect_column_values_to_be_in_type_list';
  kwargs: { type_: string } | { type_list: string[] };
  why: string;
}

/**
 * numerical whole numbers: int64 when complete; Int64 or float64 with gaps (pandas reads an integer CSV column
 * with gaps as float64, Parquet as nullable Int64). Other numbers: float64. boolean: bool when complete, bool or
 * nullable boolean with gaps. datetime: datetime64[ns] from Parquet timestamps, str from text files (read_csv keeps
 * dates as the strings written: an object column, whose values GX checks one by one). categorical and text: str
 * (pandas holds them in object columns; GX then checks each value's Python type).
 */
export function typeRule(profile: ColumnProfile, parquet = false): TypeRule {
  const complete = profile.present === profile.rows;
  const ofType = (type_: string, why: string): TypeRule => ({ expectation: 'expect_column_values_to_be_of_type', kwargs: { type_ }, why });
  const inList = (type_list: string[], why: string): TypeRule => ({
    expectation: 'expect_column_values_to_be_in_type_list',
    kwargs: { type_list },
    why,
  });
  switch (profile.type) {
    case 'numerical':
      if (!profile.wholeNumbers) return ofType('float64', 'values were numbers with fractions');
      return complete
        ? ofType('int64', 'every value was a whole number')
        : inList(['Int64', 'float64'], 'every value was a whole number, with gaps (pandas reads such a column as float64 or Int64)');
    case 'boolean':
      return complete
        ? ofType('bool', 'every value was true or false')
        : inList(['bool', 'boolean'], 'every value was true or false, with gaps');
    case 'datetime':
      return parquet
        ? ofType('datetime64[ns]', 'every value was a timestamp')
        : ofType('str', 'every value was an ISO 8601 date or timestamp, which pandas reads from a text file as a string');
    default:
      return ofType('str', `values were ${profile.type === 'text' ? 'free text' : 'category labels'}`);
  }
}
