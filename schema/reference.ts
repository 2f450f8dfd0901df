/** A public ticket reference: RB- and two groups of four Crockford base32 digits (no I, L, O, U). */
export const referencePattern = /^RB-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;
