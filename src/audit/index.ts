// Re-exports the read-only audit: running it, its client and allowlist, and the text renderer.
export { runAudit, auditDefaults } from './run-audit.ts';
export type { AuditOptions } from './run-audit.ts';
export { connectReadOnly, redactUrl } from './read-only-client.ts';
export type { ReadOnlyClient } from './read-only-client.ts';
export { readOnlyAllowlist, refusalFor } from './read-only-allowlist.ts';
export { formatAuditText } from './format-audit-text.ts';
export type { AuditReport, PrefixReport, ServerFacts, Spread, Risk } from './audit-types.ts';
