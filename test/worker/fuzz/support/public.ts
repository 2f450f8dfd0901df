import type fc from "fast-check";
import { freshIp, ORIGIN } from "../../helpers.ts";
import {
  type Body,
  bookmark,
  encodePairs,
  ipSuffix,
  jsonContentType,
  type OriginChoice,
  origin,
  originValue,
  type Pair,
  serialize,
} from "./arbitraries.ts";
import { documentedStatuses, type Outgoing, type PublicSpec } from "./runner.ts";

// What the fuzz of the public API (public-sites and public-tickets) varies in every request.

/** The origins the demo sites allow. */
const ALLOWED = [ORIGIN, "http://localhost:8787"];

/** The parts of a public-API request that every case varies. */
export interface RequestParts {
  origin: OriginChoice;
  ip: string;
  bookmark: string | undefined;
  query: Pair[];
  contentType?: string;
  body?: Body;
}

/** Arbitraries for RequestParts but the query; a body comes with a (mostly JSON) content type. */
export function requestParts(body?: fc.Arbitrary<Body>) {
  return { origin, ip: ipSuffix, bookmark, ...(body ? { contentType: jsonContentType, body } : {}) };
}

/** The Origin a request carried, as checkPublic wants it: the value and whether the demo sites allow it. */
export function originOf(from: string | undefined): PublicSpec["origin"] {
  return from === undefined ? undefined : { value: from, allowed: ALLOWED.includes(from) };
}

/**
 * The request a case makes to `path`: its query, a fresh client IP, then `headers`, then the
 * Origin, D1-Bookmark and Content-Type it chose, and its body.
 */
export function publicRequest(
  method: string,
  path: string,
  c: RequestParts,
  headers: [string, string][] = [],
): { req: Outgoing; origin: PublicSpec["origin"] } {
  const all: [string, string][] = [["CF-Connecting-IP", freshIp(c.ip)], ...headers];
  const from = originValue(c.origin, ORIGIN);
  if (from !== undefined) all.push(["Origin", from]);
  if (c.bookmark !== undefined) all.push(["D1-Bookmark", c.bookmark]);
  if (c.contentType !== undefined) all.push(["Content-Type", c.contentType]);
  const query = encodePairs(c.query);
  const body = c.body ? serialize(c.body) : null;
  return {
    req: { method, path: `${path}${query ? `?${query}` : ""}`, headers: all, ...(body !== null ? { body } : {}) },
    origin: originOf(from),
  };
}

/** Reads the OpenAPI document once; the answer gives an operation's ("METHOD /path") documented statuses. */
export async function documentedLookup(): Promise<(operation: string) => number[]> {
  const statuses = await documentedStatuses();
  return (operation) => {
    const list = statuses.get(operation);
    if (!list) throw new Error(`${operation} is not in the OpenAPI document`);
    return list;
  };
}
