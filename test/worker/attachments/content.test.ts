import { describe, expect, it } from "vitest";
import { dispositionOf, MAX_NAME_CHARS, safeName, servedType, sniffType } from "../../../worker/attachments/content.ts";
import { pngBytes } from "./support.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("sniffType", () => {
  it.each([
    ["png", pngBytes(), "image/png"],
    ["jpeg", new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), "image/jpeg"],
    ["gif", bytes("GIF89a\x01\x00"), "image/gif"],
    ["webp", bytes("RIFF\x10\x00\x00\x00WEBPVP8 "), "image/webp"],
    ["pdf", bytes("%PDF-1.7\n%âãÏÓ"), "application/pdf"],
    ["zip", new Uint8Array([0x50, 0x4b, 0x03, 0x04, 20, 0]), "application/zip"],
  ])("recognises %s by its magic number, whatever the name says", (_, b, type) => {
    expect(sniffType(b, "notes.txt")).toBe(type);
  });

  it("takes UTF-8 text as text/plain, and as text/csv when named .csv", () => {
    expect(sniffType(bytes("order,total\n1042,12.50\nñandú,1\n"), "orders.log")).toBe("text/plain; charset=utf-8");
    expect(sniffType(bytes("order,total\n1042,12.50\n"), "orders.CSV")).toBe("text/csv; charset=utf-8");
  });

  it.each([
    ["HTML", "<!doctype html><script>alert(1)</script>", "page.html"],
    ["SVG", '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "image.svg"],
    ["XML after whitespace and a BOM", "\ufeff \n<?xml version='1.0'?><x/>", "data.txt"],
  ])("never takes %s for text: octet-stream", (_, text, name) => {
    expect(sniffType(bytes(text), name)).toBe("application/octet-stream");
  });

  it("stores binary data and invalid UTF-8 as octet-stream", () => {
    expect(sniffType(new Uint8Array([0x41, 0x00, 0x42]), "a.txt")).toBe("application/octet-stream");
    expect(sniffType(new Uint8Array([0xc3, 0x28]), "a.txt")).toBe("application/octet-stream");
  });
});

describe("servedType", () => {
  it("serves only the types it knows; any other stored type as octet-stream", () => {
    expect(servedType("image/png")).toBe("image/png");
    expect(servedType("image/svg+xml")).toBe("application/octet-stream");
    expect(servedType("text/html")).toBe("application/octet-stream");
  });
});

describe("safeName", () => {
  it("drops any path, CR/LF and quotes", () => {
    expect(safeName("../../etc/passwd")).toBe("passwd");
    expect(safeName("C:\\Users\\ana\\screen.png")).toBe("screen.png");
    expect(safeName('a"b\r\nSet-Cookie: x.png')).toBe("a_b_Set-Cookie: x.png");
  });

  it("caps the length and keeps the extension", () => {
    const name = safeName(`${"x".repeat(400)}.pdf`);
    expect([...name].length).toBe(MAX_NAME_CHARS);
    expect(name.endsWith(".pdf")).toBe(true);
  });

  it("names a file that has nothing left 'file'", () => {
    expect(safeName("")).toBe("file");
    expect(safeName("/")).toBe("file");
  });
});

describe("dispositionOf", () => {
  it("always downloads, with an ASCII fallback and the UTF-8 name", () => {
    expect(dispositionOf("factura ñ (1).pdf")).toBe(
      `attachment; filename="factura _ (1).pdf"; filename*=UTF-8''factura%20%C3%B1%20%281%29.pdf`,
    );
  });
});
