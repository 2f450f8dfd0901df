import { describe, expect, it } from "vitest";
import { webhookUrlProblem } from "../../../worker/outbox/webhook-url.ts";

describe("webhook URLs", () => {
  it.each([
    "https://hooks.example.com/replyby",
    "https://example.com:8443/x?y=1",
    "https://8.8.8.8/hook",
    "https://[2606:4700::1111]/hook",
    "https://172.32.0.1/x",
    "https://100.128.0.1/x",
  ])("accepts %s", (url) => {
    expect(webhookUrlProblem(url)).toBeUndefined();
  });

  it.each([
    ["http://hooks.example.com/x", "Use an https:// URL"],
    ["not a url", "Enter a full URL"],
    ["https://user:pw@hooks.example.com/", "Leave user name and password out"],
    ["https://localhost/x", "localhost names this machine"],
    ["https://api.localhost/x", "api.localhost names this machine"],
    ["https://LOCALHOST./x", "localhost names this machine"],
    ["https://printer.local/x", "printer.local names this machine or a local network"],
    ["https://intranet/x", "intranet is not a public host name"],
    ["https://127.0.0.1/x", "a loopback address (127.0.0.0/8)"],
    ["https://127.1/x", "a loopback address"],
    ["https://2130706433/x", "a loopback address"],
    ["https://0x7f000001/x", "a loopback address"],
    ["https://0.0.0.0/x", "an unspecified address"],
    ["https://10.0.0.1/x", "a private network address (10.0.0.0/8)"],
    ["https://172.16.5.4/x", "a private network address (172.16.0.0/12)"],
    ["https://172.31.255.255/x", "a private network address (172.16.0.0/12)"],
    ["https://192.168.1.1/x", "a private network address (192.168.0.0/16)"],
    ["https://169.254.169.254/x", "a link-local address (169.254.0.0/16)"],
    ["https://100.64.0.1/x", "a carrier-grade NAT address (100.64.0.0/10)"],
    ["https://100.127.255.255/x", "a carrier-grade NAT address"],
    ["https://224.0.0.1/x", "a multicast address"],
    ["https://[::1]/x", "the loopback address (::1)"],
    ["https://[::]/x", "the unspecified address"],
    ["https://[fc00::1]/x", "a unique local address (fc00::/7)"],
    ["https://[fd12:3456::1]/x", "a unique local address (fc00::/7)"],
    ["https://[fe80::1]/x", "a link-local address (fe80::/10)"],
    ["https://[::ffff:127.0.0.1]/x", "a loopback address"],
    ["https://[::ffff:10.0.0.1]/x", "a private network address"],
    ["https://[ff02::1]/x", "a multicast address"],
  ])("refuses %s: %s", (url, why) => {
    expect(webhookUrlProblem(url)).toContain(why);
  });
});
