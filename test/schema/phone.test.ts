// Phones in a policy: stored as E.164 with the digits dialled after the call is answered, shown as written.
import { describe, expect, it } from "vitest";
import { parsePolicy, phoneText } from "../../schema/policy.ts";
import { presetInputs } from "../../worker/presets/index.ts";

/** The eCellar preset with another contact phone. */
function withPhone(phone: unknown) {
  return parsePolicy({ ...presetInputs.ecellar, contact: { email: "supportteam@ecellar1.com", phone } });
}

describe("contact phones", () => {
  it("keep the E.164 number, the menu option and the text as the merchant wrote it", () => {
    const r = withPhone({ number: "+17079429700", option: "1", text: "707-942-9700 Opt. 1" });
    expect(r.ok && r.policy.contact?.phone).toEqual({ number: "+17079429700", option: "1", text: "707-942-9700 Opt. 1" });
  });

  it("show the number itself when no text is given", () => {
    const r = withPhone({ number: "+34911234567" });
    expect(r.ok && r.policy.contact?.phone && phoneText(r.policy.contact.phone, "en")).toBe("+34911234567");
  });

  it("refuse a number that is not E.164, naming the field", () => {
    const r = withPhone({ number: "707-942-9700", text: "707-942-9700 Opt. 1" });
    expect(r.ok ? [] : r.errors.map((e) => e.path)).toContain("contact.phone.number");
  });

  it("refuse an option that is not digits to dial", () => {
    const r = withPhone({ number: "+17079429700", option: "Opt. 1" });
    expect(r.ok ? [] : r.errors.map((e) => e.path)).toContain("contact.phone.option");
  });

  it("read a bare string written before numbers were stored as text only, with nothing to dial", () => {
    const r = withPhone("707-942-9700 Opt. 1");
    expect(r.ok && r.policy.contact?.phone).toEqual({ text: "707-942-9700 Opt. 1" });
  });

  it("show the text written for the customer's locale, else the English one", () => {
    const r = withPhone({ number: "+17079429700", option: "1", text: { en: "707-942-9700 Opt. 1", es: "707-942-9700 opción 1" } });
    const phone = r.ok ? r.policy.contact?.phone : undefined;
    expect(phone && [phoneText(phone, "es"), phoneText(phone, "fr")]).toEqual(["707-942-9700 opción 1", "707-942-9700 Opt. 1"]);
  });
});
