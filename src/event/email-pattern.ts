// Q: can this be traced back to me? A: not through an e-mail address: every address, in any
// script and with its `@` written plain, URL-encoded (once or twice) or escaped, is replaced.
import type { RedactionRule } from "./rule.js";
import { AT, BACKSLASH, PERCENT } from "./text-features.js";

const localChar = () => String.raw`A-Za-z0-9._%+\u00C0-\uFFFF-`;
const domainChar = () => String.raw`A-Za-z0-9\u00C0-\uFFFF-`;

export const EMAIL_RULE: RedactionRule = {
  // Any script in both parts (`zoe@müller.de`), the `@` also encoded or escaped (`\u0040`); not
  // ssh's `git@host`, which the remote rules judge.
  label: "email",
  // `%2540` (encoded twice) does not hold `%40`: without its own mark the rule never ran on it.
  marks: ["@", "%40", "%2540", "\\u0040", "\\x40"],
  // `a@b.cd`; the `@` may be written `%40` or `\u0040`.
  gate: { needs: AT | PERCENT | BACKSLASH, minLength: 6 },
  source: () =>
    String.raw`(?<![${localChar()}])(?!git@)[${localChar()}]+(?:@|%(?:25)?40|\\u0040|\\x40)[${domainChar()}]+(?:\.[${domainChar()}]+)*\.[A-Za-z\u00C0-\uFFFF]{2,}(?![${domainChar()}]|:[A-Za-z~/_\[])`,
};
