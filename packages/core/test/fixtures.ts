/** A complete, valid request as the public form sends it; tests change one thing at a time. */
export function validRequest(): Record<string, unknown> {
  return {
    requester: { role: 'self', fullName: '  Alex Example ' },
    contact: { email: 'Alex@Example.ORG' },
    goodFaith: { affirmed: true, statement: 'I never agreed to these photos being shared.' },
    signature: {
      fullName: 'Alex Example',
      signedAt: '2026-05-20T09:59:00Z',
      statement: 'I declare that the information in this request is accurate.',
    },
    items: [{ url: 'https://platform.example/p/123' }],
  };
}

export const NOW = new Date('2026-05-20T10:00:00Z');
