import type { Policy } from "../../schema/policy.ts";

/** What a new ticket from mail is filed as: the policy's email defaults, changed by the first subject rule that matches. */
export interface MailClassification {
  readonly issueType: string;
  readonly severity: string;
  /** Set only by a subject rule that names a priority (else the policy classifies). */
  readonly priority?: string;
}

/** The words of a text, lower case: runs of letters and digits (so "[C1]", "c1:" and "C1" are one word). */
function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Whether `phrase`'s words stand, in order and next to each other, among `words`. */
function containsPhrase(words: readonly string[], phrase: readonly string[]): boolean {
  if (phrase.length === 0) return false;
  for (let i = 0; i + phrase.length <= words.length; i++) {
    if (phrase.every((w, j) => words[i + j] === w)) return true;
  }
  return false;
}

/**
 * How the policy files a new ticket from a mail with this subject. Rule words are plain text,
 * matched as whole words, case-insensitively; the first rule with a matching word wins. A policy
 * without an email section files mail as its first issue type that is not refused and its last
 * (least urgent) severity, for staff to reclassify.
 */
export function classifyMail(policy: Policy, subject: string): MailClassification {
  const email = policy.email;
  const base = {
    issueType: email?.defaultIssueType ?? (policy.issueTypes.find((t) => t.refused === undefined) ?? policy.issueTypes[0])?.id ?? "",
    severity: email?.defaultSeverity ?? policy.severities[policy.severities.length - 1]?.id ?? "",
  };
  const words = wordsOf(subject.slice(0, 1000));
  const rule = email?.subjectRules.find((r) => r.words.some((w) => containsPhrase(words, wordsOf(w))));
  if (!rule) return base;
  return {
    issueType: rule.issueType ?? base.issueType,
    severity: rule.severity ?? base.severity,
    ...(rule.priority !== undefined ? { priority: rule.priority } : {}),
  };
}
