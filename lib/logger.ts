import winston from "winston";

export type Logger = winston.Logger;

export type LogLevel = "error" | "warn" | "info" | "debug";

/** Structured JSON to stderr, one logger per component; ids (pod, container, image…) go in fields. */
export function createLogger(component: string, level: LogLevel = defaultLevel()): Logger {
  return winston.createLogger({
    level,
    defaultMeta: { component },
    format: winston.format.combine(
      winston.format.timestamp(),
      winston.format.errors({ stack: false }),
      winston.format.json(),
    ),
    transports: [
      new winston.transports.Console({ stderrLevels: ["error", "warn", "info", "debug"] }),
    ],
  });
}

function defaultLevel(): LogLevel {
  const env = process.env.BERTH_LOG_LEVEL;
  return env === "error" || env === "warn" || env === "debug" ? env : "info";
}

/** A logger that drops everything: for unit tests and CLI paths where output would be noise. */
export function silentLogger(): Logger {
  return winston.createLogger({ silent: true, transports: [new winston.transports.Console()] });
}
