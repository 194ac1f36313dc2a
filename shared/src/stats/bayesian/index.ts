// Bayesian comparisons of rates for canary judges.
export {
  compareRates,
  posterior,
  probabilityGreater,
  expectedShortfall,
  type BetaPosterior,
  type RateComparison,
} from './beta-binomial.js';
