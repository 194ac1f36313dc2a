// The step's outcome: fail-on decides, from the result alone, whether the step fails and why.
export type FailOn = 'never' | 'over-budget' | 'tag-policy' | 'any';

export interface FailOnFacts {
  overBudget: boolean;
  /** Budgets over or forecast over, as "team vision (forecast $1,234.00 of $1,000.00)". */
  overBudgetLines: string[];
  tagViolations: number;
}

export function failureReason(failOn: FailOn, facts: FailOnFacts): string | undefined {
  const budget = facts.overBudget ? `Over budget: ${facts.overBudgetLines.join('; ')} (fail-on is '${failOn}').` : undefined;
  const tags = facts.tagViolations > 0 ? `${facts.tagViolations} resource(s) miss required cost tags (fail-on is '${failOn}').` : undefined;
  switch (failOn) {
    case 'never':
      return undefined;
    case 'over-budget':
      return budget;
    case 'tag-policy':
      return tags;
    case 'any':
      return budget && tags ? `${budget} ${tags}` : (budget ?? tags);
  }
}
