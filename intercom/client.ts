/**
 * A small client for Intercom's REST API (pure Node fetch). It knows the region hosts, sends the
 * `Intercom-Version` header, retries rate-limited and failed requests with bounded backoff, and turns
 * Intercom's refusals into typed errors. The access token is held in a private field and is never
 * part of an error, message or log: messages quote what Intercom said, redacted against the token.
 */
import { escapeForDisplay } from "../core/display";
import { secretRedactor } from "../core/redaction";

export const intercomRegions = ["us", "eu", "au"] as const;
export type IntercomRegion = (typeof intercomRegions)[number];

/** Each data-hosting region has its own API host (Intercom's description lists the three servers). */
export const regionHosts: Readonly<Record<IntercomRegion, string>> = {
  us: "https://api.intercom.io",
  eu: "https://api.eu.intercom.io",
  au: "https://api.au.intercom.io",
};

/** The API version this project is written and tested against (vendor/intercom-openapi). */
export const defaultIntercomVersion = "2.16";
/** The Preview version (vendor/intercom-openapi/api.intercom.io-preview.yaml): endpoints such as `/secure_mode_secrets` exist only there. */
export const previewIntercomVersion = "Preview";

/** Environment variables the client reads when no Pulumi configuration gives a value. */
export const tokenVariable = "INTERCOM_ACCESS_TOKEN";
export const regionVariable = "INTERCOM_REGION";
/** Tests only: a loopback base URL (e.g. a Prism mock). Any other host is refused, so it cannot send the token elsewhere. */
export const baseUrlVariable = "INTERCOM_API_BASE_URL";

export interface IntercomClientOptions {
  readonly token: string;
  /** Other values no message may show (a request's credentials), checked as the token is. */
  readonly sensitive?: readonly string[];
  readonly region?: IntercomRegion;
  /** Tests only: must be a loopback http(s) URL. */
  readonly baseUrl?: string;
  readonly version?: string;
  /** Attempts per request, the first included (default 5). */
  readonly maxAttempts?: number;
  /** The longest single wait between attempts, whatever the rate-limit headers ask (default 60 s). */
  readonly maxWaitMs?: number;
  /** Per-attempt timeout (default 30 s). */
  readonly timeoutMs?: number;
  /** Injectable for tests, so that retries do not wait. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  readonly fetch?: typeof fetch;
}

export type IntercomErrorKind = "unauthorized" | "forbidden" | "refused" | "rate_limited" | "server" | "network" | "unexpected";

/** A request Intercom did not carry out. The message says what to do; it never holds the token. */
export class IntercomApiError extends Error {
  constructor(
    message: string,
    readonly kind: IntercomErrorKind,
    readonly status: number | undefined,
    /** Intercom's error codes (e.g. `parameter_invalid`), as data. */
    readonly codes: readonly string[] = [],
    readonly requestId?: string,
  ) {
    super(message);
    this.name = "IntercomApiError";
  }
}

/** 401: the token is missing, invalid or revoked. */
export class IntercomUnauthorizedError extends IntercomApiError {}
/** 403: the token lacks the OAuth scope or the teammate permission the call needs. */
export class IntercomForbiddenError extends IntercomApiError {}
/** 422: Intercom refused the change (for example an IP allowlist that would lock the caller out). */
export class IntercomRefusedError extends IntercomApiError {}
/** 429 after every attempt. */
export class IntercomRateLimitedError extends IntercomApiError {}

export interface RequestOptions {
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  /** This request's `Intercom-Version`, when it differs from the client's (an endpoint only the Preview version has). */
  readonly version?: string;
}

const idempotentMethods = new Set(["GET", "PUT", "DELETE", "HEAD"]);

export function isIntercomRegion(value: unknown): value is IntercomRegion {
  return typeof value === "string" && (intercomRegions as readonly string[]).includes(value);
}

/** Refuses any base URL but a loopback one: the override exists for a local mock, never for another host. */
export function checkedTestBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`${baseUrlVariable} is not a URL`);
  }
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  if (!loopback || !["http:", "https:"].includes(url.protocol) || url.username !== "" || url.password !== "") {
    throw new Error(`${baseUrlVariable} may only name a loopback http(s) address (a local mock); the region chooses Intercom's host`);
  }
  return url.origin;
}

export class IntercomClient {
  readonly #token: string;
  readonly #redact: (text: string) => string;
  readonly baseUrl: string;
  readonly version: string;
  readonly #maxAttempts: number;
  readonly #maxWaitMs: number;
  readonly #timeoutMs: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #now: () => number;
  readonly #fetch: typeof fetch;

  constructor(options: IntercomClientOptions) {
    if (typeof options.token !== "string" || options.token.trim() === "") {
      throw new IntercomUnauthorizedError(
        `no Intercom access token: set ${tokenVariable} or the secret configuration intercom:accessToken`,
        "unauthorized",
        undefined,
      );
    }
    const region = options.region ?? "us";
    if (!isIntercomRegion(region)) throw new Error(`unknown Intercom region; allowed: ${intercomRegions.join(", ")}`);
    this.#token = options.token;
    this.#redact = secretRedactor([options.token, ...(options.sensitive ?? []).filter((value) => value !== "")]);
    this.baseUrl = options.baseUrl !== undefined ? checkedTestBaseUrl(options.baseUrl) : regionHosts[region];
    this.version = options.version ?? defaultIntercomVersion;
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.#maxWaitMs = Math.max(0, options.maxWaitMs ?? 60_000);
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#now = options.now ?? Date.now;
    this.#fetch = options.fetch ?? fetch;
  }

  /** Keeps the token out of console.log / util.inspect of a client. */
  toJSON(): Record<string, string> {
    return { baseUrl: this.baseUrl, version: this.version };
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const url = new URL(path, this.baseUrl);
    for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value);
    const what = `${method} ${url.pathname}`;
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.#token}`,
      Accept: "application/json",
      "Intercom-Version": options.version ?? this.version,
    };
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    const body = options.body !== undefined ? JSON.stringify(options.body) : undefined;

    for (let attempt = 1; ; attempt++) {
      const last = attempt >= this.#maxAttempts;
      let response: Response;
      try {
        response = await this.#fetch(url, {
          method,
          headers,
          ...(body !== undefined ? { body } : {}),
          signal: AbortSignal.timeout(this.#timeoutMs),
        });
      } catch (error) {
        // The request may have reached Intercom: only an idempotent one is sent again.
        if (!last && idempotentMethods.has(method)) {
          await this.#sleep(this.#backoff(attempt));
          continue;
        }
        const reason = error instanceof Error ? error.name : "error";
        throw new IntercomApiError(
          `${what}: could not reach Intercom at ${this.baseUrl} (${reason}) after ${attempt} attempt(s)`,
          "network",
          undefined,
        );
      }
      if (response.ok) {
        const text = await response.text();
        if (text === "") return undefined as T;
        try {
          return JSON.parse(text) as T;
        } catch {
          // JSON.parse quotes the text it failed on, and a response can hold a secret (POST /secure_mode_secrets): never shown.
          throw new IntercomApiError(`${what}: Intercom's response (${response.status}) is not JSON`, "unexpected", response.status);
        }
      }
      const retryable = response.status === 429 || (response.status >= 500 && idempotentMethods.has(method));
      if (retryable && !last) {
        await response.body?.cancel();
        await this.#sleep(this.#waitFor(response, attempt));
        continue;
      }
      throw await this.#errorFor(what, response, attempt);
    }
  }

  /** Exponential backoff from one second, bounded. */
  #backoff(attempt: number): number {
    return Math.min(this.#maxWaitMs, 1000 * 2 ** (attempt - 1));
  }

  /** Retry-After (seconds or an HTTP date), else X-RateLimit-Reset (Unix seconds), else backoff; bounded. */
  #waitFor(response: Response, attempt: number): number {
    const retryAfter = response.headers.get("retry-after");
    if (retryAfter !== null) {
      const seconds = Number(retryAfter);
      const ms = Number.isFinite(seconds) && retryAfter.trim() !== "" ? seconds * 1000 : Date.parse(retryAfter) - this.#now();
      if (Number.isFinite(ms)) return Math.min(this.#maxWaitMs, Math.max(0, ms));
    }
    const reset = response.headers.get("x-ratelimit-reset");
    if (reset !== null && /^\d+$/.test(reset.trim())) {
      return Math.min(this.#maxWaitMs, Math.max(0, Number(reset) * 1000 - this.#now()));
    }
    return this.#backoff(attempt);
  }

  async #errorFor(what: string, response: Response, attempts: number): Promise<IntercomApiError> {
    let codes: string[] = [];
    let details: string[] = [];
    let requestId: string | undefined;
    try {
      const parsed = JSON.parse(await response.text()) as { request_id?: unknown; errors?: Array<{ code?: unknown; message?: unknown }> };
      const errors = Array.isArray(parsed.errors) ? parsed.errors.slice(0, 5) : [];
      // Text Intercom sent: bounded and redacted here, escaped for a terminal once shown.
      const redacted = (texts: unknown[]) =>
        texts.flatMap((text) => (typeof text === "string" ? [this.#redact(text.slice(0, 10_000)).slice(0, 500)] : []));
      const ids = redacted([parsed.request_id]);
      const codeTexts = redacted(errors.map((e) => e?.code));
      const detailTexts = redacted(errors.map((e) => e?.message));
      // Each entry is redacted on its own: a token cut into pieces across entries would pass piece by piece. Read
      // together, as the message shows them, they must hold none, or none of Intercom's text is shown.
      const together = [
        [...detailTexts, ...ids],
        [...codeTexts, ...ids],
      ].map((texts) => texts.join(""));
      if (together.every((text) => this.#redact(text) === text)) {
        requestId = ids[0] === undefined ? undefined : escapeForDisplay(ids[0]);
        codes = codeTexts.map((code) => escapeForDisplay(code));
        details = detailTexts.map((message) => escapeForDisplay(message));
      }
    } catch {
      // Not Intercom's error list: the status says enough.
    }
    const said = details.length > 0 ? `: ${details.join("; ")}` : codes.length > 0 ? `: ${codes.join(", ")}` : "";
    const request = requestId ? ` (request ${requestId})` : "";
    const status = response.status;
    switch (true) {
      case status === 401:
        return new IntercomUnauthorizedError(
          `${what}: Intercom rejected the access token (401)${said}${request}. Check ${tokenVariable} or intercom:accessToken and the region.`,
          "unauthorized",
          status,
          codes,
          requestId,
        );
      case status === 403:
        return new IntercomForbiddenError(
          `${what}: the access token may not do this (403)${said}${request}. Give the app the scope this call needs in the Developer Hub (Configure > Authentication) and its teammate the permission to change that setting.`,
          "forbidden",
          status,
          codes,
          requestId,
        );
      case status === 422:
        return new IntercomRefusedError(
          `${what}: Intercom refused the change (422)${said}${request}.`,
          "refused",
          status,
          codes,
          requestId,
        );
      case status === 429:
        return new IntercomRateLimitedError(
          `${what}: still rate limited by Intercom after ${attempts} attempt(s) (429)${request}.`,
          "rate_limited",
          status,
          codes,
          requestId,
        );
      case status >= 500:
        return new IntercomApiError(
          `${what}: Intercom failed (${status}) after ${attempts} attempt(s)${said}${request}.`,
          "server",
          status,
          codes,
          requestId,
        );
      default:
        return new IntercomApiError(`${what}: unexpected response ${status}${said}${request}.`, "unexpected", status, codes, requestId);
    }
  }
}

/** Where the token and region come from: Pulumi configuration (the `intercom` namespace) first, then the environment. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

export interface IntercomConnection {
  readonly token: string;
  readonly region: IntercomRegion;
  readonly baseUrl?: string;
}

/** The connection configured, or undefined when no token is given (the resources then record declared state only). */
export function connectionFrom(config: ConfigSource | undefined, env: NodeJS.ProcessEnv): IntercomConnection | undefined {
  const token = config?.get("intercom:accessToken") || env[tokenVariable] || undefined;
  if (token === undefined) return undefined;
  const region = config?.get("intercom:region") || env[regionVariable] || "us";
  if (!isIntercomRegion(region)) throw new Error(`intercom:region (or ${regionVariable}) must be one of ${intercomRegions.join(", ")}`);
  const baseUrl = env[baseUrlVariable] || undefined;
  return { token, region, ...(baseUrl !== undefined ? { baseUrl: checkedTestBaseUrl(baseUrl) } : {}) };
}
