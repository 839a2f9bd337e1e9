import winston from "winston";
import { invalidArgument } from "./errors.js";

export type Logger = winston.Logger;

export const logLevels = ["error", "warn", "info", "debug"] as const;

export type LogLevel = (typeof logLevels)[number];

/** Structured JSON to stderr, one logger per component; ids (pod, container, image…) go in fields. */
export function createLogger(component: string, level: LogLevel = defaultLevel()): Logger {
  return winston.createLogger({
    level,
    defaultMeta: { component },
    format: winston.format.combine(
      winston.format.timestamp(),
      winston.format.errors({ stack: false }),
      withoutCredentials(),
      winston.format.json(),
    ),
    transports: [
      new winston.transports.Console({ stderrLevels: ["error", "warn", "info", "debug"] }),
    ],
  });
}

/**
 * The level a command logs at: its --log-level flag, else BERTH_LOG_LEVEL, else info. A value
 * that is not a level is an error naming where it came from (a typo must not silence a server).
 */
export function resolveLogLevel(
  flag: string | undefined,
  env = process.env.BERTH_LOG_LEVEL,
): LogLevel {
  if (flag !== undefined) return parseLogLevel(flag, "--log-level");
  if (env !== undefined && env !== "") return parseLogLevel(env, "BERTH_LOG_LEVEL");
  return "info";
}

function parseLogLevel(text: string, source: string): LogLevel {
  const level = text.trim().toLowerCase();
  if ((logLevels as readonly string[]).includes(level)) return level as LogLevel;
  throw invalidArgument(
    `${source}: ${JSON.stringify(text)} is not a log level (${logLevels.join(", ")})`,
    { field: "log-level" },
  );
}

function defaultLevel(): LogLevel {
  try {
    return resolveLogLevel(undefined);
  } catch {
    return "info"; // commands validate the variable; library callers keep logging
  }
}

// Field names whose values are credentials wherever they appear in a log entry.
const credentialFields = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "token",
  "bearertoken",
  "password",
  "privatekey",
  "client-key-data",
]);

/**
 * Masks credential fields a caller may pass by mistake (a request's headers, a kubeconfig user):
 * a log line is read by more people than the secrets it could carry.
 */
export const withoutCredentials = winston.format((info) => {
  for (const key of Object.keys(info)) {
    info[key] = credentialFields.has(key.toLowerCase()) ? "[redacted]" : masked(info[key], 4);
  }
  return info;
});

function masked(value: unknown, depth: number): unknown {
  if (depth === 0) return value;
  if (Array.isArray(value)) return value.map((v) => masked(v, depth - 1));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = credentialFields.has(key.toLowerCase()) ? "[redacted]" : masked(inner, depth - 1);
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A logger that drops everything: for unit tests and CLI paths where output would be noise. */
export function silentLogger(): Logger {
  return winston.createLogger({ silent: true, transports: [new winston.transports.Console()] });
}
