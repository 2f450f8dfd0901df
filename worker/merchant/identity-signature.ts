import { hmacHex, randomToken, timingSafeEqual } from "../infra/crypto.ts";

/** How long the secret before a rotation is still accepted, so pages signed with it keep working. */
export const IDENTITY_GRACE_MS = 24 * 3_600_000;

/** The site's identity secrets a signature is checked against. */
export interface IdentitySecrets {
  readonly identitySecret: string;
  /** The secret before the last rotation, accepted until `until`. */
  readonly previousIdentity?: { readonly secret: string; readonly until: number } | undefined;
}

/**
 * The signature of a customer identity: the hex (lower case) HMAC-SHA256 of the account id's UTF-8
 * bytes, keyed by the identity secret's UTF-8 bytes. The examples below (identityExamples) compute
 * exactly this.
 */
export function identitySignature(secret: string, accountId: string): Promise<string> {
  return hmacHex(secret, accountId);
}

/** Whether `signature` signs `accountId` under the current secret, or the previous one within its grace period. */
export async function signatureMatches(site: IdentitySecrets, accountId: string, signature: string, now: number): Promise<boolean> {
  const candidates = [site.identitySecret];
  if (site.previousIdentity && now < site.previousIdentity.until) candidates.push(site.previousIdentity.secret);
  let ok = false;
  // Every candidate is computed and compared, so the answer's timing does not tell which one matched.
  for (const secret of candidates) ok = timingSafeEqual(await identitySignature(secret, accountId), signature) || ok;
  return ok;
}

/** A new identity secret: 256 random bits, base64url, with a prefix that says what it is. */
export function newIdentitySecret(): string {
  return `rbid_${randomToken()}`;
}

/** A server-side example computing the signature, in one language, as the dashboard shows it. */
export interface IdentityExample {
  readonly language: "Node.js" | "PHP" | "Python";
  readonly code: string;
}

/**
 * Copy-paste examples of the signature on the merchant's server, each reading the secret from the
 * REPLYBY_IDENTITY_SECRET environment variable (it must never reach the browser). The Node and
 * Python ones are run against signatureMatches by test/system/identity-examples.test.ts.
 */
export const identityExamples: readonly IdentityExample[] = [
  {
    language: "Node.js",
    code: `import { createHmac } from "node:crypto";

// The signed-in customer's account id, exactly as you pass it to Replyby("identify").
export function replybySignature(accountId) {
  return createHmac("sha256", process.env.REPLYBY_IDENTITY_SECRET).update(accountId, "utf8").digest("hex");
}`,
  },
  {
    language: "PHP",
    code: `<?php
// The signed-in customer's account id, exactly as you pass it to Replyby("identify").
function replyby_signature(string $accountId): string {
    return hash_hmac('sha256', $accountId, getenv('REPLYBY_IDENTITY_SECRET'));
}`,
  },
  {
    language: "Python",
    code: `import hashlib
import hmac
import os

# The signed-in customer's account id, exactly as you pass it to Replyby("identify").
def replyby_signature(account_id: str) -> str:
    secret = os.environ["REPLYBY_IDENTITY_SECRET"].encode("utf-8")
    return hmac.new(secret, account_id.encode("utf-8"), hashlib.sha256).hexdigest()`,
  },
];

/** The call a storefront page makes with the signature its server computed. */
export const identifyCall = `<script>
  Replyby("identify", { accountId: "ACCOUNT_ID", signature: "SIGNATURE_FROM_YOUR_SERVER" });
</script>`;
