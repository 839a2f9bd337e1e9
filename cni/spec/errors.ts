/** Well-known CNI error codes (SPEC.md, "Error"). */
export const cniCode = {
  incompatibleVersion: 1,
  unsupportedField: 2,
  unknownContainer: 3,
  invalidEnv: 4,
  io: 5,
  decode: 6,
  invalidConfig: 7,
  tryAgainLater: 11,
  unavailable: 50,
  degraded: 51,
} as const;

/** The error object a plugin prints on stdout with a non-zero exit. */
export interface CniErrorBody {
  cniVersion: string;
  code: number;
  msg: string;
  details?: string;
}

/** A CNI error raised by a plugin, or reported by one to the runner. */
export class CniError extends Error {
  constructor(
    readonly code: number,
    readonly msg: string,
    readonly details = "",
    /** The plugin that reported it, when the runner raises it. */
    readonly plugin?: string,
  ) {
    super(
      `${plugin ? `${plugin}: ` : ""}${msg}${details ? `: ${details}` : ""} (CNI code ${code})`,
    );
    this.name = "CniError";
  }

  body(cniVersion: string): CniErrorBody {
    return {
      cniVersion,
      code: this.code,
      msg: this.msg,
      ...(this.details ? { details: this.details } : {}),
    };
  }
}
