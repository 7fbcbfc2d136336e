// One entry of a redaction table: what it matches, what it becomes, and the cheap checks that let
// the redactor skip it for a text it cannot match.
import type { Gate } from "./text-features.js";

export interface RedactionRule {
  readonly label: string;
  /** Regex source, built on first need: a host that records nothing never builds it. */
  readonly source: () => string;
  /**
   * Called as `String.prototype.replace` calls it (sources hold no capturing groups); without it,
   * a match becomes `[REDACTED:<label>]`.
   */
  readonly replace?: (match: string, offset: number, text: string) => string;
  /** Replaces the matches itself, for a rule that reads past its match (given the compiled pattern). */
  readonly rewrite?: (text: string, pattern: RegExp) => string;
  /** What every text the pattern matches holds (text-features.ts); checked first, without a call. */
  readonly gate?: Gate;
  /** Strings of which a matching text holds one (`eyJ`, `npm_`); checked next, as data. */
  readonly marks?: readonly string[];
  /** A necessary condition for a match, cheaper than the scan; the rule is skipped when false. */
  readonly hint?: (text: string) => boolean;
}
