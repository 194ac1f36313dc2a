// Every expectation the rules parsers accept is one the engine evaluates, and the other way round: a suite that
// parses never reaches the pass with an expectation nobody judges.
import { EXPECTATIONS } from '../../../../actions/data-gate/src/rules/expectation-catalog.js';
import { EVALUATORS, columnsOf } from '../../../../actions/data-gate/src/expectations/registry.js';

describe('the expectation catalog and the evaluators', () => {
  test('name the same expectations', () => {
    expect(Object.keys(EVALUATORS).sort()).toEqual(EXPECTATIONS.map((e) => e.type).sort());
  });

  test('table expectations read no data columns; the others read the columns their kwargs name', () => {
    for (const spec of EXPECTATIONS) {
      const columns = columnsOf(spec.type, spec.example as Record<string, unknown>);
      if (spec.kind === 'table') expect(columns).toEqual([]);
      else expect(columns.length).toBeGreaterThan(0);
    }
  });
});
