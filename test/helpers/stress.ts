// Sizes of the stress scenarios, from the environment, and the summary line each one prints.
import type { TestContext } from "node:test";

/** A positive integer from the environment, or the default. */
export function fromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

export const STRESS = {
  hosts: fromEnv("STRESS_HOSTS", 32),
  events: fromEnv("STRESS_EVENTS", 500),
  longMs: fromEnv("STRESS_LONG_MS", 60_000),
  backlog: fromEnv("STRESS_BACKLOG", 20_000),
  rounds: fromEnv("STRESS_ROUNDS", 3),
};

/** One line per scenario on stdout (as a test diagnostic), for the README to quote. */
export function summary(
  t: TestContext,
  scenario: string,
  figures: Record<string, number | string>,
): void {
  const text = Object.entries(figures)
    .map(([key, value]) => `${key}=${value}`)
    .join(" ");
  t.diagnostic(`STRESS ${scenario}: ${text}`);
}
