// The zones the calendar property tests run in, each with the instants of its 2026 offset
// changes; the engine bench holds the long-span budget in the same zones. Kolkata has none, so
// it exercises the fixed-offset path around an ordinary instant.

/** A property-test zone and its 2026 offset changes (UTC epoch ms). */
export interface PropertyZone {
  readonly timeZone: string;
  readonly changes: readonly number[];
}

/** Every zone of the calendar property tests. */
export const propertyZones: readonly PropertyZone[] = [
  { timeZone: "America/Los_Angeles", changes: [Date.UTC(2026, 2, 8, 10), Date.UTC(2026, 10, 1, 9)] },
  { timeZone: "Europe/Madrid", changes: [Date.UTC(2026, 2, 29, 1), Date.UTC(2026, 9, 25, 1)] },
  { timeZone: "Asia/Kolkata", changes: [Date.UTC(2026, 5, 1, 6)] },
  { timeZone: "Australia/Lord_Howe", changes: [Date.UTC(2026, 3, 4, 15), Date.UTC(2026, 9, 3, 15, 30, 0)] },
];
