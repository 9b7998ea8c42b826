import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './content-security-policy.js';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((directive) => {
      const [name = '', ...values] = directive.trim().split(/\s+/);
      return [name, values];
    }),
  );
}

describe('the content security policy', () => {
  it('allows scripts from the app’s origin only, no plugins, no <base>, no framing', () => {
    const policy = directives(contentSecurityPolicy(['https://api.example.test', 'wss://api.example.test']));
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    for (const values of policy.values()) {
      expect(values).not.toContain("'unsafe-inline'");
      expect(values).not.toContain("'unsafe-eval'");
    }
  });

  it('lets the app connect to itself and to the API over https and wss', () => {
    const policy = directives(contentSecurityPolicy(['https://api.example.test', 'wss://api.example.test']));
    expect(policy.get('connect-src')).toEqual(["'self'", 'https://api.example.test', 'wss://api.example.test']);
  });
});
