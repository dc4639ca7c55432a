import type { SettingsReader } from './settings-reader.ts';

/** Settings of the exchange between deployments (docs/exchange.md): following feeds and serving this one. */
export interface ExchangeConfig {
  /** Entries asked for per page of a followed feed. */
  pageSize: number;
  /** How long a followed source may hold a request open while nothing is new (long poll). */
  waitMs: number;
  /** How long a request to a source may take beyond that hold before it counts as failed. */
  timeoutMs: number;
  /** Pause after the first failure, doubling with each further one up to `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How often the follower looks for sources followed or unfollowed meanwhile (by `takedown exchange`). */
  sourcesEveryMs: number;
  /** How often reviewers' verdicts waiting for a source are looked for and sent. */
  feedbackEveryMs: number;
  /** Records asked for per StopNCII FetchHashes page. */
  stopNciiPageSize: number;
  /** StopNCII holds no request open: how long to wait after a fetch is played out before asking again. */
  stopNciiPollMs: number;
}

export const DEFAULT_EXCHANGE_CONFIG: ExchangeConfig = {
  pageSize: 5_000,
  waitMs: 25_000,
  timeoutMs: 15_000,
  retryBaseMs: 1_000,
  retryMaxMs: 60_000,
  sourcesEveryMs: 2_000,
  feedbackEveryMs: 1_000,
  // python-threatexchange's StopNCII client asks for 800 records a page.
  stopNciiPageSize: 800,
  stopNciiPollMs: 60_000,
};

/** Reads TAKEDOWN_EXCHANGE_* over the defaults; problems go to `read`. */
export function readExchangeConfig(read: SettingsReader): ExchangeConfig {
  const d = DEFAULT_EXCHANGE_CONFIG;
  const ms = 'milliseconds';
  const config: ExchangeConfig = {
    pageSize: read.wholeNumber('TAKEDOWN_EXCHANGE_PAGE_SIZE', d.pageSize, { min: 1, max: 20_000, unit: 'entries' }),
    waitMs: read.wholeNumber('TAKEDOWN_EXCHANGE_WAIT_MS', d.waitMs, { max: 30_000, unit: ms }),
    timeoutMs: read.wholeNumber('TAKEDOWN_EXCHANGE_TIMEOUT_MS', d.timeoutMs, { min: 1, unit: ms }),
    retryBaseMs: read.wholeNumber('TAKEDOWN_EXCHANGE_RETRY_BASE_MS', d.retryBaseMs, { min: 1, unit: ms }),
    retryMaxMs: read.wholeNumber('TAKEDOWN_EXCHANGE_RETRY_MAX_MS', d.retryMaxMs, { min: 1, unit: ms }),
    sourcesEveryMs: read.wholeNumber('TAKEDOWN_EXCHANGE_SOURCES_MS', d.sourcesEveryMs, { min: 1, unit: ms }),
    feedbackEveryMs: read.wholeNumber('TAKEDOWN_EXCHANGE_FEEDBACK_MS', d.feedbackEveryMs, { min: 1, unit: ms }),
    stopNciiPageSize: read.wholeNumber('TAKEDOWN_STOPNCII_PAGE_SIZE', d.stopNciiPageSize, { min: 1, max: 10_000, unit: 'records' }),
    stopNciiPollMs: read.wholeNumber('TAKEDOWN_STOPNCII_POLL_MS', d.stopNciiPollMs, { min: 1, unit: ms }),
  };
  if (config.retryBaseMs > config.retryMaxMs) {
    read.problem('TAKEDOWN_EXCHANGE_RETRY_BASE_MS', `TAKEDOWN_EXCHANGE_RETRY_BASE_MS (${config.retryBaseMs}) must not be larger than TAKEDOWN_EXCHANGE_RETRY_MAX_MS (${config.retryMaxMs}): lower the first or raise the second.`);
  }
  return config;
}
