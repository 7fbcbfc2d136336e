// A privacy corpus: each case plants a value that must never reach the spool, inside text shaped
// like what the host really sees (messages, stacks, URLs, resource names). Reused end to end.
import type { RedactionContext } from "../../src/event/redact.js";

export interface PrivacyCase {
  readonly label: string;
  /** The value that must not survive redaction (compared case-insensitively). */
  readonly planted: string;
  readonly text: string;
  /** A part of the output that must survive, to prove the shape is kept. */
  readonly keep?: string;
}

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A deterministic token body; assembled at run time so secret scanners do not flag the repository. */
export function fakeToken(prefix: string, length: number, seed = 7): string {
  let state = seed;
  let body = "";
  for (let index = 0; index < length; index++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    body += ALPHANUMERIC.charAt(state % ALPHANUMERIC.length);
  }
  // Mixed case plus a digit, as every real token of these formats has.
  return `${prefix}${body.slice(0, -3)}aZ9`;
}

const BASE64 = `${ALPHANUMERIC}+/`;

/** A deterministic base64 body (AWS secret access keys, Azure account keys), assembled at run time. */
export function fakeBase64(length: number, seed = 7): string {
  let state = seed;
  let body = "";
  for (let index = 0; index < length; index++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    body += BASE64.charAt((state >> 8) % BASE64.length);
  }
  return body;
}

/** A deterministic lowercase hex body. */
export function fakeHex(length: number, seed = 7): string {
  let state = seed;
  let body = "";
  for (let index = 0; index < length; index++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    body += "0123456789abcdef".charAt((state >> 8) % 16);
  }
  return body;
}

/** A deterministic body from `alphabet` (lower-case base32, upper-case and digits, …). */
export function fakeFrom(alphabet: string, length: number, seed = 7): string {
  let state = seed;
  let body = "";
  for (let index = 0; index < length; index++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    body += alphabet.charAt((state >> 8) % alphabet.length);
  }
  return body;
}

const BASE32_LOWER = "abcdefghijklmnopqrstuvwxyz234567";
const LOWER_DIGITS = "abcdefghijklmnopqrstuvwxyz0123456789";
const UPPER_DIGITS = LOWER_DIGITS.toUpperCase();
const BECH32_UPPER = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L";
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

const ESC = "\x1b";

export const CORPUS_USER = "quillzoe";
export const CORPUS_HOST = "quill-devbox.corp.example";
export const CORPUS_HOME = `/home/${CORPUS_USER}`;
export const CORPUS_CWD = `${CORPUS_HOME}/acme-stealth-project`;

export const CORPUS_ENV: Readonly<Record<string, string>> = {
  MY_SERVICE_PASSWORD: "tr0ub4dor-and-3-horses",
  SESSION_SECRET: "keyboard-cat-0xdeadbeef",
  DATABASE_URL: "postgres://app:pgpass-hunter2@db.internal.example:5432/prod",
  SENTRY_DSN: "https://f00dfeedcafe@o123.ingest.example.io/42",
  CI_DEPLOY_KEY: fakeToken("", 32, 11),
  // Names that only whole-word or suffix rules see as secret.
  DB_PASS: "lavender-otter-93",
  SMTP_PASS: "quietHarbor2024",
  GPG_PASSPHRASE: "moss grows quietly",
  STRIPE_SK: "granite-lantern-51",
  // Values that need care: digits only, a trailing newline, quotes, JSON and URL metacharacters.
  NUMERIC_SECRET: "839201746",
  DEPLOY_TOKEN: "nlvalue-deploy-9913\n",
  WEBHOOK_SECRET: `"'quotedval-whsec-55'"`,
  JSON_PASSWORD: 'pa"ss\\wd-7781',
  SIGNING_SECRET: "ab/cd+ef=gh-1234",
  // Personal access tokens, a wallet's words, a PIN, a salt, a one-time-code seed, a webhook.
  GITHUB_PAT: "patvalue-hollyhock-4410",
  AZURE_DEVOPS_EXT_PAT: fakeFrom(BASE32_LOWER, 52, 73),
  WALLET_MNEMONIC: "gravel orbit mansion tulip vendor oyster fabric lunar",
  SEED_PHRASE: "acoustic bridge canyon dolphin eagle forest",
  ADMIN_PIN: "48213977",
  HMAC_SALT: "pepperSalt-ZZ81x",
  OTP_SEED: "JBSWY3DPEHPK3PXPQRT7MZ",
  ZAPIER_HOOK_URL: "https://hooks.zapier.com/hooks/catch/8812345/bq7zk1x/",
  // Replaced where it stands alone, never inside a longer word (`website-12`).
  PREVIEW_SECRET: "website-1",
  NODE_ENV: "production",
  HOME: CORPUS_HOME,
};

/** The machine the corpus pretends to run on. */
export const CORPUS_CONTEXT: RedactionContext = {
  homeDir: CORPUS_HOME,
  userName: CORPUS_USER,
  hostName: CORPUS_HOST,
  cwd: CORPUS_CWD,
  env: CORPUS_ENV,
};

const GITHUB = fakeToken("ghp_", 36, 1);
const AZURE_SECRET = `Xq7Q~${fakeToken("", 26, 70)}.${fakeToken("", 4, 71)}~${fakeToken("", 3, 72)}`;
const tokenCase = (label: string, planted: string, around = "request failed: "): PrivacyCase => ({
  label,
  planted,
  text: `${around}${planted} (status 401)`,
  keep: "(status 401)",
});

/** Redacted without any knowledge of the machine. */
export const GENERIC_CASES: readonly PrivacyCase[] = [
  tokenCase("github classic token", GITHUB),
  tokenCase("github oauth token", fakeToken("gho_", 36, 2)),
  tokenCase("github user-to-server token", fakeToken("ghu_", 36, 3)),
  tokenCase("github server-to-server token", fakeToken("ghs_", 36, 4)),
  tokenCase("github refresh token", fakeToken("ghr_", 36, 5)),
  tokenCase("github fine-grained token", fakeToken("github_pat_", 82, 6)),
  tokenCase("gitlab token", fakeToken("glpat-", 20, 7)),
  tokenCase("npm token", fakeToken("npm_", 36, 8)),
  tokenCase("aws access key id", `AKIA${fakeToken("", 16, 9).toUpperCase()}`),
  tokenCase("aws session key id", `ASIA${fakeToken("", 16, 10).toUpperCase()}`),
  tokenCase("stripe live secret", fakeToken("sk_" + "live_", 24, 12)),
  tokenCase("stripe test secret", fakeToken("sk_" + "test_", 24, 13)),
  tokenCase("stripe restricted key", fakeToken("rk_" + "live_", 24, 14)),
  tokenCase("stripe publishable key", fakeToken("pk_" + "live_", 24, 15)),
  tokenCase("stripe webhook secret", fakeToken("whsec_", 32, 16)),
  tokenCase("slack bot token", `xoxb-${fakeToken("", 12, 17)}-${fakeToken("", 24, 18)}`),
  tokenCase("slack user token", `xoxp-${fakeToken("", 12, 19)}-${fakeToken("", 24, 20)}`),
  tokenCase("slack app token", `xapp-1-${fakeToken("", 30, 21)}`),
  {
    label: "slack webhook",
    planted: `T0/B0/${fakeToken("", 24, 22)}`,
    text: `request failed: https://hooks.slack.com/services/T0/B0/${fakeToken("", 24, 22)} (status 401)`,
    keep: "(status 401)",
  },
  tokenCase("openai key", fakeToken("sk-proj-", 48, 23)),
  tokenCase("anthropic key", fakeToken("sk-ant-api03-", 60, 24)),
  tokenCase("google api key", fakeToken("AIza", 35, 25)),
  tokenCase("cloudflare api token", fakeToken("", 40, 26), "PUT /zones failed with token "),
  tokenCase("cloudflare bearer", fakeToken("", 40, 27), "Authorization header Bearer "),
  tokenCase("jwt", `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJxdWlsbHpvZSJ9.${fakeToken("", 43, 28)}`),
  tokenCase("e-mail address", "zoe.quill+alerts@example.org", "could not invite "),
  tokenCase("url-encoded e-mail", "zoe.quill%40example.org", "GET /invite?to="),
  {
    label: "authorization header",
    planted: "c2VjcmV0LXVzZXI6c2VjcmV0LXBhc3M",
    text: "headers: { Authorization: Basic c2VjcmV0LXVzZXI6c2VjcmV0LXBhc3M= }",
  },
  {
    label: "password pair",
    planted: "Sup3rS3cret!",
    text: "connect failed: password=Sup3rS3cret! host=db",
    keep: "password=[REDACTED:password] host=db",
  },
  { label: "token pair, colon", planted: "t0k3n-v4lue-xyz", text: "token: t0k3n-v4lue-xyz" },
  {
    label: "json password",
    planted: "hunter2-json",
    text: 'body {"user":"x","password":"hunter2-json"}',
    keep: '"password":"[REDACTED:password]"',
  },
  { label: "inspect object", planted: "cl13nt-s3cr3t", text: "{ client_secret: 'cl13nt-s3cr3t' }" },
  { label: "api_key pair", planted: "k3y-v4lu3-9", text: "GET /v1?api_key=k3y-v4lu3-9&page=2" },
  { label: "apikey pair", planted: "k3y-v4lu3-8", text: "apikey=k3y-v4lu3-8" },
  {
    label: "access_token query",
    planted: "acc3ss-t0k3n",
    text: "/cb?access_token=acc3ss-t0k3n&x=1",
  },
  { label: "passwd pair", planted: "pa55wd-v4l", text: "passwd=pa55wd-v4l" },
  { label: "pwd pair", planted: "pwd-v4l-77", text: "PGPWD=pwd-v4l-77" },
  { label: "secret pair", planted: "s3cr3t-v4l", text: "SECRET = s3cr3t-v4l" },
  {
    label: "aws secret access key",
    planted: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzzzEXAMPLE",
    text: "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzzzEXAMPLE",
  },
  {
    label: "cloudflare token pair",
    planted: "cf-tok-0123456789",
    text: "CLOUDFLARE_API_TOKEN=cf-tok-0123456789 wrangler deploy",
  },
  {
    label: "url credentials",
    planted: "pa55-in-url",
    text: "fetch https://deploy:pa55-in-url@git.example.com/org/repo.git failed",
    keep: "https://[REDACTED:credentials]@[REDACTED:host]/[REDACTED:repo].git failed",
  },
  {
    label: "ci token in remote",
    planted: "glcbt-remote-token",
    text: "remote: https://gitlab-ci-token:glcbt-remote-token@gitlab.example.com/g/p.git",
  },
  {
    label: "neon connection string",
    planted: "npg_n3onPa55",
    text: "connect postgresql://neondb_owner:npg_n3onPa55@ep-cool-1.neon.tech/neondb?sslmode=require",
    keep: "@ep-cool-1.neon.tech/neondb",
  },
  {
    label: "password query param",
    planted: "qp-pa55",
    text: "postgres://db.example/app?user=x&password=qp-pa55",
  },
  {
    label: "private key block",
    planted: "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
    text: "key:\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nabc\n-----END PRIVATE KEY-----\n",
  },
  {
    label: "truncated private key block",
    planted: "MIIEowIBAAKCAQEA",
    text: "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA",
  },
  {
    label: "another user's linux home",
    planted: "marrowbyte",
    text: "EACCES: permission denied, open '/home/marrowbyte/.npmrc'",
    keep: "~/.npmrc",
  },
  {
    label: "another user's home on a shared server",
    planted: "tamsinwolfe",
    text: "EACCES: permission denied, open '/home2/tamsinwolfe/.npmrc'",
    keep: "~/.npmrc",
  },
  {
    label: "another user's home on a NAS",
    planted: "tamsinwolfe",
    text: "at run (/volume1/homes/tamsinwolfe/app/index.js:1:1)",
    keep: "~/app/index.js:1:1",
  },
  {
    label: "another user's mac home",
    planted: "oskarvlad",
    text: "at run (/Users/oskarvlad/project/src/index.ts:12:5)",
    keep: "~/project/src/index.ts:12:5",
  },
  {
    label: "another user's windows home",
    planted: "Oskar.Vlad",
    text: "at run (C:\\Users\\Oskar.Vlad\\project\\src\\index.ts:12:5)",
    keep: "~\\project\\src\\index.ts:12:5",
  },
  // Terminal colours must not hide a secret from the rule that catches it.
  tokenCase("aws key id in bold", `AKIA${fakeToken("", 16, 41).toUpperCase()}`, `key ${ESC}[1m`),
  tokenCase("stripe key in red", fakeToken("sk_" + "live_", 24, 42), `using ${ESC}[31m`),
  tokenCase("gitlab token in bold", fakeToken("glpat-", 20, 43), `${ESC}[1m`),
  tokenCase("slack app token dimmed", `xapp-1-${fakeToken("", 20, 44)}`, `${ESC}[2m`),
  {
    label: "password pair with a bold key",
    planted: "Zx9Hq2LmN4vP",
    text: `${ESC}[1mpassword${ESC}[22m=Zx9Hq2LmN4vP`,
    keep: "password=[REDACTED:password]",
  },
  {
    label: "printed escape codes",
    planted: "Pr1ntedEsc4pe",
    text: String.raw`\u001b[1mpassword\u001b[22m: Pr1ntedEsc4pe`,
  },
  // Base64 secrets of no known format, standing alone.
  tokenCase(
    "aws secret access key",
    fakeBase64(40, 51),
    `invalid credentials AKIA${fakeToken("", 16, 52).toUpperCase()} `,
  ),
  tokenCase("azure account key", `${fakeBase64(86, 53)}==`, "storage key "),
  tokenCase("24-character token", fakeToken("", 24, 54), "Vercel API rejected "),
  tokenCase("azure devops PAT", fakeFrom(BASE32_LOWER, 52, 74), "TF400813: not authorized (PAT "),
  // Random runs of one case and digits, or of mixed case without a digit, and short hex.
  tokenCase("mailgun key", `key-${fakeFrom(LOWER_DIGITS, 32, 75)}`, "mailgun: 401 Forbidden for "),
  tokenCase("new relic key", `NRAK-${fakeFrom(UPPER_DIGITS, 27, 76)}`, "New Relic rejected "),
  tokenCase("upper-case key", fakeFrom(UPPER_DIGITS, 36, 77), "vultr: invalid API key "),
  tokenCase("age secret key", `AGE-SECRET-KEY-1${fakeFrom(BECH32_UPPER, 58, 78)}`, "age: "),
  tokenCase("ulid", `01J${fakeFrom(CROCKFORD, 23, 79)}`, "run "),
  tokenCase("lower-case key", fakeFrom(LOWER_DIGITS, 40, 80), "api rejected "),
  tokenCase("mixed-case key without a digit", "zpFYznVWJalOapESmKuqiDeC", "Vercel rejected "),
  tokenCase("30 hex digits", fakeHex(30, 81), "plaid: INVALID_API_KEYS secret "),
  // A zero-width character inside a token: what is left on either side is too short for a rule.
  {
    label: "aws key id with a zero-width space",
    planted: fakeToken("", 16, 96).toUpperCase(),
    text: `key AK\u200bIA${fakeToken("", 16, 96).toUpperCase()} rejected`,
  },
  // Addresses and account ids.
  tokenCase("ip after =", "84.17.233.41", "connect failed: host="),
  tokenCase("ip after ssh's user", "91.198.174.192", "deploy@"),
  tokenCase("ipv6", "2a02:8109:b6c0:3f00:9d4e:12ff:fe7a:4c21", "connect "),
  tokenCase("compressed ipv6", "2a02:8109:b6c0::4c21", "connect ["),
  {
    label: "ip in an ec2 host name",
    planted: "84-17-233-41",
    text: "ssh: connect to host ec2-84-17-233-41.eu-central-1.compute.amazonaws.com port 22",
    keep: "ec2-[REDACTED:ip].eu-central-1.compute.amazonaws.com port 22",
  },
  {
    label: "aws account in an arn",
    planted: "482913650172",
    text: "AccessDenied: User: arn:aws:sts::482913650172:assumed-role/deploy/ci is not authorized",
    keep: ":assumed-role/deploy/ci is not authorized",
  },
  {
    label: "aws account of a registry",
    planted: "482913650172",
    text: "push 482913650172.dkr.ecr.us-east-1.amazonaws.com/app:latest denied",
    keep: ".dkr.ecr.us-east-1.amazonaws.com/app:latest denied",
  },
  // Formats of particular issuers.
  tokenCase("docker access token", fakeToken("dckr_pat_", 27, 55), "login with "),
  tokenCase("databricks token", `dapi${fakeHex(32, 56)}`, "auth "),
  tokenCase("google oauth client secret", fakeToken("GOCSPX-", 28, 57), "client "),
  tokenCase("telegram bot token", `399615068:AA${fakeToken("", 33, 58)}`, "bot "),
  tokenCase("vault token", fakeToken("hvs.", 24, 59), "vault "),
  {
    label: "sendgrid key, both parts",
    planted: fakeToken("", 22, 60),
    text: `sendgrid SG.${fakeToken("", 22, 60)}.${fakeToken("", 43, 61)} rejected`,
  },
  {
    label: "url-encoded discord webhook",
    planted: "Ei54ESStJ4ypR8Uu",
    text: "POST /proxy?to=https%3A%2F%2Fdiscord.com%2Fapi%2Fwebhooks%2F1234567890%2FEi54ESStJ4ypR8UuJP3xMASj 502",
  },
  {
    label: "url-encoded slack webhook",
    planted: fakeToken("", 24, 62),
    text: `POST /proxy?target=https%3A%2F%2Fhooks.slack.com%2Fservices%2FT0UZSP2R3B%2FB0CMX7RG6XS%2F${fakeToken("", 24, 62)} 502`,
  },
  {
    label: "npm token wrapped over two lines",
    planted: fakeToken("", 19, 63),
    text: `token ${fakeToken("npm_", 18, 64)}\n${fakeToken("", 19, 63)} expired`,
  },
  {
    label: "putty private key",
    planted: fakeBase64(48, 65),
    text: `PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nPrivate-Lines: 1\n${fakeBase64(48, 65)}\n`,
  },
  {
    label: "jwt after an encoded space",
    planted: fakeToken("", 30, 66),
    text: `GET /cb?h=authorization%3A%20Bearer%20eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.${fakeToken("", 30, 66)}`,
  },
  // Entra ID (Azure AD) client secrets hold `~` and `.`, which the random-run rule does not read.
  tokenCase(
    "azure client secret",
    AZURE_SECRET,
    "AADSTS7000215: Invalid client secret provided. Ensure the secret is the value: ",
  ),
  {
    label: "azure client secret on a command line",
    planted: AZURE_SECRET.slice(5),
    text: `az login --service-principal -u 1f0c -p ${AZURE_SECRET} --tenant t`,
    keep: "--tenant t",
  },
  // Key/value pairs in every quoting: util.inspect, JSON, YAML, Ruby-style arrows.
  {
    label: "inspected header with a quoted key",
    planted: "Qm7vT2pLx9",
    text: "headers: { 'x-api-key': 'Qm7vT2pLx9', accept: '*/*' }",
    keep: "accept: '*/*'",
  },
  {
    label: "quoted password key",
    planted: "violet-Fjord-77x",
    text: "{ 'db-password': 'violet-Fjord-77x' }",
  },
  {
    label: "inspected Map",
    planted: "GjbgmN0d7O5o",
    text: "Map(1) { 'x-auth-token' => 'GjbgmN0d7O5o' }",
  },
  {
    label: "camelCase key name",
    planted: "encK3y-tIt4is",
    text: "{ encryptionKey: 'encK3y-tIt4is' }",
  },
  { label: "privateKey", planted: "pk-Uc9g0VCn", text: 'privateKey: "pk-Uc9g0VCn"' },
  { label: "masterKey", planted: "mk-mkx5XSiq", text: "masterKey=mk-mkx5XSiq" },
  { label: "accessKey in json", planted: "zJ3ea14pYf35", text: '{"accessKey":"zJ3ea14pYf35"}' },
  {
    label: "pass as a whole key",
    planted: "plumCakeJl0r",
    text: "login user=bob pass=plumCakeJl0r",
  },
  { label: "pw as a whole key", planted: "pwhOlh42K6", text: "pw: pwhOlh42K6" },
  {
    label: "spaced password runs to its end",
    planted: "horse Dv1EQk",
    text: "password: correct horse Dv1EQk",
    keep: "password: [REDACTED:password]",
  },
  {
    label: "a pair keeps its closing bracket",
    planted: "hunter22",
    text: "(password=hunter22) end",
    keep: "(password=[REDACTED:password]) end",
  },
  {
    label: "a token pair keeps its closing bracket and kind",
    planted: "npm_",
    text: `(token=${fakeToken("npm_", 36, 67)})`,
    keep: "(token=[REDACTED:npm-token])",
  },
  // Command lines.
  {
    label: "curl user and password",
    planted: "Tr1cky-cTg6yG",
    text: "Command failed: curl -u admin:Tr1cky-cTg6yG https://api.example.org",
    keep: "-u admin:[REDACTED:password]",
  },
  {
    label: "mysql attached password",
    planted: "S0lid1Xq9Ey",
    text: "Command failed: mysql -uroot -pS0lid1Xq9Ey -h db",
  },
  {
    label: "docker login password",
    planted: "Dock3rQ5qnnw",
    text: "Command failed: docker login -u bob -p Dock3rQ5qnnw registry.example.org",
  },
  {
    label: "quoted flag value",
    planted: "flag secret 9",
    text: `deploy --token "flag secret 9" --yes`,
  },
  // Connection strings and config files.
  {
    label: "odbc PWD",
    planted: "Fjord-Lattice-93",
    text: `SQLDriverConnect: Server=db.example.internal;UID=payroll;PWD=Fjord-Lattice-93;`,
    keep: "PWD=[REDACTED:password];",
  },
  {
    label: "snowflake PWD",
    planted: "Frost!Flake-2291",
    text: `[Snowflake][ODBC] Connection failed: DSN=prod;UID=ETL_USER;PWD=Frost!Flake-2291;WAREHOUSE=ETL_WH`,
    keep: ";WAREHOUSE=ETL_WH",
  },
  {
    label: "password holding a comma",
    planted: "Cobalt-8823",
    text: `connect failed: password=Plum,Cobalt-8823 host=db`,
    keep: "host=db",
  },
  {
    label: "password holding an ampersand",
    planted: "Cobalt-8824",
    text: `login?user=bob&password=Plum&Cobalt-8824&page=2`,
    keep: "&page=2",
  },
  {
    label: "password holding a semicolon",
    planted: "Cobalt-8825",
    text: `Password=Plum;Cobalt-8825;Database=x`,
    keep: ";Database=x",
  },
  {
    label: "connection string password holding a comma",
    planted: "Pool-4471",
    text: `Server=tcp:x.database.windows.net,1433;User ID=admin;Password=Tide,Pool-4471;Encrypt=True`,
    keep: ";Encrypt=True",
  },
  {
    label: "password holding a quote",
    planted: "Cinder-5530",
    text: `password=ab"Cinder-5530 rejected`,
  },
  {
    label: "password holding a <",
    planted: "Lark-6641",
    text: `password=Ember<Lark-6641 rejected`,
  },
  {
    label: "oracle easy connect",
    planted: "Tangerine-Oboe-6612",
    text: `ORA-01017: invalid username/password; sqlplus system/Tangerine-Oboe-6612@//db.example.internal:1521/ORCL`,
    keep: "system/[REDACTED:password]@//",
  },
  {
    label: "url-encoded dsn, host without a dot",
    planted: "Pw-Quartz-5514",
    text: `next=mysql%3A%2F%2Froot%3APw-Quartz-5514%40mysql%3A3306%2Fapp`,
    keep: "%40mysql%3A3306",
  },
  {
    label: "json-escaped dsn, host without a dot",
    planted: "Pw-Quartz-5515",
    text: String.raw`{"url":"mysql:\/\/root:Pw-Quartz-5515@mysql:3306\/app"}`,
  },
  {
    label: "dsn escaped twice",
    planted: "Pw-Quartz-5516",
    text: String.raw`{\"db\":\"postgres:\\/\\/app:Pw-Quartz-5516@pg:5432\\/x\"}`,
  },
  {
    label: "yarn npmAuthIdent",
    planted: "Yarn-Ident-5518",
    text: `npmAuthIdent: "bob:Yarn-Ident-5518"`,
  },
  {
    label: "netrc password",
    planted: "Netrc-Harbor-3319",
    text: `machine api.example.org login bob password Netrc-Harbor-3319`,
    keep: "login bob password [REDACTED:password]",
  },
  {
    label: "yaml value on the next line",
    planted: "Opal-Trellis-7714",
    text: `database:\n  password:\n    Opal-Trellis-7714\n  host: db\n`,
    keep: "\n  host: db",
  },
  {
    label: "yaml block scalar",
    planted: "Opal-Trellis-7715",
    text: `password: |\n  Opal-Trellis-7715\n`,
    keep: "password: |\n  [REDACTED:password]",
  },
  // Passwords on the command lines of common tools.
  {
    label: "keytool store password",
    planted: "Marigold-Store-5522",
    text: `Command failed: keytool -importcert -keystore app.jks -storepass Marigold-Store-5522 -keypass Marigold-Key-5523`,
  },
  {
    label: "keytool key password",
    planted: "Marigold-Key-5523",
    text: `Command failed: keytool -importcert -keystore app.jks -storepass Marigold-Store-5522 -keypass Marigold-Key-5523`,
  },
  {
    label: "sqlcmd password",
    planted: "Marigold-Sql-5524",
    text: `Command failed: sqlcmd -S db.example.internal -U sa -P Marigold-Sql-5524 -Q "SELECT 1"`,
  },
  {
    label: "az login password",
    planted: "Marigold-Az-5525",
    text: `Command failed: az login --service-principal -u 0f1e2d3c -p Marigold-Az-5525 --tenant t`,
  },
  {
    label: "zip password",
    planted: "Marigold-Zip-5526",
    text: `Command failed: zip -P Marigold-Zip-5526 -r backup.zip .`,
  },
  {
    label: "secret piped into wrangler",
    planted: "Marigold-Pipe-5527",
    text: `Command failed with exit code 1: echo Marigold-Pipe-5527 | wrangler secret put STRIPE_KEY`,
  },
  {
    label: "secret piped into docker login",
    planted: "crpat-Juniper-3390",
    text: `echo crpat-Juniper-3390 | docker login ghcr.io -u bob --password-stdin`,
  },
  {
    label: "gh secret body",
    planted: "Marigold-Body-5528",
    text: `Command failed: gh secret set DEPLOY_KEY --body Marigold-Body-5528`,
  },
  {
    label: "htpasswd batch password",
    planted: "Marigold-Ht-5529",
    text: `Command failed: htpasswd -b -c .htpasswd admin Marigold-Ht-5529`,
  },
  {
    label: "ssh-keygen passphrase",
    planted: "Marigold-Kg-5530",
    text: `Command failed: ssh-keygen -t ed25519 -N Marigold-Kg-5530 -f id_deploy`,
  },
  {
    label: "aws configure secret",
    planted: "Marigold-Aws-5531",
    text: `Command failed: aws configure set aws_secret_access_key Marigold-Aws-5531`,
  },
  {
    label: "npm config auth token",
    planted: "Marigold-Npm-5536",
    text: `Command failed: npm config set //npm.example.org/:_authToken Marigold-Npm-5536`,
  },
  // URLs and remotes.
  {
    label: "url password holding a slash",
    planted: "pa/ss@wo",
    text: "https://deployer:pa/ss@word@git.example.org/x",
  },
  {
    label: "git remote of a private host",
    planted: "secret-app",
    text: "fatal: git@git.acme-corp.example:team/secret-app.git not found",
    keep: ":[REDACTED:repo].git not found",
  },
  {
    label: "private host after ssh's git user",
    planted: "acme-corp",
    text: "git@git.acme-corp.example: Permission denied (publickey).",
    keep: "git@[REDACTED:host]: Permission denied",
  },
  tokenCase("token before a CDK hash", `${fakeToken("", 30, 94)}7F3A2B1C`, "stack "),
  {
    label: "private host in a git remote",
    planted: "acme-corp",
    text: "fetch https://git.acme-corp.example/team/secret-app.git failed",
  },
  // Other users' homes, in the rarer spellings.
  {
    label: "windows home escaped twice",
    planted: "Ptolemy.Ashgrove",
    text: String.raw`{"p":"C:\\\\Users\\\\Ptolemy.Ashgrove\\\\x"}`,
  },
  {
    label: "home url-encoded twice",
    planted: "corvinthale",
    text: "q=%252Fhome%252Fcorvinthale%252Fx",
  },
  {
    label: "mac home with a space",
    planted: "Brightwater",
    text: "open /Users/Nadia Brightwater/Library/x failed",
    keep: "~/Library/x",
  },
  {
    label: "wsl view of a windows home",
    planted: "Brightwater",
    text: "/mnt/c/Users/Nadia Brightwater/x",
  },
  {
    label: "windows xp profile",
    planted: "quintessa",
    text: String.raw`C:\Documents and Settings\quintessa\x`,
  },
  // E-mail addresses in any script and escaping.
  tokenCase("e-mail with a non-ascii domain", "zoe@müller.de", "invite "),
  {
    label: "e-mail with an escaped at",
    planted: "pixel.ramsey",
    text: String.raw`{"to":"pixel.ramsey\u0040example.com"}`,
  },
];

/** Need the corpus environment: values of secret-named variables planted in text. */
export const ENV_CASES: readonly PrivacyCase[] = [
  {
    label: "env password",
    planted: CORPUS_ENV.MY_SERVICE_PASSWORD ?? "",
    text: `auth with ${CORPUS_ENV.MY_SERVICE_PASSWORD ?? ""} failed`,
  },
  {
    label: "env session secret",
    planted: CORPUS_ENV.SESSION_SECRET ?? "",
    text: `signing key "${CORPUS_ENV.SESSION_SECRET ?? ""}" rejected`,
  },
  {
    label: "env database url",
    planted: "db.internal.example",
    text: `cannot reach ${CORPUS_ENV.DATABASE_URL ?? ""}`,
  },
  { label: "env dsn", planted: "f00dfeedcafe", text: `sentry init ${CORPUS_ENV.SENTRY_DSN ?? ""}` },
  {
    label: "env deploy key",
    planted: CORPUS_ENV.CI_DEPLOY_KEY ?? "",
    text: `deploy key ${CORPUS_ENV.CI_DEPLOY_KEY ?? ""} expired`,
  },
  { label: "env DB_PASS", planted: "lavender-otter-93", text: "using lavender-otter-93" },
  // After an escape the value still stands alone: the digit or letter before it ends the escape.
  {
    label: "env value after a JSON-escaped newline",
    planted: "lavender-otter-93",
    text: String.raw`{"log":"line1\nlavender-otter-93"}`,
  },
  { label: "env value after %20", planted: "lavender-otter-93", text: "q=a%20lavender-otter-93" },
  { label: "env value after %3D", planted: "lavender-otter-93", text: "x%3Dlavender-otter-93&y" },
  { label: "env value after %2F", planted: "lavender-otter-93", text: "x%2Flavender-otter-93" },
  {
    label: "env value after a printed unicode escape",
    planted: "lavender-otter-93",
    text: String.raw`"\u0020lavender-otter-93"`,
  },
  { label: "env SMTP_PASS", planted: "quietHarbor2024", text: "auth quietHarbor2024 rejected" },
  { label: "env *_PAT", planted: "patvalue-hollyhock-4410", text: "using patvalue-hollyhock-4410" },
  {
    label: "env azure devops PAT",
    planted: CORPUS_ENV.AZURE_DEVOPS_EXT_PAT ?? "",
    text: `TF400813: The user is not authorized (PAT ${CORPUS_ENV.AZURE_DEVOPS_EXT_PAT ?? ""})`,
  },
  {
    label: "env mnemonic",
    planted: "gravel orbit mansion tulip",
    text: `invalid mnemonic: ${CORPUS_ENV.WALLET_MNEMONIC ?? ""}`,
  },
  {
    label: "env seed phrase",
    planted: "acoustic bridge canyon",
    text: "bip39: acoustic bridge canyon dolphin eagle forest is invalid",
  },
  { label: "env PIN", planted: "48213977", text: "pin 48213977 locked" },
  { label: "env salt", planted: "pepperSalt-ZZ81x", text: "salt pepperSalt-ZZ81x too short" },
  {
    label: "env otp seed",
    planted: "JBSWY3DPEHPK3PXPQRT7MZ",
    text: "seed JBSWY3DPEHPK3PXPQRT7MZ bad",
  },
  {
    label: "env webhook url",
    planted: "8812345/bq7zk1x",
    text: `POST ${CORPUS_ENV.ZAPIER_HOOK_URL ?? ""} 410 Gone`,
  },
  { label: "env passphrase with spaces", planted: "moss grows", text: "gpg: moss grows quietly" },
  { label: "env STRIPE_SK", planted: "granite-lantern-51", text: "key granite-lantern-51" },
  { label: "env digits only", planted: "839201746", text: "pin 839201746 refused" },
  {
    label: "env value with a trailing newline",
    planted: "nlvalue-deploy-9913",
    text: "deploy with nlvalue-deploy-9913 failed",
  },
  {
    label: "env value set with quotes",
    planted: "quotedval-whsec-55",
    text: "secret quotedval-whsec-55 rejected",
  },
  {
    label: "env value json-escaped",
    planted: String.raw`ss\\wd-7781`,
    text: String.raw`body {"p":"pa\"ss\\wd-7781"}`,
  },
  {
    label: "env value url-encoded",
    planted: "ab%2Fcd%2Bef%3Dgh-1234",
    text: "GET /hook/ab%2Fcd%2Bef%3Dgh-1234",
  },
  {
    label: "env value in colour",
    planted: "lavender-otter",
    text: `${ESC}[1mlavender-otter-93${ESC}[22m`,
  },
  {
    label: "env value standing alone",
    // The survive cases hold `website-12`: what must go is the value where it stands alone.
    planted: "website-1 is live",
    text: "preview website-1 is live",
    keep: "preview [REDACTED:env:PREVIEW_SECRET] is live",
  },
];

/** Need the corpus machine: home directory, working directory, user name and hostname. */
export const MACHINE_CASES: readonly PrivacyCase[] = [
  {
    label: "home in a stack frame",
    planted: CORPUS_USER,
    text: `at main (${CORPUS_HOME}/project/src/index.ts:12:5)`,
    keep: "~/project/src/index.ts:12:5",
  },
  {
    label: "home as file url",
    planted: CORPUS_USER,
    text: `at main (file://${CORPUS_HOME}/project/src/index.ts:12:5)`,
    keep: "~/project/src/index.ts:12:5",
  },
  {
    label: "home url-encoded",
    planted: CORPUS_USER,
    text: `GET /open?path=%2Fhome%2F${CORPUS_USER}%2Fproject%2Fa.ts`,
    keep: "~%2Fproject%2Fa.ts",
  },
  {
    label: "cwd in a stack frame",
    planted: "acme-stealth-project",
    text: `at deploy (${CORPUS_CWD}/src/index.ts:12:5)`,
    keep: "<cwd>/src/index.ts:12:5",
  },
  {
    label: "cwd as file url",
    planted: "acme-stealth-project",
    text: `at deploy (file://${CORPUS_CWD}/alchemy.run.ts:3:1)`,
    keep: "<cwd>/alchemy.run.ts:3:1",
  },
  {
    label: "user name alone",
    planted: CORPUS_USER,
    text: `lock held by ${CORPUS_USER} since 10:00`,
  },
  { label: "user name in a path", planted: CORPUS_USER, text: `/tmp/${CORPUS_USER}/build/out.js` },
  {
    label: "user name in a resource name",
    planted: CORPUS_USER,
    text: `${CORPUS_USER}-dev-bucket`,
  },
  { label: "hostname", planted: CORPUS_HOST, text: `getaddrinfo ENOTFOUND ${CORPUS_HOST}` },
  { label: "short hostname", planted: "quill-devbox", text: "worker on quill-devbox stopped" },
  {
    label: "cwd written from home",
    planted: "acme-stealth-project",
    text: "at deploy (~/acme-stealth-project/src/x.ts:1:1)",
    keep: "<cwd>/src/x.ts:1:1",
  },
  {
    label: "cwd folder name alone",
    planted: "acme-stealth-project",
    text: "project acme-stealth-project failed",
  },
  {
    label: "cwd folder name in a relative path",
    planted: "acme-stealth-project",
    text: "../acme-stealth-project/x.ts",
  },
  {
    label: "user name glued to _",
    planted: CORPUS_USER,
    text: `bucket ${CORPUS_USER}_backups not found`,
  },
  { label: "user name glued to a digit", planted: CORPUS_USER, text: `db ${CORPUS_USER}2 missing` },
  {
    label: "user name before a capital",
    planted: CORPUS_USER,
    text: `stack ${CORPUS_USER}Staging failed`,
  },
  {
    label: "user name in colour",
    planted: CORPUS_USER,
    text: `owner ${ESC}[1m${CORPUS_USER}${ESC}[22m`,
  },
  { label: "hostname glued to _", planted: "quill-devbox", text: "cache quill-devbox_cache" },
  // After an escape that ends in a letter or digit: URL-encoded and JSON-escaped text.
  {
    label: "user name after %2F",
    planted: CORPUS_USER,
    text: `GET /dl?file=%2Ftmp%2F${CORPUS_USER}%2Freport.pdf 404`,
    keep: "%2F<user>%2Freport.pdf 404",
  },
  { label: "user name after %3A", planted: CORPUS_USER, text: `principal=host%3A${CORPUS_USER}` },
  {
    label: "user name after a printed newline",
    planted: CORPUS_USER,
    text: String.raw`{"log":"whoami\nquillzoe\n"}`,
  },
  {
    label: "user name after a printed tab",
    planted: CORPUS_USER,
    text: String.raw`{"row":"uid\tquillzoe"}`,
  },
  {
    label: "user name with a zero-width joiner",
    planted: "illzoe",
    text: `lock held by qu\u200dillzoe`,
  },
  {
    label: "hostname after %2F",
    planted: "quill-devbox",
    text: "url=http%3A%2F%2Fquill-devbox%3A3000%2F",
  },
  {
    label: "hostname in colour",
    planted: "quill-devbox",
    text: `on ${ESC}[36mquill-devbox${ESC}[39m`,
  },
];

/** Resource names a user might choose: the planted value glued into kebab-case and dotted names. */
export const RESOURCE_NAME_CASES: readonly PrivacyCase[] = [
  {
    label: "name with user",
    planted: CORPUS_USER,
    text: `website-${CORPUS_USER}-prod`,
    keep: "website-",
  },
  { label: "name with host", planted: "quill-devbox", text: "cache.quill-devbox" },
  { label: "name with e-mail", planted: "zoe@example.org", text: "invite-zoe@example.org" },
  { label: "name with github token", planted: GITHUB, text: `db-${GITHUB}` },
  { label: "name with npm token", planted: "npm_", text: `pkg_${fakeToken("npm_", 36, 31)}` },
  {
    label: "name with aws key",
    planted: "AKIAZZ",
    text: `bucket-AKIAZZ${fakeToken("", 14, 32).toUpperCase()}`,
  },
  { label: "name with slack token", planted: "xoxb-", text: `hook-xoxb-${fakeToken("", 24, 33)}` },
  { label: "name that is a token", planted: fakeToken("", 40, 34), text: fakeToken("", 40, 34) },
  {
    label: "name with env secret",
    planted: "tr0ub4dor",
    text: `site-${CORPUS_ENV.MY_SERVICE_PASSWORD ?? ""}`,
  },
  {
    label: "name with home",
    planted: CORPUS_USER,
    text: `${CORPUS_HOME}/sites/blog`,
    keep: "~/sites/blog",
  },
  {
    label: "name with cwd",
    planted: "acme-stealth",
    text: `${CORPUS_CWD}/worker`,
    keep: "<cwd>/worker",
  },
  {
    label: "name with cwd folder",
    planted: "acme-stealth",
    text: "acme-stealth-project-worker",
    keep: "-worker",
  },
  {
    label: "name with env secret of a short name",
    planted: "quietHarbor2024",
    text: "quietHarbor2024",
  },
  {
    label: "name with random token",
    planted: fakeToken("", 24, 68),
    text: `site-${fakeToken("", 24, 68)}`,
  },
];

/**
 * A second machine: the working directory is a package of a monorepo outside home, whose folders
 * above it (a client's name, the repository's) are chosen names too; one holds a non-ASCII letter.
 */
export const CORPUS_REPO = "/srv/clients/globex-secretco/m\u00fcller-payroll-9";
export const CORPUS_REPO_CWD = `${CORPUS_REPO}/packages/infra`;

export const REPO_CONTEXT: RedactionContext = {
  ...CORPUS_CONTEXT,
  cwd: CORPUS_REPO_CWD,
  repoRoot: CORPUS_REPO,
};

/** Need the repository machine: its root, the folders above the working directory. */
export const REPO_CASES: readonly PrivacyCase[] = [
  {
    label: "a dependency hoisted to the monorepo root",
    planted: "m\u00fcller-payroll-9",
    text: `at create (${CORPUS_REPO}/node_modules/fake-provider/index.mjs:1:34)`,
    keep: "<repo>/node_modules/fake-provider/index.mjs:1:34",
  },
  {
    label: "a sibling package",
    planted: "globex-secretco",
    text: `at build (${CORPUS_REPO}/packages/core/src/db.ts:10:3)`,
    keep: "<repo>/packages/core/src/db.ts:10:3",
  },
  {
    label: "a folder above the repository",
    planted: "globex-secretco",
    text: "EACCES: permission denied, mkdir '/srv/clients/globex-secretco/.cache'",
    keep: "/srv/clients/",
  },
  {
    label: "a relative path up to a folder above",
    planted: "globex-secretco",
    text: "Cannot find module '../../../globex-secretco/shared/x'",
    keep: "'../../../<dir>/shared/x'",
  },
  // Node prints the file URLs of ES modules percent-encoded (pathToFileURL).
  {
    label: "the cwd as an encoded file url",
    planted: "m%C3%BCller-payroll-9",
    text: `at boom (file://${encodeURI(CORPUS_REPO_CWD)}/src/boom.mjs:1:32)`,
    keep: "<cwd>/src/boom.mjs:1:32",
  },
  {
    label: "the monorepo root as an encoded file url",
    planted: "m%C3%BCller-payroll-9",
    text: `at create (file://${encodeURI(CORPUS_REPO)}/node_modules/x/index.mjs:1:34)`,
    keep: "<repo>/node_modules/x/index.mjs:1:34",
  },
  {
    label: "the repository's folder name encoded",
    planted: "m%C3%BCller-payroll-9",
    text: "GET /open?dir=m%C3%BCller-payroll-9 404",
    keep: " 404",
  },
  {
    label: "the repository's folder name alone",
    planted: "m\u00fcller-payroll-9",
    text: "workspace m\u00fcller-payroll-9 has no package named infra",
    keep: "has no package named infra",
  },
];

/** The monorepo's `.git/config`: its remotes name a private repository and a company's host. */
export const CORPUS_REMOTE_CONFIG = `[core]
\trepositoryformatversion = 0
[remote "origin"]
\turl = git@git.globex-secretco.example:payroll/ledger-core.git
[remote "github"]
\turl = https://deploy-bot:x@github.com/Globex-SecretCo/payroll-ledger.git
`;

/** Need the repository's config: its remotes' names, wherever an error spells them. */
export const REMOTE_CASES: readonly PrivacyCase[] = [
  {
    label: "git's not-found error names the repository",
    planted: "payroll-ledger",
    text: "fatal: repository 'https://github.com/globex-secretco/payroll-ledger/' not found",
    keep: "not found",
  },
  {
    label: "git push names the repository without .git",
    planted: "payroll-ledger",
    text: "To github.com:Globex-SecretCo/payroll-ledger\n ! [rejected] main -> main (fetch first)",
    keep: "[rejected] main -> main",
  },
  {
    label: "gh names it in quotes",
    planted: "payroll/ledger-core",
    text: "GraphQL: Could not resolve to a Repository with the name 'payroll/ledger-core'.",
    keep: "Could not resolve to a Repository",
  },
  {
    label: "the company's git host alone",
    planted: "git.globex-secretco.example",
    text: "ssh: Could not resolve hostname git.globex-secretco.example: Name or service not known",
    keep: "Name or service not known",
  },
];

/** Generic folders on the way to the working directory name no one: they stay readable. */
export const REPO_SURVIVE_CASES: readonly string[] = [
  "Cannot find package 'clients' imported from packages/infra",
  "srv and apps and src are fine",
];

export const ALL_CASES: readonly PrivacyCase[] = [...GENERIC_CASES, ...ENV_CASES, ...MACHINE_CASES];

/**
 * Texts that look like they might hold a secret and do not: each must come out unchanged on the
 * corpus machine. Over-redaction makes telemetry useless, and hides real bugs of the rules.
 */
export const SURVIVE_CASES: readonly string[] = [
  "Basic authentication is disabled",
  "token authentication required",
  "Bearer token missing",
  "author: Jane Doe",
  "tokenizer: unexpected input",
  "session: expired",
  "cookie: consent banner",
  "--no-auth flag given",
  "passwordless login: enabled",
  "password: required",
  "token_type: bearer",
  "secret_name: prod-db",
  "key: 'uploads/avatar.png'",
  "sortKey: 'user-42'",
  "KeyError: missing key: name",
  "token == null",
  "connect ECONNREFUSED 10.0.0.5:5432",
  "connect 192.168.1.20:80 refused",
  "route via 172.16.4.1 and 169.254.169.254",
  "listening on 0.0.0.0:8787 and 127.0.0.1:5432",
  "requires version 1.2.3.4",
  "resource prod-WebsiteBucket-eu-west-1-Primary-Store failed",
  "UserProfileImageUploadBucket2 created",
  "AbstractSingletonProxyFactoryBean2",
  "IAmRoleForGitHubActionsOIDC2024 attached",
  "preview website-12 is live",
  "server -p 8080 started",
  "docker run -u 1000:1000 node",
  "npm run dev failed with code 1",
  "deploy failed: api request returned 500",
  "GET /api/users 404",
  "Resource not found: website",
  "root commit",
  "cloudflare::Worker",
  "aws::SecretsManager::Secret",
  "cannot resolve @cloudflare/workers-types@4.20240909.0",
  "/usr/lib/node_modules/x/index.js:1:1",
  "Unexpected token } in JSON at position 5",
  "EACCES: permission denied, open 'package.json'",
  // Names of one case with digits, split by `-` or `_`, are not random however long.
  "pod api-server-7d4b9c8f6d-x2kqz crashed",
  "bucket prod-assets-eu-west-1-123456789012 exists",
  "instance i-0abc123def4567890 in subnet subnet-0a1b2c3d4e5f6a7b8",
  "lambda prod-api-handler-abc123def456ghi timed out",
  "ERR_REQUIRE_ESM2024_NOT_SUPPORTED",
  "py3-none-manylinux2014_x86_64.whl",
  "AWSCloudFormationStackSetAdministrationRole",
  "OrderProcessingQueueDeadLetterQueue",
  "commit 3f9a1c7 not found",
  // Flags and commands that take no secret.
  "scp -P 2222 dist.tgz host:/srv",
  "mysql -P 3306 -h db -u app",
  "ssh -N -L 8080:localhost:80 bastion",
  'ssh-keygen -t ed25519 -N "" -f id_deploy',
  "echo done | tee build.log",
  "npm config set registry https://registry.npmjs.org/",
  "aws configure set region eu-west-1",
  'echo "$CF_TOKEN" | wrangler secret put CF_TOKEN',
  "htpasswd -c .htpasswd admin",
  // A working directory under `PWD`, a port and a path, a key line with nothing below it.
  "PWD=/srv/app OLDPWD=/srv/old",
  "GET /r?u=https%3A%2F%2Fexample.com%3A8080%2Fa%40b 302",
  "Error: invalid password:\n    at check (src/auth.ts:1:1)",
  // Sentences about a secret, not its value.
  "token: expired",
  "Authorization: denied",
  "Invalid token: expected string, received number",
  "Missing credentials: set CLOUDFLARE_API_TOKEN",
  "Error: Secret: already exists",
  "--token is deprecated, use --api-token",
  "PASSWORD_MIN_LENGTH=12",
  // Times, hex words, private and link-local addresses, versions, numbers: no address or account.
  "at 12:30:45 on 2024:01:15, beef:cafe:dead:2bad",
  "listen [::1]:8787 and [fe80::1%eth0]:80 and fd12:3456::1",
  "ip-10-0-0-5.ec2.internal ready",
  "cannot install pkg version=1.2.3.4 (>=1.2.3.4)",
  "arn:aws:s3:::my-bucket order 100200300400",
  // CloudFormation names, and ssh's git user at a public forge.
  "ProdApiGatewayDeploymentStage7F3A2B1C",
  "MyStackWebsiteBucketPolicyE10E3F4B",
  "prod-WebsiteBucket75C24D94-1A2B3C4D5E6F",
  "git@github.com: Permission denied (publickey).",
];
