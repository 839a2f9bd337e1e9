import type { Descriptor } from "../manifest.js";

/** An image found in an archive: its manifest (and everything it references) is in the content store. */
export interface ImportCandidate {
  manifest: Descriptor;
  /** Fully qualified names to tag it with. */
  names: string[];
  /** Where in the archive it was found, for error messages. */
  origin: string;
}
