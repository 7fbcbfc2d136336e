// Q: can this be traced back to me? A: not through an environment variable: the value of every
// variable whose name looks secret (in `process.env` and in the host's `env` option) is replaced
// by the variable's name wherever it appears, raw, JSON-escaped or URL-encoded.
import { lazy } from "./lazy.js";
import { namesThatMayBeSecret } from "./env-name-scan.js";
import { isSecretEnvName } from "./secret-keys.js";

type Env = Readonly<Record<string, string | undefined>>;

export interface EnvSecret {
  readonly value: string;
  readonly replacement: string;
}

// Shorter values would blank ordinary words wherever they occur.
const MIN_ENV_VALUE_LENGTH = 8;
// Settings, not secrets, however the variable is named (`DEPLOY_KEY=production`).
const commonValues = lazy(
  () =>
    new Set(
      "production development staging undefined disabled enabled localhost default unknown".split(
        " ",
      ),
    ),
);
const QUOTED = /^(["'`])([\s\S]*)\1$/;

/**
 * The values of secret-named variables of every given environment, in each spelling they are
 * printed in, longest first so that a value inside another is replaced second.
 */
export function collectEnvSecrets(
  envs: readonly (Env | undefined)[],
  skip: readonly (string | undefined)[],
): EnvSecret[] {
  const byValue = new Map<string, string>();
  for (const env of envs) {
    try {
      // Only the values of secret-named variables are read: `process.env` reads each one from C++.
      // Indexed: a for-of loop makes an iterator, run cold.
      const names = namesThatMayBeSecret(Object.keys(env ?? {}));
      for (let index = 0; index < names.length; index++) {
        const name = names[index] ?? "";
        if (!isSecretEnvName(name)) continue;
        const value = env?.[name];
        if (typeof value !== "string") continue;
        const secret = secretValueOf(value);
        if (secret === undefined || skip.includes(secret)) continue;
        const replacement = `[REDACTED:env:${name.replace(/[^A-Za-z0-9_]/g, "_").slice(0, 64)}]`;
        for (const spelling of spellingsOf(secret)) {
          if (!byValue.has(spelling)) byValue.set(spelling, replacement);
        }
      }
    } catch {
      // An exotic env object (a Proxy, a throwing getter) leaves only the pattern rules in force.
    }
  }
  return [...byValue]
    .map(([value, replacement]) => ({ value, replacement }))
    .sort((a, b) => b.value.length - a.value.length);
}

/** The value as it is meant, without surrounding blanks, newline or quotes; undefined if too plain. */
function secretValueOf(value: string): string | undefined {
  let secret = value.trim();
  for (let match = QUOTED.exec(secret); match !== null; match = QUOTED.exec(secret)) {
    secret = (match[2] ?? "").trim();
  }
  if (secret.length < MIN_ENV_VALUE_LENGTH || commonValues().has(secret.toLowerCase())) {
    return undefined;
  }
  return secret;
}

/** Raw, JSON-escaped, URL-encoded (either hex case) and form-encoded spellings. */
function spellingsOf(value: string): string[] {
  const encoded = encodeURIComponent(value);
  return [
    ...new Set([
      value,
      JSON.stringify(value).slice(1, -1),
      encoded,
      encoded.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
      encoded.replace(/%20/g, "+"),
    ]),
  ];
}

/** Replaces each value where it stands on its own: `website-1` is not replaced in `website-12`. */
export function replaceEnvValues(text: string, secrets: readonly EnvSecret[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.value.length <= out.length && out.includes(secret.value)) {
      out = replaceStandalone(out, secret.value, secret.replacement);
    }
  }
  return out;
}

function replaceStandalone(text: string, value: string, replacement: string): string {
  const checkStart = isAlphanumeric(value.charCodeAt(0));
  const checkEnd = isAlphanumeric(value.charCodeAt(value.length - 1));
  let out = "";
  let kept = 0;
  for (let index = text.indexOf(value); index !== -1;) {
    const end = index + value.length;
    const standsAlone =
      (!checkStart || !isAlphanumeric(text.charCodeAt(index - 1)) || followsEscape(text, index)) &&
      (!checkEnd || !isAlphanumeric(text.charCodeAt(end)));
    if (standsAlone) {
      out += text.slice(kept, index) + replacement;
      kept = end;
    }
    index = text.indexOf(value, standsAlone ? end : index + 1);
  }
  return kept === 0 ? text : out + text.slice(kept);
}

/**
 * A value right after a printed escape (`\n`, `\t`, `\r`, `\u0020`) or a URL escape (`%20`,
 * `%3D`) still stands alone: the letter or digit before it ends the escape, not a word.
 */
const ESCAPE_BEFORE = /(?:\\[nrt]|\\u[0-9A-Fa-f]{4}|%[0-9A-Fa-f]{2})$/;

function followsEscape(text: string, index: number): boolean {
  return ESCAPE_BEFORE.test(text.slice(Math.max(0, index - 6), index));
}

/** ASCII letters and digits; NaN (outside the text) is not. */
function isAlphanumeric(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}
