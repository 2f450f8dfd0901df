import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { identityExamples, newIdentitySecret, signatureMatches } from "../../worker/merchant/identity-signature.ts";

// The dashboard's copy-paste examples, run as a merchant would run them, against our verifier.
const dir = mkdtempSync(path.join(tmpdir(), "replyby-identity-"));
const secret = newIdentitySecret();
const accountIds = ["acme", "cliente-ñandú 42", "user@example.com"];
const example = (language: string) => identityExamples.find((e) => e.language === language)?.code ?? "";

function runNode(accountId: string): string {
  const file = path.join(dir, "sign.mjs");
  writeFileSync(file, `${example("Node.js")}\nconsole.log(replybySignature(process.argv[2]));\n`);
  return execFileSync(process.execPath, [file, accountId], { env: { ...process.env, REPLYBY_IDENTITY_SECRET: secret } })
    .toString()
    .trim();
}

function hasPython(): boolean {
  try {
    execFileSync("python3", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("identity signature examples", () => {
  it.each(accountIds)("the Node.js example's signature of %s is accepted by the verifier", async (accountId) => {
    const signature = runNode(accountId);
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    expect(await signatureMatches({ identitySecret: secret }, accountId, signature, Date.now())).toBe(true);
  });

  it("the Node.js example's signature under another secret is refused", async () => {
    const signature = runNode("acme");
    expect(await signatureMatches({ identitySecret: newIdentitySecret() }, "acme", signature, Date.now())).toBe(false);
  });

  it.runIf(hasPython()).each(accountIds)("the Python example's signature of %s is accepted by the verifier", async (accountId) => {
    const file = path.join(dir, "sign.py");
    writeFileSync(file, `${example("Python")}\n\nimport sys\nprint(replyby_signature(sys.argv[1]))\n`);
    const signature = execFileSync("python3", [file, accountId], { env: { ...process.env, REPLYBY_IDENTITY_SECRET: secret } })
      .toString()
      .trim();
    expect(await signatureMatches({ identitySecret: secret }, accountId, signature, Date.now())).toBe(true);
  });

  it("accepts the previous secret's signature only within its grace period", async () => {
    const previous = newIdentitySecret();
    const signature = execFileSync(process.execPath, [path.join(dir, "sign.mjs"), "acme"], {
      env: { ...process.env, REPLYBY_IDENTITY_SECRET: previous },
    })
      .toString()
      .trim();
    const now = Date.now();
    const site = { identitySecret: secret, previousIdentity: { secret: previous, until: now + 1000 } };
    expect(await signatureMatches(site, "acme", signature, now)).toBe(true);
    expect(await signatureMatches(site, "acme", signature, now + 1000)).toBe(false);
  });
});
