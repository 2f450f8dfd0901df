// drizzle-zod's typings test column types against Node's `Buffer` (for blob columns, which we do not
// use). Runtimes without Node's types (workerd, browsers) would see an unknown type there, which every
// column type "extends", and lose every field's zod type. This names it for them.
interface Buffer extends Uint8Array {}
