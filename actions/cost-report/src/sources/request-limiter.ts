// At most N GitHub requests in flight for the whole report, however many repositories and runs there are: GitHub
// asks integrations not to fan out (secondary rate limits), and Octokit's throttling and retry plugins then only
// ever see a few requests at a time to pace and repeat. Once a request has failed (a token without access to one
// repository of 500), the tasks not yet started fail with it instead of spending the rate limit on a lost report.

export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

export function requestLimiter(concurrency: number): Limiter {
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError(`concurrency must be a whole number >= 1, not ${concurrency}`);
  let active = 0;
  let failure: { error: unknown } | undefined;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    // A finished task hands its slot straight to the next waiter, so a newcomer can never slip in between.
    if (active >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      if (failure) throw failure.error;
      return await task();
    } catch (error) {
      failure ??= { error };
      throw error;
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}
