/**
 * Local Secrets Manager endpoint for local mode.
 *
 * It speaks the awsJson1_1 protocol (`POST /` with `X-Amz-Target: secretsmanager.<Operation>`),
 * so the real `@aws-sdk/client-secrets-manager` client runs against it unchanged. Version stages
 * move the way Secrets Manager moves them. It accepts any credentials, checks no signatures and
 * binds only to a loopback address.
 *
 * Supported operations: CreateSecret, GetSecretValue, PutSecretValue, DescribeSecret,
 * UpdateSecretVersionStage, ListSecretVersionIds, ListSecrets, DeleteSecret, RestoreSecret,
 * TagResource, UntagResource and RotateSecret. Any other target gets UnknownOperationException.
 *
 * The state file, when set, contains secret values as plain JSON (mode 0600), so use it for
 * local test values only.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SecretsManagerServerOptions {
  /**
   * TCP port to listen on. 0 picks a free port.
   * @default 0
   */
  port?: number;
  /**
   * Loopback address to bind. Any other address is rejected.
   * @default '127.0.0.1'
   */
  host?: string;
  /** JSON file that keeps the secrets across restarts. Without it the state lives in memory. */
  stateFile?: string;
  /** Base URL of a loopback Lambda Invoke API, where RotateSecret invokes the rotation Lambda. */
  lambdaEndpoint?: string;
  /**
   * Region used in secret ARNs.
   * @default 'us-east-1'
   */
  region?: string;
  /**
   * Account id used in secret ARNs.
   * @default '000000000000'
   */
  accountId?: string;
  /**
   * Time limit for each rotation step's Lambda invocation, in milliseconds.
   * @default 60000
   */
  rotationStepTimeoutMs?: number;
  /**
   * Receives one structured entry per log event (rotation progress, internal errors).
   * Entries never contain secret values.
   * @default writes each entry as one JSON line to stderr
   */
  logger?: (entry: SecretsManagerLogEntry) => void;
}

export interface SecretsManagerLogEntry {
  level: 'info' | 'warn' | 'error';
  message: string;
  [field: string]: unknown;
}

export interface SecretsManagerServer {
  /** Base URL for the SDK's `endpoint` option, for example `http://127.0.0.1:45678`. */
  url: string;
  port: number;
  /** Stops accepting requests, drops open connections and writes the state file. */
  close(): Promise<void>;
}

const AWSCURRENT = 'AWSCURRENT';
const AWSPENDING = 'AWSPENDING';
const AWSPREVIOUS = 'AWSPREVIOUS';

const CONTENT_TYPE = 'application/x-amz-json-1.1';
const TARGET_PREFIX = 'secretsmanager.';
const MAX_REQUEST_BYTES = 1024 * 1024;
// Secrets Manager quotas: SecretString and SecretBinary up to 65,536 bytes, 100 versions per
// secret, 50 tags per secret, 20 staging labels per version.
const MAX_SECRET_VALUE_BYTES = 65_536;
const MAX_VERSIONS_PER_SECRET = 100;
const MAX_TAGS_PER_SECRET = 50;
const MAX_STAGES_PER_VERSION = 20;
const MAX_PAGE_SIZE = 100;
const DEFAULT_RECOVERY_WINDOW_DAYS = 30;
const DEFAULT_ROTATION_STEP_TIMEOUT_MS = 60_000;
const ROTATION_STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const STATE_FORMAT_VERSION = 1;

const SECRET_NAME_PATTERN = /^[A-Za-z0-9/_+=.@-]+$/;
const ARN_SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const LOOPBACK_HOSTS = new Set(['localhost', '::1', '[::1]']);

// ---------------------------------------------------------------------------------------------
// Stored state
// ---------------------------------------------------------------------------------------------

interface Tag {
  Key: string;
  Value: string;
}

interface RotationRules {
  AutomaticallyAfterDays?: number;
  Duration?: string;
  ScheduleExpression?: string;
}

interface SecretValue {
  secretString?: string;
  /** Base64, as the JSON protocol carries blobs. */
  secretBinary?: string;
}

interface SecretVersion extends SecretValue {
  versionId: string;
  stages: string[];
  /** Epoch milliseconds, like every date in the stored state. */
  createdDate: number;
  lastAccessedDate?: number;
}

interface RotationConfig {
  isEnabled: boolean;
  lambdaArn: string;
  rules?: RotationRules;
  configuredDate: number;
  lastRotatedDate?: number;
}

interface Secret {
  arn: string;
  name: string;
  description?: string;
  kmsKeyId?: string;
  tags: Tag[];
  /** In creation order. */
  versions: SecretVersion[];
  createdDate: number;
  lastChangedDate: number;
  lastAccessedDate?: number;
  rotation?: RotationConfig;
  /** Time of the DeleteSecret request. */
  deletedDate?: number;
  /** End of the recovery window, after which the secret is removed. */
  deletionDate?: number;
}

interface StateFile {
  formatVersion: number;
  secrets: Secret[];
}

// ---------------------------------------------------------------------------------------------
// Errors and input checks
// ---------------------------------------------------------------------------------------------

type ErrorType =
  | 'InternalServiceError'
  | 'InvalidNextTokenException'
  | 'InvalidParameterException'
  | 'InvalidRequestException'
  | 'LimitExceededException'
  | 'ResourceExistsException'
  | 'ResourceNotFoundException'
  | 'SerializationException'
  | 'UnknownOperationException'
  | 'ValidationException';

/** An error sent to the client as `{"__type": type, "message": message}`. */
class SecretsManagerError extends Error {
  constructor(
    readonly type: ErrorType,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = type;
  }
}

type Input = Record<string, unknown>;

function toFieldName(member: string): string {
  return member.charAt(0).toLowerCase() + member.slice(1);
}

/**
 * Builds the ValidationException that AWS returns for a model constraint. The message omits the
 * value, which may be a secret.
 */
function constraintError(member: string, constraint: string): SecretsManagerError {
  return new SecretsManagerError(
    'ValidationException',
    `1 validation error detected: Value at '${toFieldName(member)}' failed to satisfy constraint: ${constraint}`,
  );
}

function typeError(member: string, expected: string): SecretsManagerError {
  return new SecretsManagerError(
    'SerializationException',
    `Invalid value for ${member}: expected ${expected}.`,
  );
}

interface LengthLimits {
  min?: number;
  max?: number;
}

function checkLength(member: string, length: number, limits: LengthLimits): void {
  if (limits.min !== undefined && length < limits.min) {
    throw constraintError(member, `Member must have length greater than or equal to ${limits.min}`);
  }
  if (limits.max !== undefined && length > limits.max) {
    throw constraintError(member, `Member must have length less than or equal to ${limits.max}`);
  }
}

function readOptionalString(
  input: Input,
  member: string,
  limits: LengthLimits = {},
): string | undefined {
  const value = input[member];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw typeError(member, 'a string');
  }
  checkLength(member, value.length, limits);
  return value;
}

function readRequiredString(input: Input, member: string, limits: LengthLimits = {}): string {
  const value = readOptionalString(input, member, limits);
  if (value === undefined) {
    throw constraintError(member, 'Member must not be null');
  }
  return value;
}

function readOptionalInteger(input: Input, member: string): number | undefined {
  const value = input[member];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw typeError(member, 'an integer');
  }
  return value;
}

function readOptionalBoolean(input: Input, member: string): boolean | undefined {
  const value = input[member];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'boolean') {
    throw typeError(member, 'a boolean');
  }
  return value;
}

function readOptionalObject(input: Input, member: string): Input | undefined {
  const value = input[member];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw typeError(member, 'an object');
  }
  return value as Input;
}

function readOptionalArray(input: Input, member: string): unknown[] | undefined {
  const value = input[member];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (!Array.isArray(value)) {
    throw typeError(member, 'a list');
  }
  return value;
}

function readOptionalStringList(
  input: Input,
  member: string,
  itemLimits: LengthLimits,
): string[] | undefined {
  const items = readOptionalArray(input, member);
  if (items === undefined) {
    return undefined;
  }
  return items.map((item) => {
    if (typeof item !== 'string') {
      throw typeError(`${member} item`, 'a string');
    }
    checkLength(`${member} item`, item.length, itemLimits);
    return item;
  });
}

function readClientRequestToken(input: Input): string | undefined {
  return readOptionalString(input, 'ClientRequestToken', { min: 32, max: 64 });
}

function readVersionStages(input: Input): string[] | undefined {
  const stages = readOptionalStringList(input, 'VersionStages', { min: 1, max: 256 });
  if (stages !== undefined) {
    checkLength('VersionStages', stages.length, { min: 1, max: MAX_STAGES_PER_VERSION });
  }
  return stages === undefined ? undefined : [...new Set(stages)];
}

/** Reads SecretString or SecretBinary, or returns undefined when the request has neither. */
function readSecretValue(input: Input): SecretValue | undefined {
  const secretString = readOptionalString(input, 'SecretString', { max: MAX_SECRET_VALUE_BYTES });
  const secretBinary = readOptionalString(input, 'SecretBinary');
  if (secretString !== undefined && secretBinary !== undefined) {
    throw new SecretsManagerError(
      'InvalidParameterException',
      "You can't specify both a binary secret value and a string secret value in the same secret.",
    );
  }
  if (secretBinary !== undefined) {
    const bytes = Buffer.from(secretBinary, 'base64');
    // Buffer.from skips characters outside the alphabet, so a round trip detects malformed input.
    if (bytes.toString('base64').replace(/=+$/, '') !== secretBinary.replace(/=+$/, '')) {
      throw typeError('SecretBinary', 'base64-encoded bytes');
    }
    checkLength('SecretBinary', bytes.length, { min: 1, max: MAX_SECRET_VALUE_BYTES });
    return { secretBinary };
  }
  if (secretString !== undefined) {
    if (Buffer.byteLength(secretString, 'utf8') > MAX_SECRET_VALUE_BYTES) {
      throw constraintError(
        'SecretString',
        `Member must have length less than or equal to ${MAX_SECRET_VALUE_BYTES}`,
      );
    }
    return { secretString };
  }
  return undefined;
}

function readTags(input: Input, member: string): Tag[] | undefined {
  const items = readOptionalArray(input, member);
  if (items === undefined) {
    return undefined;
  }
  return items.map((item) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw typeError(`${member} item`, 'an object with Key and Value');
    }
    const tag = item as Input;
    const key = readRequiredString(tag, 'Key', { min: 1, max: 128 });
    const value = readOptionalString(tag, 'Value', { max: 256 }) ?? '';
    return { Key: key, Value: value };
  });
}

function readPageSize(input: Input): number {
  const maxResults = readOptionalInteger(input, 'MaxResults');
  if (maxResults === undefined) {
    return MAX_PAGE_SIZE;
  }
  if (maxResults < 1) {
    throw constraintError('MaxResults', 'Member must have value greater than or equal to 1');
  }
  if (maxResults > MAX_PAGE_SIZE) {
    throw constraintError(
      'MaxResults',
      `Member must have value less than or equal to ${MAX_PAGE_SIZE}`,
    );
  }
  return maxResults;
}

/** Returns one page of items and the NextToken for the rest. NextToken is an opaque offset. */
function paginate<T>(items: T[], input: Input): { page: T[]; nextToken?: string } {
  const pageSize = readPageSize(input);
  const nextToken = readOptionalString(input, 'NextToken', { min: 1, max: 4096 });
  let offset = 0;
  if (nextToken !== undefined) {
    try {
      const decoded: unknown = JSON.parse(Buffer.from(nextToken, 'base64url').toString('utf8'));
      offset = (decoded as { offset: number }).offset;
    } catch {
      offset = Number.NaN;
    }
    if (!Number.isInteger(offset) || offset < 0) {
      throw new SecretsManagerError('InvalidNextTokenException', 'The NextToken value is invalid.');
    }
  }
  const end = offset + pageSize;
  const page = items.slice(offset, end);
  if (end >= items.length) {
    return { page };
  }
  return { page, nextToken: Buffer.from(JSON.stringify({ offset: end })).toString('base64url') };
}

// ---------------------------------------------------------------------------------------------
// Rotation rules
// ---------------------------------------------------------------------------------------------

const RATE_EXPRESSION = /^rate\((\d+) (hours?|days?)\)$/;
const CRON_EXPRESSION = /^cron\(.+\)$/;

function invalidRules(message: string): SecretsManagerError {
  return new SecretsManagerError('InvalidParameterException', message);
}

function readRotationRules(input: Input): RotationRules | undefined {
  const raw = readOptionalObject(input, 'RotationRules');
  if (raw === undefined) {
    return undefined;
  }
  const days = readOptionalInteger(raw, 'AutomaticallyAfterDays');
  const duration = readOptionalString(raw, 'Duration', { min: 2, max: 3 });
  const expression = readOptionalString(raw, 'ScheduleExpression', { min: 1, max: 256 });

  if (days !== undefined && expression !== undefined) {
    throw invalidRules(
      "You can't specify both AutomaticallyAfterDays and ScheduleExpression in RotationRules.",
    );
  }
  if (days !== undefined && (days < 1 || days > 1000)) {
    throw invalidRules(
      `RotationRules.AutomaticallyAfterDays is ${days}, but it must be between 1 and 1000.`,
    );
  }
  if (expression !== undefined) {
    checkScheduleExpression(expression);
  }
  if (duration !== undefined && !/^([1-9]|1\d|2[0-4])h$/.test(duration)) {
    throw invalidRules(
      `RotationRules.Duration "${duration}" is invalid. Use a number of hours from 1h to 24h.`,
    );
  }

  const rules: RotationRules = {};
  if (days !== undefined) rules.AutomaticallyAfterDays = days;
  if (duration !== undefined) rules.Duration = duration;
  if (expression !== undefined) rules.ScheduleExpression = expression;
  return rules;
}

function checkScheduleExpression(expression: string): void {
  if (CRON_EXPRESSION.test(expression)) {
    return;
  }
  const rate = RATE_EXPRESSION.exec(expression);
  if (rate === null) {
    throw invalidRules(
      `RotationRules.ScheduleExpression "${expression}" is invalid. Use rate(N hours), rate(N days) or cron(...).`,
    );
  }
  const amount = Number(rate[1]);
  const isHours = rate[2]?.startsWith('hour') ?? false;
  // Secrets Manager rotates at most every four hours and accepts intervals up to 1000 days.
  if (isHours ? amount < 4 || amount > 24_000 : amount < 1 || amount > 1000) {
    throw invalidRules(
      `RotationRules.ScheduleExpression "${expression}" is out of range. Rotation can run at most every 4 hours and at least every 1000 days.`,
    );
  }
}

/**
 * Returns the rotation interval, or undefined for cron schedules.
 * NOTE: cron schedules get no NextRotationDate here because this endpoint does not evaluate cron.
 */
function getRotationIntervalMs(rules: RotationRules | undefined): number | undefined {
  if (rules?.AutomaticallyAfterDays !== undefined) {
    return rules.AutomaticallyAfterDays * DAY_MS;
  }
  const rate = rules?.ScheduleExpression ? RATE_EXPRESSION.exec(rules.ScheduleExpression) : null;
  if (!rate) {
    return undefined;
  }
  return Number(rate[1]) * (rate[2]?.startsWith('hour') ? HOUR_MS : DAY_MS);
}

/**
 * Estimates the next rotation as the last rotation (or the time rotation was configured) plus
 * the interval. Secrets Manager also aligns it to the rotation window, which this ignores.
 */
function estimateNextRotationDate(rotation: RotationConfig): number | undefined {
  const interval = getRotationIntervalMs(rotation.rules);
  if (!rotation.isEnabled || interval === undefined) {
    return undefined;
  }
  return (rotation.lastRotatedDate ?? rotation.configuredDate) + interval;
}

// ---------------------------------------------------------------------------------------------
// Store
// ---------------------------------------------------------------------------------------------

/** All secrets, with lookups by id and optional persistence to a JSON file. */
class SecretStore {
  private secrets: Secret[] = [];
  private hasUnsavedChanges = false;

  constructor(private readonly stateFile: string | undefined) {}

  load(): void {
    if (this.stateFile === undefined || !existsSync(this.stateFile)) {
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(this.stateFile, 'utf8'));
    } catch (error) {
      throw new Error(`State file ${this.stateFile} is not valid JSON. Fix or delete it.`, {
        cause: error,
      });
    }
    const state = parsed as Partial<StateFile> | null;
    if (state?.formatVersion !== STATE_FORMAT_VERSION || !Array.isArray(state.secrets)) {
      throw new Error(
        `State file ${this.stateFile} has an unknown format (expected formatVersion ${STATE_FORMAT_VERSION}). Delete it to start empty.`,
      );
    }
    this.secrets = state.secrets;
  }

  /** Writes the state file if anything changed, through a rename so a crash never leaves half a file. */
  flush(): void {
    if (this.stateFile === undefined || !this.hasUnsavedChanges) {
      return;
    }
    const state: StateFile = { formatVersion: STATE_FORMAT_VERSION, secrets: this.secrets };
    const temporaryFile = `${this.stateFile}.${process.pid}.tmp`;
    writeFileSync(temporaryFile, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporaryFile, this.stateFile);
    this.hasUnsavedChanges = false;
  }

  markChanged(): void {
    this.hasUnsavedChanges = true;
  }

  list(): Secret[] {
    return this.secrets;
  }

  add(secret: Secret): void {
    this.secrets.push(secret);
    this.markChanged();
  }

  remove(secret: Secret): void {
    this.secrets = this.secrets.filter((candidate) => candidate !== secret);
    this.markChanged();
  }

  findByName(name: string): Secret | undefined {
    return this.secrets.find((secret) => secret.name === name);
  }

  /** Finds a secret by name, full ARN, or partial ARN (the ARN without its 6-character suffix). */
  find(secretId: string): Secret | undefined {
    // Secret names cannot contain ':', so an id starting with "arn:" is always an ARN.
    if (!secretId.startsWith('arn:')) {
      return this.findByName(secretId);
    }
    return this.secrets.find(
      (secret) => secret.arn === secretId || secret.arn.slice(0, -7) === secretId,
    );
  }

  /** Removes secrets whose recovery window has ended, as Secrets Manager does in the background. */
  purgeExpired(now: number): void {
    const remaining = this.secrets.filter(
      (secret) => secret.deletionDate === undefined || secret.deletionDate > now,
    );
    if (remaining.length !== this.secrets.length) {
      this.secrets = remaining;
      this.markChanged();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Secret and version helpers
// ---------------------------------------------------------------------------------------------

function secretNotFound(secretId: string): SecretsManagerError {
  return new SecretsManagerError(
    'ResourceNotFoundException',
    `Secrets Manager can't find the specified secret: ${secretId}`,
  );
}

/** Finds a secret, including one scheduled for deletion. */
function requireSecret(store: SecretStore, input: Input): Secret {
  const secretId = readRequiredString(input, 'SecretId', { min: 1, max: 2048 });
  const secret = store.find(secretId);
  if (secret === undefined) {
    throw secretNotFound(secretId);
  }
  return secret;
}

/**
 * Finds a secret that is not scheduled for deletion, because Secrets Manager rejects most
 * operations on those.
 */
function requireActiveSecret(store: SecretStore, input: Input): Secret {
  const secret = requireSecret(store, input);
  if (secret.deletedDate !== undefined) {
    throw new SecretsManagerError(
      'InvalidRequestException',
      "You can't perform this operation on the secret because it was marked for deletion.",
    );
  }
  return secret;
}

function findVersion(secret: Secret, versionId: string): SecretVersion | undefined {
  return secret.versions.find((version) => version.versionId === versionId);
}

function findVersionByStage(secret: Secret, stage: string): SecretVersion | undefined {
  return secret.versions.find((version) => version.stages.includes(stage));
}

function hasValue(version: SecretVersion): boolean {
  return version.secretString !== undefined || version.secretBinary !== undefined;
}

function hasSameValue(version: SecretVersion, value: SecretValue): boolean {
  return version.secretString === value.secretString && version.secretBinary === value.secretBinary;
}

function removeStage(version: SecretVersion, stage: string): void {
  version.stages = version.stages.filter((candidate) => candidate !== stage);
}

/**
 * Attaches a staging label to a version. A label belongs to one version at a time, so it leaves
 * its previous holder. Moving AWSCURRENT also moves AWSPREVIOUS to the version that lost
 * AWSCURRENT.
 */
function attachStage(secret: Secret, version: SecretVersion, stage: string): void {
  const previousHolder = secret.versions.find(
    (candidate) => candidate !== version && candidate.stages.includes(stage),
  );
  if (previousHolder !== undefined) {
    removeStage(previousHolder, stage);
  }
  if (!version.stages.includes(stage)) {
    if (version.stages.length >= MAX_STAGES_PER_VERSION) {
      throw new SecretsManagerError(
        'LimitExceededException',
        `Version ${version.versionId} already has ${MAX_STAGES_PER_VERSION} staging labels, the maximum.`,
      );
    }
    version.stages.push(stage);
  }
  if (stage !== AWSCURRENT) {
    return;
  }
  removeStage(version, AWSPREVIOUS);
  if (previousHolder !== undefined) {
    for (const candidate of secret.versions) {
      removeStage(candidate, AWSPREVIOUS);
    }
    previousHolder.stages.push(AWSPREVIOUS);
  }
}

/**
 * Appends an empty version. When the secret already has the maximum number of versions, the
 * oldest version without staging labels is dropped first.
 * NOTE: Secrets Manager deletes unlabelled versions on its own schedule, but this endpoint
 * deletes them only when a new version needs the room.
 */
function addVersion(secret: Secret, versionId: string, now: number): SecretVersion {
  if (secret.versions.length >= MAX_VERSIONS_PER_SECRET) {
    const index = secret.versions.findIndex((version) => version.stages.length === 0);
    if (index === -1) {
      throw new SecretsManagerError(
        'LimitExceededException',
        `Secret ${secret.name} has ${MAX_VERSIONS_PER_SECRET} versions that all carry staging labels. Remove labels from old versions with UpdateSecretVersionStage.`,
      );
    }
    secret.versions.splice(index, 1);
  }
  const version: SecretVersion = { versionId, stages: [], createdDate: now };
  secret.versions.push(version);
  return version;
}

function buildArn(context: OperationContext, name: string): string {
  let suffix = '';
  for (let index = 0; index < 6; index += 1) {
    suffix += ARN_SUFFIX_ALPHABET[randomInt(ARN_SUFFIX_ALPHABET.length)];
  }
  return `arn:aws:secretsmanager:${context.region}:${context.accountId}:secret:${name}-${suffix}`;
}

/** Converts stored epoch milliseconds to the epoch seconds that the JSON protocol uses. */
function toEpochSeconds(milliseconds: number | undefined): number | undefined {
  return milliseconds === undefined ? undefined : milliseconds / 1000;
}

/** LastAccessedDate has day resolution in Secrets Manager. */
function startOfDay(milliseconds: number): number {
  return Math.floor(milliseconds / DAY_MS) * DAY_MS;
}

function mapVersionsToStages(secret: Secret): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const version of secret.versions) {
    if (version.stages.length > 0) {
      map[version.versionId] = [...version.stages];
    }
  }
  return map;
}

/** Builds the fields that DescribeSecret and ListSecrets share. */
function describeFields(secret: Secret): Record<string, unknown> {
  const rotation = secret.rotation;
  return {
    ARN: secret.arn,
    Name: secret.name,
    Description: secret.description,
    // Omitted for the default key aws/secretsmanager, as Secrets Manager does.
    KmsKeyId: secret.kmsKeyId,
    // Rotation fields appear only once rotation has been configured.
    RotationEnabled: rotation?.isEnabled,
    RotationLambdaARN: rotation?.lambdaArn,
    RotationRules: rotation?.rules,
    LastRotatedDate: toEpochSeconds(rotation?.lastRotatedDate),
    NextRotationDate: toEpochSeconds(rotation ? estimateNextRotationDate(rotation) : undefined),
    LastChangedDate: toEpochSeconds(secret.lastChangedDate),
    LastAccessedDate: toEpochSeconds(secret.lastAccessedDate),
    DeletedDate: toEpochSeconds(secret.deletedDate),
    Tags: secret.tags.length > 0 ? secret.tags : undefined,
    CreatedDate: toEpochSeconds(secret.createdDate),
  };
}

// ---------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------

interface OperationContext {
  store: SecretStore;
  region: string;
  accountId: string;
  lambdaEndpoint?: string;
  rotationStepTimeoutMs: number;
  log: (entry: SecretsManagerLogEntry) => void;
  now: number;
}

type Operation = (context: OperationContext, input: Input) => unknown;

function createSecret(context: OperationContext, input: Input): unknown {
  const { store, now } = context;
  const name = readRequiredString(input, 'Name', { min: 1, max: 512 });
  if (!SECRET_NAME_PATTERN.test(name)) {
    throw new SecretsManagerError(
      'InvalidParameterException',
      `Invalid secret name "${name}". A name may contain only ASCII letters, digits and the characters /_+=.@-`,
    );
  }
  const token = readClientRequestToken(input) ?? randomUUID();
  const value = readSecretValue(input);
  const description = readOptionalString(input, 'Description', { max: 2048 });
  const kmsKeyId = readOptionalString(input, 'KmsKeyId', { max: 2048 });
  const tags = mergeTags([], readTags(input, 'Tags') ?? []);
  const replicaRegions = readOptionalArray(input, 'AddReplicaRegions');
  if (replicaRegions !== undefined && replicaRegions.length > 0) {
    throw new SecretsManagerError(
      'InvalidRequestException',
      'This local Secrets Manager endpoint does not support replica Regions; omit AddReplicaRegions.',
    );
  }

  const existing = store.findByName(name);
  if (existing !== undefined) {
    if (existing.deletedDate !== undefined) {
      throw new SecretsManagerError(
        'InvalidRequestException',
        `You can't create secret ${name} because a secret with this name is already scheduled for deletion. Restore it with RestoreSecret or delete it with ForceDeleteWithoutRecovery.`,
      );
    }
    // A retried CreateSecret carries the same ClientRequestToken. Secrets Manager ignores a
    // repeat with the same value and rejects a changed value, as for PutSecretValue.
    const retriedVersion = value === undefined ? undefined : findVersion(existing, token);
    if (retriedVersion !== undefined && value !== undefined) {
      if (!hasSameValue(retriedVersion, value)) {
        throw cannotModifyVersion();
      }
      return { ARN: existing.arn, Name: existing.name, VersionId: retriedVersion.versionId };
    }
    throw new SecretsManagerError(
      'ResourceExistsException',
      `The operation failed because the secret ${name} already exists.`,
    );
  }

  const secret: Secret = {
    arn: buildArn(context, name),
    name,
    description,
    kmsKeyId,
    tags,
    versions: [],
    createdDate: now,
    lastChangedDate: now,
  };
  if (value !== undefined) {
    const version = addVersion(secret, token, now);
    Object.assign(version, value);
    version.stages.push(AWSCURRENT);
  }
  store.add(secret);
  return {
    ARN: secret.arn,
    Name: secret.name,
    VersionId: value === undefined ? undefined : token,
  };
}

function cannotModifyVersion(): SecretsManagerError {
  return new SecretsManagerError(
    'ResourceExistsException',
    "You can't modify an existing version, you can only create a new version. Use a new ClientRequestToken.",
  );
}

function getSecretValue(context: OperationContext, input: Input): unknown {
  const secret = requireActiveSecret(context.store, input);
  const versionId = readOptionalString(input, 'VersionId', { min: 32, max: 64 });
  const versionStage = readOptionalString(input, 'VersionStage', { min: 1, max: 256 });

  let version: SecretVersion | undefined;
  if (versionId !== undefined) {
    version = findVersion(secret, versionId);
    if (version === undefined) {
      throw new SecretsManagerError(
        'ResourceNotFoundException',
        `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`,
      );
    }
    if (versionStage !== undefined && !version.stages.includes(versionStage)) {
      throw new SecretsManagerError(
        'InvalidRequestException',
        `You provided a VersionStage (${versionStage}) that is not associated to the provided VersionId (${versionId}).`,
      );
    }
  } else {
    const stage = versionStage ?? AWSCURRENT;
    version = findVersionByStage(secret, stage);
    if (version === undefined) {
      throw new SecretsManagerError(
        'ResourceNotFoundException',
        `Secrets Manager can't find the specified secret value for staging label: ${stage}`,
      );
    }
  }

  // The AWSPENDING version that RotateSecret creates has no value until the rotation Lambda's
  // createSecret step stores one. Until then Secrets Manager reports it as not found.
  if (!hasValue(version)) {
    throw new SecretsManagerError(
      'ResourceNotFoundException',
      `Secrets Manager can't find the specified secret value for VersionId: ${version.versionId}`,
    );
  }

  const accessedDay = startOfDay(context.now);
  if (secret.lastAccessedDate !== accessedDay || version.lastAccessedDate !== accessedDay) {
    secret.lastAccessedDate = accessedDay;
    version.lastAccessedDate = accessedDay;
    context.store.markChanged();
  }

  return {
    ARN: secret.arn,
    Name: secret.name,
    VersionId: version.versionId,
    SecretString: version.secretString,
    SecretBinary: version.secretBinary,
    VersionStages: [...version.stages],
    CreatedDate: toEpochSeconds(version.createdDate),
  };
}

function putSecretValue(context: OperationContext, input: Input): unknown {
  const { store, now } = context;
  const secret = requireActiveSecret(store, input);
  const token = readClientRequestToken(input) ?? randomUUID();
  const value = readSecretValue(input);
  if (value === undefined) {
    throw new SecretsManagerError(
      'InvalidParameterException',
      'PutSecretValue needs a value: set SecretString or SecretBinary.',
    );
  }
  const stages = readVersionStages(input) ?? [AWSCURRENT];

  const existing = findVersion(secret, token);
  if (existing !== undefined && hasValue(existing)) {
    // The same token with the same value is a retry, so Secrets Manager ignores it and moves no
    // labels.
    if (!hasSameValue(existing, value)) {
      throw cannotModifyVersion();
    }
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: existing.versionId,
      VersionStages: [...existing.stages],
    };
  }

  // An existing version without a value is the AWSPENDING version that RotateSecret created.
  // The rotation Lambda's createSecret step fills it in with this call.
  const version = existing ?? addVersion(secret, token, now);
  Object.assign(version, value);
  for (const stage of stages) {
    attachStage(secret, version, stage);
  }
  secret.lastChangedDate = now;
  store.markChanged();
  return {
    ARN: secret.arn,
    Name: secret.name,
    VersionId: version.versionId,
    VersionStages: [...version.stages],
  };
}

function describeSecret(context: OperationContext, input: Input): unknown {
  const secret = requireSecret(context.store, input);
  return { ...describeFields(secret), VersionIdsToStages: mapVersionsToStages(secret) };
}

function updateSecretVersionStage(context: OperationContext, input: Input): unknown {
  const { store, now } = context;
  const secret = requireActiveSecret(store, input);
  const stage = readRequiredString(input, 'VersionStage', { min: 1, max: 256 });
  const moveToVersionId = readOptionalString(input, 'MoveToVersionId', { min: 32, max: 64 });
  const removeFromVersionId = readOptionalString(input, 'RemoveFromVersionId', {
    min: 32,
    max: 64,
  });

  if (moveToVersionId === undefined && removeFromVersionId === undefined) {
    throw new SecretsManagerError(
      'InvalidParameterException',
      'Set MoveToVersionId to attach the staging label, RemoveFromVersionId to detach it, or both to move it.',
    );
  }
  const target = moveToVersionId === undefined ? undefined : findVersion(secret, moveToVersionId);
  if (moveToVersionId !== undefined && target === undefined) {
    throw new SecretsManagerError(
      'InvalidParameterException',
      `MoveToVersionId ${moveToVersionId} is not a version of secret ${secret.name}.`,
    );
  }
  if (removeFromVersionId !== undefined && !findVersion(secret, removeFromVersionId)) {
    throw new SecretsManagerError(
      'InvalidParameterException',
      `RemoveFromVersionId ${removeFromVersionId} is not a version of secret ${secret.name}.`,
    );
  }

  const holder = findVersionByStage(secret, stage);
  // A label attached elsewhere moves only when the caller names the version it leaves, so two
  // callers racing to move the same label cannot both succeed.
  if (holder !== undefined && holder !== target && removeFromVersionId !== holder.versionId) {
    if (removeFromVersionId === undefined) {
      throw new SecretsManagerError(
        'InvalidParameterException',
        `The parameter RemoveFromVersionId can't be empty. Staging label ${stage} is currently attached to version ${holder.versionId}, so you must explicitly reference that version in RemoveFromVersionId.`,
      );
    }
    throw new SecretsManagerError(
      'InvalidParameterException',
      `Staging label ${stage} is attached to version ${holder.versionId}, not to RemoveFromVersionId ${removeFromVersionId}.`,
    );
  }
  if (removeFromVersionId !== undefined && holder?.versionId !== removeFromVersionId) {
    throw new SecretsManagerError(
      'InvalidParameterException',
      `Staging label ${stage} is not attached to RemoveFromVersionId ${removeFromVersionId}.`,
    );
  }
  // NOTE: Secrets Manager's reply to detaching AWSCURRENT without a new holder is undocumented.
  // This endpoint rejects it so a secret with versions always has a current version.
  if (stage === AWSCURRENT && target === undefined) {
    throw new SecretsManagerError(
      'InvalidParameterException',
      'AWSCURRENT cannot be removed without moving it. Set MoveToVersionId to the new current version.',
    );
  }

  if (target !== undefined) {
    attachStage(secret, target, stage);
  } else if (holder !== undefined) {
    removeStage(holder, stage);
  }
  secret.lastChangedDate = now;
  store.markChanged();
  return { ARN: secret.arn, Name: secret.name };
}

function listSecretVersionIds(context: OperationContext, input: Input): unknown {
  const secret = requireSecret(context.store, input);
  const includeDeprecated = readOptionalBoolean(input, 'IncludeDeprecated') ?? false;
  const versions = secret.versions.filter(
    (version) => includeDeprecated || version.stages.length > 0,
  );
  const { page, nextToken } = paginate(versions, input);
  return {
    ARN: secret.arn,
    Name: secret.name,
    NextToken: nextToken,
    Versions: page.map((version) => ({
      VersionId: version.versionId,
      VersionStages: [...version.stages],
      CreatedDate: toEpochSeconds(version.createdDate),
      LastAccessedDate: toEpochSeconds(version.lastAccessedDate),
      // Secrets Manager reports the AWS managed key as "DefaultEncryptionKey".
      KmsKeyIds: [secret.kmsKeyId ?? 'DefaultEncryptionKey'],
    })),
  };
}

const FILTER_KEYS = new Set([
  'all',
  'description',
  'name',
  'owning-service',
  'primary-region',
  'tag-key',
  'tag-value',
]);

interface SecretFilter {
  key: string;
  values: string[];
}

function readFilters(input: Input): SecretFilter[] {
  const items = readOptionalArray(input, 'Filters') ?? [];
  checkLength('Filters', items.length, { max: 10 });
  return items.map((item) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw typeError('Filters item', 'an object with Key and Values');
    }
    const filter = item as Input;
    const key = readRequiredString(filter, 'Key');
    if (!FILTER_KEYS.has(key)) {
      throw constraintError(
        'Filters.Key',
        `Member must satisfy enum value set: [${[...FILTER_KEYS].join(', ')}]`,
      );
    }
    const values = readOptionalStringList(filter, 'Values', { min: 1, max: 512 }) ?? [];
    checkLength('Filters.Values', values.length, { max: 10 });
    return { key, values };
  });
}

function matchesWordPrefix(attribute: string, word: string): boolean {
  const lowerAttribute = attribute.toLowerCase();
  return (
    lowerAttribute.startsWith(word) ||
    lowerAttribute.split(/[^a-z0-9]+/).some((part) => part.startsWith(word))
  );
}

/** Tests one filter value without its "!" negation prefix. */
function matchesFilterValue(secret: Secret, key: string, value: string): boolean {
  switch (key) {
    case 'name':
      return secret.name.startsWith(value);
    case 'description':
      return (secret.description ?? '').toLowerCase().startsWith(value.toLowerCase());
    case 'tag-key':
      return secret.tags.some((tag) => tag.Key.startsWith(value));
    case 'tag-value':
      return secret.tags.some((tag) => tag.Value.startsWith(value));
    case 'all': {
      // NOTE: this approximates the "all" filter. Every word must prefix-match a word of the name,
      // description, a tag key or a tag value, ignoring case.
      const attributes = [
        secret.name,
        secret.description ?? '',
        ...secret.tags.flatMap((tag) => [tag.Key, tag.Value]),
      ];
      const words = value.toLowerCase().split(/\s+/).filter(Boolean);
      return words.every((word) =>
        attributes.some((attribute) => matchesWordPrefix(attribute, word)),
      );
    }
    default:
      // primary-region and owning-service never match, because local secrets are not replicated
      // and no other service owns them.
      return false;
  }
}

/**
 * Values within a filter are alternatives, and values starting with "!" exclude. A secret must
 * match every filter.
 */
function matchesFilters(secret: Secret, filters: SecretFilter[]): boolean {
  return filters.every(({ key, values }) => {
    const included = values.filter((value) => !value.startsWith('!'));
    const excluded = values.filter((value) => value.startsWith('!')).map((value) => value.slice(1));
    const isIncluded =
      included.length === 0 || included.some((value) => matchesFilterValue(secret, key, value));
    const isExcluded = excluded.some((value) => matchesFilterValue(secret, key, value));
    return isIncluded && !isExcluded;
  });
}

const SORT_FIELDS = new Map<string, (secret: Secret) => number | string>([
  ['created-date', (secret) => secret.createdDate],
  ['last-accessed-date', (secret) => secret.lastAccessedDate ?? 0],
  ['last-changed-date', (secret) => secret.lastChangedDate],
  ['name', (secret) => secret.name],
]);

function listSecrets(context: OperationContext, input: Input): unknown {
  const includePlannedDeletion = readOptionalBoolean(input, 'IncludePlannedDeletion') ?? false;
  const filters = readFilters(input);
  const sortBy = readOptionalString(input, 'SortBy') ?? 'created-date';
  // Secrets Manager does not document its default order. This endpoint lists oldest first.
  const sortOrder = readOptionalString(input, 'SortOrder') ?? 'asc';
  const sortField = SORT_FIELDS.get(sortBy);
  if (sortField === undefined) {
    throw constraintError(
      'SortBy',
      `Member must satisfy enum value set: [${[...SORT_FIELDS.keys()].join(', ')}]`,
    );
  }
  if (sortOrder !== 'asc' && sortOrder !== 'desc') {
    throw constraintError('SortOrder', 'Member must satisfy enum value set: [asc, desc]');
  }

  const direction = sortOrder === 'asc' ? 1 : -1;
  const secrets = context.store
    .list()
    .filter((secret) => includePlannedDeletion || secret.deletedDate === undefined)
    .filter((secret) => matchesFilters(secret, filters))
    .sort((left, right) => {
      const leftValue = sortField(left);
      const rightValue = sortField(right);
      if (leftValue === rightValue) return 0;
      return leftValue < rightValue ? -direction : direction;
    });
  const { page, nextToken } = paginate(secrets, input);
  return {
    NextToken: nextToken,
    SecretList: page.map((secret) => ({
      ...describeFields(secret),
      SecretVersionsToStages: mapVersionsToStages(secret),
    })),
  };
}

function deleteSecret(context: OperationContext, input: Input): unknown {
  const { store, now } = context;
  const secretId = readRequiredString(input, 'SecretId', { min: 1, max: 2048 });
  const recoveryWindowInDays = readOptionalInteger(input, 'RecoveryWindowInDays');
  const isForced = readOptionalBoolean(input, 'ForceDeleteWithoutRecovery') ?? false;
  if (recoveryWindowInDays !== undefined && isForced) {
    throw new SecretsManagerError(
      'InvalidParameterException',
      "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
    );
  }
  if (
    recoveryWindowInDays !== undefined &&
    (recoveryWindowInDays < 7 || recoveryWindowInDays > 30)
  ) {
    throw new SecretsManagerError(
      'InvalidParameterException',
      `RecoveryWindowInDays is ${recoveryWindowInDays}; it must be between 7 and 30 days (inclusive).`,
    );
  }

  const secret = store.find(secretId);
  if (secret === undefined) {
    // A forced delete of a missing secret succeeds on Secrets Manager too.
    if (isForced) {
      const isArn = secretId.startsWith('arn:');
      return {
        ARN: isArn ? secretId : undefined,
        Name: isArn ? undefined : secretId,
        DeletionDate: toEpochSeconds(now),
      };
    }
    throw secretNotFound(secretId);
  }
  if (isForced) {
    store.remove(secret);
    return { ARN: secret.arn, Name: secret.name, DeletionDate: toEpochSeconds(now) };
  }
  if (secret.deletedDate !== undefined) {
    throw new SecretsManagerError(
      'InvalidRequestException',
      "You can't perform this operation on the secret because it was already scheduled for deletion.",
    );
  }

  secret.deletedDate = now;
  secret.deletionDate = now + (recoveryWindowInDays ?? DEFAULT_RECOVERY_WINDOW_DAYS) * DAY_MS;
  secret.lastChangedDate = now;
  store.markChanged();
  return {
    ARN: secret.arn,
    Name: secret.name,
    DeletionDate: toEpochSeconds(secret.deletionDate),
  };
}

function restoreSecret(context: OperationContext, input: Input): unknown {
  const secret = requireSecret(context.store, input);
  if (secret.deletedDate !== undefined) {
    secret.deletedDate = undefined;
    secret.deletionDate = undefined;
    secret.lastChangedDate = context.now;
    context.store.markChanged();
  }
  return { ARN: secret.arn, Name: secret.name };
}

/** Adds tags or overwrites them by key. Tag keys are case-sensitive. */
function mergeTags(current: Tag[], added: Tag[]): Tag[] {
  const byKey = new Map(current.map((tag) => [tag.Key, tag.Value]));
  for (const tag of added) {
    byKey.set(tag.Key, tag.Value);
  }
  if (byKey.size > MAX_TAGS_PER_SECRET) {
    throw new SecretsManagerError(
      'InvalidParameterException',
      `A secret can have at most ${MAX_TAGS_PER_SECRET} tags, and this request would give it ${byKey.size}.`,
    );
  }
  return [...byKey].map(([Key, Value]) => ({ Key, Value }));
}

function tagResource(context: OperationContext, input: Input): unknown {
  const secret = requireActiveSecret(context.store, input);
  const tags = readTags(input, 'Tags');
  if (tags === undefined) {
    throw constraintError('Tags', 'Member must not be null');
  }
  secret.tags = mergeTags(secret.tags, tags);
  secret.lastChangedDate = context.now;
  context.store.markChanged();
  return {};
}

function untagResource(context: OperationContext, input: Input): unknown {
  const secret = requireActiveSecret(context.store, input);
  const tagKeys = readOptionalStringList(input, 'TagKeys', { min: 1, max: 128 });
  if (tagKeys === undefined) {
    throw constraintError('TagKeys', 'Member must not be null');
  }
  secret.tags = secret.tags.filter((tag) => !tagKeys.includes(tag.Key));
  secret.lastChangedDate = context.now;
  context.store.markChanged();
  return {};
}

// ---------------------------------------------------------------------------------------------
// RotateSecret
// ---------------------------------------------------------------------------------------------

/**
 * Records the rotation configuration and, when RotateImmediately is true (the default), runs the
 * rotation Lambda's four steps.
 *
 * Timing: Secrets Manager returns at once and rotates asynchronously. This endpoint runs all
 * the steps first and responds afterwards, so a caller or test that gets the response can read
 * the final stages at once, with no polling and no race against a background rotation. The
 * response is the same in both cases. It reports success with the new VersionId even when a step
 * fails, because Secrets Manager reports step failures through the stages and the logs, not
 * through RotateSecret.
 *
 * Like Secrets Manager, before the first step it attaches AWSPENDING to a new version whose
 * VersionId is the ClientRequestToken. That version has no value until the Lambda's createSecret
 * step stores one with PutSecretValue. The Lambda's finishSecret step moves AWSCURRENT, and this
 * endpoint moves no labels after the steps.
 *
 * NOTE: Secrets Manager retries a failed rotation on its own schedule. This endpoint does not,
 * so a failed rotation stays pending until a caller moves or removes its AWSPENDING label.
 */
async function rotateSecret(context: OperationContext, input: Input): Promise<unknown> {
  const { store, now } = context;
  const secret = requireActiveSecret(store, input);
  const token = readClientRequestToken(input) ?? randomUUID();
  const requestedLambdaArn = readOptionalString(input, 'RotationLambdaARN', { max: 2048 });
  const rules = readRotationRules(input);
  const rotateImmediately = readOptionalBoolean(input, 'RotateImmediately') ?? true;

  const lambdaArn = requestedLambdaArn ?? secret.rotation?.lambdaArn;
  if (lambdaArn === undefined || lambdaArn === '') {
    throw new SecretsManagerError(
      'InvalidRequestException',
      'No Lambda rotation function ARN is associated with this secret. Set RotationLambdaARN.',
    );
  }
  // Secrets Manager treats AWSPENDING on a version other than the AWSCURRENT one as a rotation
  // in progress and rejects new rotations and rotation changes until it is resolved.
  const pending = findVersionByStage(secret, AWSPENDING);
  if (pending !== undefined && !pending.stages.includes(AWSCURRENT)) {
    throw new SecretsManagerError(
      'InvalidRequestException',
      `A previous rotation isn't complete, because version ${pending.versionId} has AWSPENDING but not AWSCURRENT. This local endpoint does not retry rotations, so finish that rotation or remove AWSPENDING from the version with UpdateSecretVersionStage, then rotate again.`,
    );
  }
  if (rotateImmediately && context.lambdaEndpoint === undefined) {
    throw new SecretsManagerError(
      'InvalidRequestException',
      'This local Secrets Manager endpoint has no Lambda endpoint, so it cannot run a rotation. Start it with lambdaEndpoint (--lambda-endpoint), or pass RotateImmediately false to only record the schedule.',
    );
  }

  secret.rotation = {
    isEnabled: true,
    lambdaArn,
    rules: rules ?? secret.rotation?.rules,
    configuredDate: now,
    lastRotatedDate: secret.rotation?.lastRotatedDate,
  };
  secret.lastChangedDate = now;
  store.markChanged();

  // NOTE: with RotateImmediately false, Secrets Manager also runs the testSecret step once to
  // check the configuration. This endpoint only records the schedule and invokes nothing, and
  // the response has no VersionId because no new version exists.
  if (!rotateImmediately || context.lambdaEndpoint === undefined) {
    return { ARN: secret.arn, Name: secret.name };
  }

  // NOTE: Secrets Manager does not document a RotateSecret whose token names an existing
  // version. This endpoint leaves that version's labels alone and runs the steps, which
  // rotation Lambdas handle idempotently per token.
  if (findVersion(secret, token) === undefined) {
    const placeholder = addVersion(secret, token, now);
    attachStage(secret, placeholder, AWSPENDING);
  }
  store.flush();

  await runRotationSteps(context, context.lambdaEndpoint, secret, lambdaArn, token);
  return { ARN: secret.arn, Name: secret.name, VersionId: token };
}

async function runRotationSteps(
  context: OperationContext,
  lambdaEndpoint: string,
  secret: Secret,
  lambdaArn: string,
  token: string,
): Promise<void> {
  const ids = { secret_arn: secret.arn, version_id: token, lambda_arn: lambdaArn };
  context.log({ level: 'info', message: 'rotation started', ...ids });

  for (const step of ROTATION_STEPS) {
    const failure = await invokeRotationStep(context, lambdaEndpoint, lambdaArn, {
      SecretId: secret.arn,
      ClientRequestToken: token,
      Step: step,
    });
    if (failure !== undefined) {
      context.log({ level: 'warn', message: 'rotation step failed', ...ids, step, ...failure });
      return;
    }
  }

  // Other requests ran while the steps ran and may have deleted the secret, so look it up again.
  const current = context.store.find(secret.arn);
  const version = current === undefined ? undefined : findVersion(current, token);
  if (current?.rotation === undefined || !version?.stages.includes(AWSCURRENT)) {
    context.log({
      level: 'warn',
      message: 'rotation steps succeeded but the new version is not AWSCURRENT',
      ...ids,
    });
    return;
  }
  const finishedAt = Date.now();
  current.rotation.lastRotatedDate = finishedAt;
  current.lastChangedDate = finishedAt;
  context.store.markChanged();
  context.log({ level: 'info', message: 'rotation finished', ...ids });
}

interface StepFailure {
  reason: string;
  error_type?: string;
  error_message?: string;
}

/**
 * Invokes one rotation step through the Lambda Invoke API. Returns undefined on success and the
 * failure otherwise: a non-2xx status, an `x-amz-function-error` header, a timeout or a
 * connection error.
 */
async function invokeRotationStep(
  context: OperationContext,
  lambdaEndpoint: string,
  lambdaArn: string,
  event: { SecretId: string; ClientRequestToken: string; Step: string },
): Promise<StepFailure | undefined> {
  const url = `${lambdaEndpoint}/2015-03-31/functions/${encodeURIComponent(lambdaArn)}/invocations`;
  let response: Response;
  let body: string;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-amz-invocation-type': 'RequestResponse' },
      body: JSON.stringify(event),
      signal: AbortSignal.timeout(context.rotationStepTimeoutMs),
    });
    body = await response.text();
  } catch (error) {
    const isTimeout = error instanceof Error && error.name === 'TimeoutError';
    return {
      reason: isTimeout
        ? `invocation timed out after ${context.rotationStepTimeoutMs} ms`
        : `invocation failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }

  const functionError = response.headers.get('x-amz-function-error');
  if (response.ok && functionError === null) {
    return undefined;
  }
  return {
    reason: response.ok
      ? `function error (${functionError})`
      : `Lambda endpoint returned HTTP ${response.status}`,
    ...readLambdaError(body),
  };
}

/** Extracts errorType and errorMessage from a Lambda error payload, shortened for the log. */
function readLambdaError(body: string): { error_type?: string; error_message?: string } {
  try {
    const payload = JSON.parse(body) as { errorType?: unknown; errorMessage?: unknown };
    return {
      error_type:
        typeof payload.errorType === 'string' ? payload.errorType.slice(0, 100) : undefined,
      error_message:
        typeof payload.errorMessage === 'string' ? payload.errorMessage.slice(0, 300) : undefined,
    };
  } catch {
    return {};
  }
}

const OPERATIONS = new Map<string, Operation>([
  ['CreateSecret', createSecret],
  ['DeleteSecret', deleteSecret],
  ['DescribeSecret', describeSecret],
  ['GetSecretValue', getSecretValue],
  ['ListSecretVersionIds', listSecretVersionIds],
  ['ListSecrets', listSecrets],
  ['PutSecretValue', putSecretValue],
  ['RestoreSecret', restoreSecret],
  ['RotateSecret', rotateSecret],
  ['TagResource', tagResource],
  ['UntagResource', untagResource],
  ['UpdateSecretVersionStage', updateSecretVersionStage],
]);

// ---------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let isTooLarge = false;
    request.on('data', (chunk: Buffer) => {
      if (isTooLarge) {
        return;
      }
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        isTooLarge = true;
        reject(
          new SecretsManagerError(
            'ValidationException',
            `The request body is larger than ${MAX_REQUEST_BYTES} bytes.`,
            413,
          ),
        );
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function parseInput(body: string): Input {
  let parsed: unknown;
  try {
    parsed = body.trim() === '' ? {} : JSON.parse(body);
  } catch {
    throw new SecretsManagerError('SerializationException', 'The request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SecretsManagerError(
      'SerializationException',
      'The request body must be a JSON object.',
    );
  }
  return parsed as Input;
}

function sendJson(
  response: ServerResponse,
  statusCode: number,
  payload: unknown,
  requestId: string,
): void {
  const body = JSON.stringify(payload);
  const headers: Record<string, string | number> = {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': requestId,
  };
  if (statusCode === 413) {
    // The rest of the oversized body is never read, so the connection cannot be reused.
    headers.connection = 'close';
  }
  response.writeHead(statusCode, headers);
  response.end(body);
}

function findOperation(request: IncomingMessage): Operation {
  const path = request.url?.split('?')[0];
  if (request.method !== 'POST' || path !== '/') {
    throw new SecretsManagerError(
      'UnknownOperationException',
      `This endpoint accepts only POST / with an X-Amz-Target header; received ${request.method} ${request.url}.`,
      404,
    );
  }
  const target = request.headers['x-amz-target'];
  const name =
    typeof target === 'string' && target.startsWith(TARGET_PREFIX)
      ? target.slice(TARGET_PREFIX.length)
      : undefined;
  const operation = name === undefined ? undefined : OPERATIONS.get(name);
  if (operation === undefined) {
    throw new SecretsManagerError(
      'UnknownOperationException',
      `Unsupported X-Amz-Target "${String(target)}". This local endpoint supports ${[...OPERATIONS.keys()].map((key) => TARGET_PREFIX + key).join(', ')}.`,
    );
  }
  return operation;
}

async function handleRequest(
  settings: Omit<OperationContext, 'now'>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const requestId = randomUUID();
  try {
    const operation = findOperation(request);
    const input = parseInput(await readBody(request));
    // Everything from here to the operation's first await runs in one tick, so no other request
    // can read a half-applied change.
    const now = Date.now();
    settings.store.purgeExpired(now);
    const output = await operation({ ...settings, now }, input);
    sendJson(response, 200, output ?? {}, requestId);
  } catch (error) {
    if (error instanceof SecretsManagerError) {
      sendJson(
        response,
        error.statusCode,
        { __type: error.type, message: error.message },
        requestId,
      );
    } else {
      settings.log({
        level: 'error',
        message: 'request failed with an internal error',
        request_id: requestId,
        target: request.headers['x-amz-target'],
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
      sendJson(
        response,
        500,
        {
          __type: 'InternalServiceError',
          message: `Internal error in the local Secrets Manager endpoint. See its log for request ${requestId}.`,
        },
        requestId,
      );
    }
  } finally {
    flushState(settings, requestId);
  }
}

function flushState(settings: Omit<OperationContext, 'now'>, requestId?: string): void {
  try {
    settings.store.flush();
  } catch (error) {
    settings.log({
      level: 'error',
      message: 'writing the state file failed',
      request_id: requestId,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || /^127(\.\d{1,3}){3}$/.test(host);
}

function normalizeLambdaEndpoint(lambdaEndpoint: string | undefined): string | undefined {
  if (lambdaEndpoint === undefined) {
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(lambdaEndpoint);
  } catch {
    throw new Error(`lambdaEndpoint "${lambdaEndpoint}" is not a valid URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`lambdaEndpoint "${lambdaEndpoint}" must use http or https.`);
  }
  if (!isLoopbackHost(url.hostname)) {
    throw new Error(
      `lambdaEndpoint "${lambdaEndpoint}" is not a loopback address. Local mode calls only 127.0.0.1, localhost or ::1.`,
    );
  }
  return url.href.replace(/\/+$/, '');
}

function writeLogLine(entry: SecretsManagerLogEntry): void {
  process.stderr.write(
    `${JSON.stringify({ time: new Date().toISOString(), service: 'secrets-manager', ...entry })}\n`,
  );
}

/**
 * Starts the local Secrets Manager endpoint on a loopback address.
 *
 * Throws when `host` or `lambdaEndpoint` is not a loopback address, when the state file cannot
 * be read, or when the port is taken.
 */
export async function startSecretsManager(
  options: SecretsManagerServerOptions = {},
): Promise<SecretsManagerServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) {
    throw new Error(
      `host "${host}" is not a loopback address. The local Secrets Manager binds only to 127.0.0.1, localhost or ::1.`,
    );
  }
  const store = new SecretStore(options.stateFile);
  store.load();
  const settings: Omit<OperationContext, 'now'> = {
    store,
    region: options.region ?? 'us-east-1',
    accountId: options.accountId ?? '000000000000',
    lambdaEndpoint: normalizeLambdaEndpoint(options.lambdaEndpoint),
    rotationStepTimeoutMs: options.rotationStepTimeoutMs ?? DEFAULT_ROTATION_STEP_TIMEOUT_MS,
    log: options.logger ?? writeLogLine,
  };

  const server: Server = createServer((request, response) => {
    void handleRequest(settings, request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host.replace(/^\[|\]$/g, ''), () => {
      server.off('error', reject);
      resolve();
    });
  });

  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: async () => {
      const closed = new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
      });
      // The SDK keeps connections alive, so drop them or close() waits for their idle timeout.
      server.closeAllConnections();
      await closed;
      flushState(settings);
    },
  };
}
