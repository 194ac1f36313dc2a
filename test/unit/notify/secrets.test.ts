import { describe, expect, it } from '@jest/globals';
import { redact, redactCredentials, urlSecrets } from '#shared/notify/secrets.js';

describe('redact', () => {
  it('masks every occurrence of every secret, the longer one first', () => {
    expect(redact('token abc and abcdef and abc', ['abc', 'abcdef'])).toBe('token *** and *** and ***');
  });

  it('ignores empty secrets instead of masking between every character', () => {
    expect(redact('plain text', ['', 'zzz'])).toBe('plain text');
  });
});

describe('urlSecrets', () => {
  it("covers a webhook's path and a Pushgateway password, raw and percent-decoded", () => {
    const url = 'https://bot:p%40ss@hooks.example.com/services/T1/B2/secretPart?token=q';
    const secrets = urlSecrets(url);
    const leaked = `failed: ${url} /services/T1/B2/secretPart?token=q p@ss p%40ss`;
    const masked = redact(leaked, secrets);
    expect(masked).not.toMatch(/secretPart|p@ss|p%40ss|token=q/);
    expect(masked).toContain('failed: ***');
  });

  it('leaves a bare origin alone: a "/" path is no secret', () => {
    expect(urlSecrets('http://127.0.0.1:9091')).not.toContain('/');
  });
});

describe('credentials echoed by a server', () => {
  it('masks Basic and Bearer values whatever they are, keeping the scheme', () => {
    const echoed = 'bad request; you sent Authorization: Basic dXNlcjpzM2NyZXQ= and authorization: bearer ghp_abc123XYZ.';
    expect(redact(echoed, [])).toBe('bad request; you sent Authorization: Basic *** and authorization: bearer ***');
  });

  it('leaves ordinary words alone', () => {
    expect(redactCredentials('Basic checks passed; bearer of news')).toBe('Basic checks passed; bearer of news');
  });
});
