// One report currency: costs in another currency are converted at the rate the user gives, or refused.
import { DataError, type FileLocation } from '#shared/errors.js';
import { multiplyRate, type DecimalRate } from '../money/money.js';

export class CurrencyPolicy {
  constructor(
    /** The report's currency; undefined until the first cost line sets it (when the rates file names none). */
    public currency: string | undefined,
    /** Units of the report currency per unit of each other currency. */
    readonly rates: Map<string, DecimalRate>,
  ) {}

  /** The amount in the report's currency; throws with the line's location when no rate is given. */
  convert(pico: bigint, currency: string, location: FileLocation | undefined): bigint {
    this.currency ??= currency;
    if (currency === this.currency) return pico;
    const rate = this.rates.get(currency);
    if (!rate)
      throw new DataError(
        `mixed currencies: this line is in ${currency}, the report in ${this.currency}. Costs are never added across currencies without a rate: give one in the rates file (currency: ${this.currency}, exchange-rates: { ${currency}: <${this.currency} per ${currency}> })`,
        location ?? { file: 'input' },
      );
    return multiplyRate(pico, rate);
  }
}
