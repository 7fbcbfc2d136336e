// Q: can this be traced back to me? A: not through a credential of a format nobody listed: a
// long run that reads like random characters (a Vercel or Cloudflare token, an AWS secret access
// key, an Azure account key) is replaced, while names built of words (`prod-WebsiteBucket-eu-west-1`,
// `UserProfileImageUploadBucket2`) stay readable.

// A word of a name: `Website`, `prod`, `AWS`, `2024`. Random text breaks into far shorter pieces.
const PIECE = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g;
const MIN_TOKEN = 24;
// Mean piece length at or below which a run reads as random. Measured on random base62/base64:
// the median is 1.9 and 99% stay below 3.0 (24 chars) / 2.7 (40 chars); CamelCase resource and
// class names measure 3.4 and up.
const SHORT_RUN_MAX_MEAN = 3.0;
const LONG_RUN_MAX_MEAN = 3.2;
// Random text of two classes breaks less often. Measured: mixed case without a digit has a median
// of 2.4 and 95% below 3.4, names (TypeScript's, npm's) 3.6 and up; one case and digits a median
// of 2.4, 99% below 6 at 24 characters, and base32 (few digits) more; parts of names of one case
// without a separator are rare, and measure 4.8 and up.
const NO_DIGIT_MAX = 3.2;
const NO_DIGIT_LONG_MAX = 3.5;
const ONE_CASE_MIN_PART = 20;
const ONE_CASE_MAX_MEAN = 6;
const ONE_CASE_LONG_MAX_MEAN = 8;
// Base64 may hold `/` and `+`, paths hold many `/`: about one slash in 64 characters is random,
// so two plus one in 20 leaves margin for chance and none for a path of short segments.
const SLASHES_PER_CHAR = 1 / 20;

// CloudFormation's names: a CDK logical id ends in 8 hex digits of its construct path's hash
// (`WebsiteBucket75C24D94`), a physical id in `-` and 12 or 13 random capitals and digits.
const GENERATED_SUFFIX = /(?<=[a-z])[0-9A-F]{8}(?=$|[-_])|(?<=[a-z]|[0-9A-F]{8})-[A-Z0-9]{12,13}$/g;
// What is left of a generated name must still be words; `Ab` and a hash is no name.
const MIN_NAME_LEFT = 8;

/**
 * True when a run of letters, digits and `-`/`_` reads as random: mixed classes, short pieces.
 * CloudFormation's hash and random suffixes are judged apart: a name built of words before
 * them is a name (`ProdApiGatewayDeploymentStage7F3A2B1C`), a random run is still a token.
 */
export function looksRandom(run: string, minLength = MIN_TOKEN): boolean {
  if (!looksRandomWhole(run, minLength)) return false;
  const name = run.replace(GENERATED_SUFFIX, "");
  return name === run || name.length < MIN_NAME_LEFT || looksRandomWhole(name, 0);
}

function looksRandomWhole(run: string, minLength: number): boolean {
  let upper = false;
  let lower = false;
  let digit = false;
  let length = 0;
  for (let index = 0; index < run.length; index++) {
    const code = run.charCodeAt(index);
    if (code >= 65 && code <= 90) upper = true;
    else if (code >= 97 && code <= 122) lower = true;
    else if (code >= 48 && code <= 57) digit = true;
    else continue;
    length++;
  }
  // `-` and `_` count towards the length (base64url holds them), not towards the pieces.
  if (run.length < minLength) return false;
  const long = length >= 32;
  if (upper && lower && digit) {
    return meanPiece(run, length) <= (long ? LONG_RUN_MAX_MEAN : SHORT_RUN_MAX_MEAN);
  }
  // Without a digit only the case changes break a run: random text still breaks far more often.
  if (upper && lower) return meanPiece(run, length) <= (long ? NO_DIGIT_LONG_MAX : NO_DIGIT_MAX);
  return digit && (upper || lower) && hasRandomOneCasePart(run);
}

function meanPiece(run: string, length: number): number {
  return length / (run.match(PIECE)?.length ?? 1);
}

/**
 * One case and digits (`key-e1txnyv8…`, `NRAK-YT197ZY…`, a ULID): letters and digits alternate
 * in random text, while names of one case put `-` or `_` between their words, so a long part
 * without a separator that still breaks into short pieces is random.
 */
function hasRandomOneCasePart(run: string): boolean {
  for (const part of run.split(/[-_]+/)) {
    if (part.length < ONE_CASE_MIN_PART) continue;
    const digits = part.length - part.replace(/[0-9]+/g, "").length;
    if (digits < 2 || part.length - digits < 6) continue;
    const max = part.length >= 32 ? ONE_CASE_LONG_MAX_MEAN : ONE_CASE_MAX_MEAN;
    if (meanPiece(part, part.length) <= max) return true;
  }
  return false;
}

interface RunShape {
  /** Characters before any trailing `=` padding. */
  readonly body: number;
  readonly slashes: number;
  readonly marks: number;
  /** The longest part between `/`, `+` and `=`. */
  readonly longestPart: number;
}

/** One pass over the run: its base64 marks and its longest part, without splitting. */
function measureRun(run: string): RunShape {
  let body = run.length;
  while (body > 0 && run.charCodeAt(body - 1) === 61) body--;
  let slashes = 0;
  let marks = 0;
  let longestPart = 0;
  let start = 0;
  for (let index = 0; index <= run.length; index++) {
    const code = index === run.length ? 47 : run.charCodeAt(index);
    if (code !== 47 && code !== 43 && code !== 61) continue;
    if (index < run.length) marks++;
    if (code === 47 && index < body) slashes++;
    longestPart = Math.max(longestPart, index - start);
    start = index + 1;
  }
  return { body, slashes, marks, longestPart };
}

/**
 * Replaces the random parts of one run of `[A-Za-z0-9+/_-]`: the whole run when it is one
 * base64 secret (40 characters or more, few slashes), else each random part between `/`, `+`
 * and `=` (a token inside a URL path).
 */
export function redactOpaqueRun(run: string): string {
  if (run.length < MIN_TOKEN) return run;
  const shape = measureRun(run);
  if (shape.marks === 0) return looksRandom(run) ? "[REDACTED:token]" : run;
  const fewSlashes = shape.slashes <= 2 + shape.body * SLASHES_PER_CHAR;
  if (shape.body >= 40 && fewSlashes && looksRandom(run.slice(0, shape.body))) {
    return "[REDACTED:token]";
  }
  // Most such runs are paths of short segments: nothing to split.
  if (shape.longestPart < MIN_TOKEN) return run;
  return run
    .split(/([+/=]+)/)
    .map((part) => (part.length >= MIN_TOKEN && looksRandom(part) ? "[REDACTED:token]" : part))
    .join("");
}
