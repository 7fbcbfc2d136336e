// Q: can this be traced back to me? A: not through a value stored under a secret-looking name:
// this decides which names (`dbPassword`, `'x-api-key'`, `DB_PASS`, `--auth-token`) hold secrets,
// by whole words, so `author`, `tokenizer` or `secret_name` stay readable.
import { lazy } from "./lazy.js";

/** What a key's value is and how far it runs: a password may hold spaces, a token does not. */
export interface KeyVerdict {
  readonly kind: string;
  /** The value runs to the next delimiter (`password: correct horse battery`). */
  readonly spaced: boolean;
  /** Only a value that itself looks secret is replaced (`session: expired` stays). */
  readonly weak: boolean;
  /** A path is not the secret (`PWD=/srv/app` is a working directory, `PWD=s3cret;` a password). */
  readonly unlessPath?: boolean;
}

const PASSWORD: KeyVerdict = { kind: "password", spaced: true, weak: false };
const PASSWORD_UNLESS_PATH: KeyVerdict = { ...PASSWORD, unlessPath: true };
const AUTHORIZATION: KeyVerdict = { kind: "authorization", spaced: true, weak: false };
const strong = (kind: string): KeyVerdict => ({ kind, spaced: false, weak: false });
const weak = (kind: string): KeyVerdict => ({ kind, spaced: false, weak: true });

// The last word of a key decides (`token_type` is not a token, `access_token` is).
const lastWords = lazy(
  () =>
    new Map<string, KeyVerdict>([
      // keytool's `-storepass`, `-keypass`, `-srcstorepass`, …: one word, no separator.
      ...["password", "passwd", "passphrase", "passcode", "pword", "storepass", "keypass"].map(
        (word) => [word, PASSWORD] as const,
      ),
      ...["srcstorepass", "deststorepass", "srckeypass", "destkeypass"].map(
        (word) => [word, PASSWORD] as const,
      ),
      ["authorization", AUTHORIZATION],
      ...["token", "tokens", "apitoken", "accesstoken", "authtoken", "refreshtoken", "bearer"].map(
        (word) => [word, strong("token")] as const,
      ),
      ...["secret", "secrets", "clientsecret", "appsecret"].map(
        (word) => [word, strong("secret")] as const,
      ),
      ...["apikey", "accesskey", "secretkey", "privatekey", "masterkey", "signingkey"].map(
        (word) => [word, strong("key")] as const,
      ),
      ...["credential", "credentials", "creds"].map(
        (word) => [word, strong("credentials")] as const,
      ),
      ...["auth", "oauth"].map((word) => [word, strong("auth")] as const),
      ...["signature", "sig"].map((word) => [word, strong("signature")] as const),
      ["dsn", strong("dsn")],
      ...["cookie", "cookies"].map((word) => [word, weak("cookie")] as const),
      ...["session", "sessionid", "sid", "sessid", "jsessionid", "phpsessid"].map(
        (word) => [word, weak("session")] as const,
      ),
    ]),
);
// Short spellings that are ordinary words inside longer names: secret only as the whole key.
const wholeKeys = lazy(
  () =>
    new Map<string, KeyVerdict>([
      ["pass", PASSWORD],
      ["pw", PASSWORD],
      ["pwd", PASSWORD],
      ["key", weak("key")],
    ]),
);
// `…Key` names a secret unless the word before says it is an identifier.
const nonSecretKeyQualifiers = lazy(
  () =>
    new Set(
      [
        "primary foreign sort partition range hash cache object routing idempotency public i18n",
        "translation lookup row composite unique dedup dedupe deduplication group message shard index",
        "map list item resource entity record table event state search order join natural surrogate",
        "distribution cluster react storage s3 file bucket dynamo query sharding component",
      ]
        .join(" ")
        .split(" "),
    ),
);
// Words after the secret word that still name it (`password_hash` does not, `token_value` does).
const valueSuffixes = lazy(
  () =>
    new Set(
      "value val raw plain plaintext b64 base64 hex encoded str string confirmation ident".split(
        " ",
      ),
    ),
);

const WORD = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g;

/** `x-api-key` → [x, api, key]; `encryptionKey` → [encryption, key]; `APIKey` → [api, key]. */
function splitKeyWords(key: string): string[] {
  return (key.match(WORD) ?? []).map((word) => word.toLowerCase());
}

/** Whether the value stored under `key` is secret, and of what kind; undefined when it is not. */
export function classifyKey(key: string): KeyVerdict | undefined {
  if (key === "" || key.length > 128) return undefined;
  // ODBC and Snowflake connection strings spell the password `PWD=…;`, shells the cwd `PWD=/…`.
  if (key === "PWD") return PASSWORD_UNLESS_PATH;
  if (!/[a-z]/.test(key)) return classifyEnvStyleKey(key);
  const whole = wholeKeys().get(key.toLowerCase());
  if (whole !== undefined) return whole;
  const words = splitKeyWords(key);
  let last = words.length - 1;
  if (last > 0 && valueSuffixes().has(words[last] ?? "")) last--;
  const word = words[last] ?? "";
  if (word === "key") {
    const before = words[last - 1];
    return before === undefined || nonSecretKeyQualifiers().has(before) ? undefined : strong("key");
  }
  return lastWords().get(word);
}

// Variable names: anywhere in the name, as environments spell them (`PGPASSWORD`, `NPM_TOKEN`).
// Plain string tests, not one large pattern: this runs over every variable as the host starts.
const secretEnvParts = lazy(() => [
  ...["TOKEN", "SECRET", "PASS", "CREDENTIAL", "KEY", "AUTHORIZATION", "OAUTH", "PRIVATE"],
  ...["SESSION", "COOKIE", "SIGNATURE", "SIGNING", "AUTH_"],
  // A wallet's words, a webhook URL (its path is the credential).
  ...["MNEMONIC", "PHRASE", "HOOK"],
]);
// Personal access tokens (`GITHUB_PAT`, `AZURE_DEVOPS_EXT_PAT`), PINs, salts, one-time-code seeds.
const secretEnvWords = lazy(
  () => new Set(["PW", "SK", "CRED", "CREDS", "PAT", "PIN", "SALT", "SEED", "OTP", "TOTP", "HOTP"]),
);
const notSecretLastWords = lazy(
  () =>
    new Set(
      "FILE PATH DIR SOCK SOCKET LENGTH LEN SIZE BITS COUNT TTL TIMEOUT EXPIRY ROUNDS POLICY".split(
        " ",
      ),
    ),
);
const databaseWords = lazy(
  () =>
    new Set(
      "DB DATABASE REDIS MONGO MONGODB POSTGRES POSTGRESQL PG MYSQL AMQP RABBITMQ KAFKA".split(" "),
    ),
);

// What every upper-cased name that isSecretEnvName accepts holds (`CRED` for `CREDENTIAL`, `PW`
// for `PWD`, `AUTH` for `OAUTH`), besides a PAT not followed by H and a name ending in _URL or
// _URI. Plain string tests: one regular expression for them compiled twice on a host's first
// event (bytecode, then machine code for the second name), 0.1 ms, more than all the tests.
export const SECRET_ENV_HINTS = [
  ...["TOKEN", "SECRET", "PASS", "CRED", "KEY", "AUTH", "PRIVATE", "SESSION", "COOKIE", "SIGN"],
  ...["PW", "DSN", "SK", "CONN", "MNEMONIC", "PHRASE", "HOOK", "PIN", "SALT", "SEED", "OTP"],
];

/**
 * False for most names at the cost of a few string tests, and never for a secret one: the
 * host's start-up tests every variable, and isSecretEnvName only those that pass.
 */
export function mayBeSecretEnvName(name: string): boolean {
  const upper = name.toUpperCase();
  // Every environment has these two, and PW in them; isSecretEnvName says no to them first.
  if (upper === "PWD" || upper === "OLDPWD") return false;
  if (upper.endsWith("_URL") || upper.endsWith("_URI")) return true;
  for (let index = 0; index < SECRET_ENV_HINTS.length; index++) {
    if (upper.includes(SECRET_ENV_HINTS[index] ?? "")) return true;
  }
  // `PAT` (a personal access token), but not as in PATH.
  for (let at = upper.indexOf("PAT"); at !== -1; at = upper.indexOf("PAT", at + 1)) {
    if (upper.charCodeAt(at + 3) !== 0x48) return true;
  }
  return false;
}

/** True when an environment variable's name says its value is secret (`*TOKEN*`, `DB_PASS`, …). */
export function isSecretEnvName(name: string): boolean {
  const upper = name.toUpperCase();
  // `PWD` and `OLDPWD` are working directories, handled by the path rules.
  if (upper === "PWD" || upper === "OLDPWD") return false;
  const words = upper.split("_");
  const last = words[words.length - 1] ?? "";
  // Their values say where a secret is kept, not the secret: the path rules see them. Others
  // say what a secret must be like or how long it lasts (`PASSWORD_MIN_LENGTH=12`).
  if (words.length > 1 && notSecretLastWords().has(last)) return false;
  if (secretEnvParts().some((part) => upper.includes(part))) return true;
  if (upper.endsWith("PWD") || upper.endsWith("AUTH") || last === "DSN") return true;
  const envWords = secretEnvWords();
  if (words.some((word) => envWords.has(word))) return true;
  if (upper.includes("CONN") && upper.includes("STR")) return true;
  const before = words[words.length - 2];
  return (last === "URL" || last === "URI") && before !== undefined && databaseWords().has(before);
}

const envStyleKinds = lazy((): readonly [RegExp, KeyVerdict][] => [
  [/AUTHORIZATION/, AUTHORIZATION],
  [/PASS|PWD$|(?:^|_)PW(?:_|$)/, PASSWORD],
  [/TOKEN/, strong("token")],
  [/SECRET|(?:^|_)SK(?:_|$)/, strong("secret")],
  [/KEY/, strong("key")],
  [/CRED/, strong("credentials")],
  [/SIGN/, strong("signature")],
  [/COOKIE/, weak("cookie")],
  [/SESSION/, weak("session")],
  [/DSN|UR[IL]$|CONN/, strong("dsn")],
]);

/** `DB_PASS=…`, `PGPASSWORD=…`: an upper-case key is read as a variable name. */
function classifyEnvStyleKey(key: string): KeyVerdict | undefined {
  if (!/[A-Z]/.test(key) || !isSecretEnvName(key)) return undefined;
  for (const [pattern, verdict] of envStyleKinds()) if (pattern.test(key)) return verdict;
  return strong("secret");
}
